"""The kernel's own tables (imported here so that they are all on the metadata, whatever views
happen to be loaded)."""

from kernel.access_log import RecordRead
from kernel.choices import ChoiceOption
from kernel.custom_fields import CustomField
from kernel.dashboard import DashboardLayout
from kernel.duplicates import DuplicateKey
from kernel.history import RecordChange
from kernel.importer import Import
from kernel.jobs import JobRun
from kernel.navigation import Favourite, RecentView
from kernel.notifications import Notification
from kernel.outbox import OutboxMessage
from kernel.saved_views import ListPreference, SavedFilter
from kernel.secure_links import SecureLink
from kernel.security.models import SecurityEvent, ThrottleCounter, UserSession
from kernel.users import ApiToken, User

__all__ = [
    "ApiToken", "ChoiceOption", "CustomField", "DashboardLayout", "DuplicateKey", "Favourite", "Import", "JobRun",
    "ListPreference", "Notification", "OutboxMessage", "RecentView", "RecordChange", "RecordRead", "SavedFilter",
    "SecureLink", "SecurityEvent", "ThrottleCounter", "User", "UserSession",
]
