"""Security services shared by every module: server-side sessions, throttling of password checks
and other sensitive attempts, and the append-only security event log."""
