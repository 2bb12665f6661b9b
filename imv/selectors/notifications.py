"""In-portal messages (meldingen): reminders and other news for a municipality's staff, or one person.

The reminder service (imv.services.reminders) creates them; imv.services.notifications marks one read.
"""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from imv.models import Notification, NotificationRead
from tenants.access import staff_municipality_ids
from tenants.models import Membership, User


def notification_list(*, user: User, memberships: list[Membership]) -> QuerySet[Notification]:
    """The messages for this person: their own, and those of the municipalities whose staff they are."""
    # read_at: when this person read it (None: unread for them, whoever else read it).
    reads = NotificationRead.objects.filter(notification=OuterRef("pk"), user=user).values("read_at")[:1]
    return (
        Notification.objects.filter(Q(user=user) | Q(municipality_id__in=staff_municipality_ids(memberships)))
        .select_related("municipality", "about", "round__cycle", "round__draft_version")
        .annotate(read_at=Subquery(reads))
    )


def notification_unread_count(*, user: User, memberships: list[Membership]) -> int:
    return notification_list(user=user, memberships=memberships).exclude(reads__user=user).count()
