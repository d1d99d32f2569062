"""The kernel's own tables (imported so that they are on the metadata)."""

from kernel.choices import ChoiceOption
from kernel.custom_fields import CustomField
from kernel.history import RecordChange
from kernel.saved_views import ListPreference, SavedFilter
from kernel.users import ApiToken, User

__all__ = ["ApiToken", "ChoiceOption", "CustomField", "ListPreference", "RecordChange", "SavedFilter", "User"]
