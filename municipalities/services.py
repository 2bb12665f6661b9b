"""Writes to a municipality's own plan. Callers are inside the municipality's schema."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from municipalities.models import SafetyPlan
from portal.exceptions import PortalError


@transaction.atomic
def safety_plan_update(*, plan: SafetyPlan, title: str, status: str, summary: str) -> SafetyPlan:
    """Change a plan's title, status and summary after validation; nothing is saved if any is wrong."""
    plan.title = title
    plan.status = status
    plan.summary = summary
    try:
        plan.full_clean()
    except ValidationError as exc:
        raise PortalError(_("Het veiligheidsplan is niet opgeslagen."), errors=exc.message_dict) from exc
    plan.save()
    return plan

