"""The kernel's own tables (imported so that they are on the metadata)."""

from kernel.history import RecordChange
from kernel.users import ApiToken, User

__all__ = ["ApiToken", "RecordChange", "User"]
