"""The kernel's screens: login, dashboard, profile, administration, generic record views, API."""
