"""Marking an in-portal message (melding) read: the one write its reader makes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imv.models import Notification, NotificationRead
from imv.selectors.notifications import notification_list
from portal.exceptions import PortalError
from tenants.models import Membership, User


@transaction.atomic
def notification_mark_read(*, user: User, memberships: list[Membership], notification_uuid: str) -> Notification:
    """Mark one message read for this person (not for their colleagues); one for someone else is "not found"."""
    notification = notification_list(user=user, memberships=memberships).filter(uuid=notification_uuid).first()
    if notification is None:
        raise PortalError(_("Deze melding bestaat niet of is niet voor u."), status=404, code="not_found")
    NotificationRead.objects.get_or_create(notification=notification, user=user, defaults={"read_at": timezone.now()})
    return notification
