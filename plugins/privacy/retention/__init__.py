"""Retention rules, legal holds, the scheduled run, its dry run and its log (docs/privacy.md)."""
