"""In-portal messages (meldingen): reminders and other news for a municipality's staff, or one person.

Reads and the one write (marking read) in one small module: the reminder service creates them.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from imv.models import Notification
from portal.exceptions import PortalError
from tenants.access import staff_municipality_ids
from tenants.models import Membership, User


def notification_list(*, user: User, memberships: list[Membership]) -> QuerySet[Notification]:
    """The messages for this person: their own, and those of the municipalities whose staff they are."""
    return Notification.objects.filter(
        Q(user=user) | Q(municipality_id__in=staff_municipality_ids(memberships))
    ).select_related("municipality")


def notification_unread_count(*, user: User, memberships: list[Membership]) -> int:
    return notification_list(user=user, memberships=memberships).filter(read_at__isnull=True).count()


@transaction.atomic
def notification_mark_read(*, user: User, memberships: list[Membership], notification_uuid: str) -> Notification:
    """Mark one message read; a message for someone else is "not found", never touched."""
    notification = notification_list(user=user, memberships=memberships).filter(uuid=notification_uuid).first()
    if notification is None:
        raise PortalError(_("Deze melding bestaat niet of is niet voor u."), status=404, code="not_found")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
