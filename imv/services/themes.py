"""The IMV's themes, editable until a round opens."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from imv.models import (
    ConsultationRound,
    Theme,
    ThemeStatus,
)
from portal.exceptions import PortalError
from tenants.audit import audit_record
from tenants.models import User


# --- Themes --------------------------------------------------------------------------------
@transaction.atomic
def theme_update(*, actor: User, theme: Theme, name: str, status: str, note: str) -> Theme:
    """Change a theme while no round consults on its IMV yet (after that the draft is with the councils)."""
    if ConsultationRound.objects.filter(cycle_id=theme.cycle_id).exists():
        raise PortalError(
            _("De thema's liggen vast: het concept is al ter consultatie aan de raden gestuurd."),
            status=409,
            code="themes_frozen",
        )
    if status not in ThemeStatus.values:
        raise PortalError(_("Onbekende status %(status)s.") % {"status": status}, errors={"status": [_("ongeldig")]})
    if not name.strip():
        raise PortalError(_("Een thema heeft een naam."), errors={"name": [_("mag niet leeg zijn")]})
    for field, new in (("name", name.strip()), ("status", status), ("note", note)):
        audit_record(
            actor=actor, object_type="thema", object_uuid=theme.uuid, field=field, old=getattr(theme, field), new=new
        )
        setattr(theme, field, new)
    theme.save()
    return theme
