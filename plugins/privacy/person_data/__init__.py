"""A person's own data: the export ZIP and erasure on request (docs/privacy.md)."""
