"""Django admin for the platform administrator: the mail outbox and the reminders, to read only.

Both are written by imv.services.reminders and imv.mail alone; the administrator looks here when a
municipality says it never got a reminder (was it skipped, still waiting, or refused?).
"""

from typing import Any

from django.contrib import admin

from imv.models import OutgoingEmail, Reminder


class ReadOnlyAdmin[M: Any](admin.ModelAdmin[M]):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin[OutgoingEmail]):
    list_display = ["created_at", "to", "subject", "status", "attempts", "sent_at", "next_attempt_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject", "message_id"]
    date_hierarchy = "created_at"


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin[Reminder]):
    list_display = ["sent_at", "participation", "days_before", "deadline", "manual", "outcome"]
    list_filter = ["outcome", "manual", "participation__round"]
    list_select_related = ["participation__municipality", "participation__round__cycle"]
