"""The kernel's own tables (imported so that they are on the metadata)."""

from kernel.history import RecordChange
from kernel.saved_views import ListPreference, SavedFilter
from kernel.users import ApiToken, User

__all__ = ["ApiToken", "ListPreference", "RecordChange", "SavedFilter", "User"]
