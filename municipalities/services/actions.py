"""Writes of the actions (acties) of a yearly implementation plan (uitvoeringsplan).

An action has an owner (trekker), a deadline, a cost and a status, and may serve one of the
plan's priorities. Callers are inside the municipality's schema and name the municipality; a
write in any other schema is refused. Every change is audited with the person who made it (``actor``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from municipalities.models import Action, ActionStatus, ImplementationPlan, Priority
from municipalities.services._audit import audit_change, row_state
from portal.exceptions import PortalError
from tenants.models import Municipality, User
from tenants.schemas import require_schema_of


def action_check(action: Action, implementation_plan: ImplementationPlan) -> None:
    errors: dict[str, list[str]] = {}
    try:
        action.full_clean(exclude=["implementation_plan", "priority"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if action.cost is not None and action.cost < 0:
        errors.setdefault("cost", []).append(_("De kosten zijn nul of meer euro."))
    # A yearly plan carries out its own IVP: an action cannot serve another plan's priority.
    if action.priority is not None and action.priority.plan_id != implementation_plan.plan_id:
        errors.setdefault("priority", []).append(_("Deze prioriteit hoort niet bij het veiligheidsplan."))
    if errors:
        raise PortalError(_("De actie is niet opgeslagen."), errors=errors)


@transaction.atomic
def action_save(
    *,
    municipality: Municipality,
    implementation_plan: ImplementationPlan,
    action: Action | None = None,
    title: str,
    owner: str,
    deadline: date | None = None,
    cost: Decimal | None = None,
    status: str = ActionStatus.PLANNED,
    priority: Priority | None = None,
    actor: User | None = None,
) -> Action:
    """Create or change an action of a yearly plan after checking every rule; nothing is saved if one fails.
    Audited."""
    require_schema_of(municipality)
    if action is not None and action.implementation_plan_id != implementation_plan.pk:
        raise RuntimeError("an action stays in its own yearly plan")
    action = action or Action(implementation_plan=implementation_plan)
    before = row_state(action)
    action.title = title.strip()
    action.owner = owner.strip()
    action.deadline = deadline
    action.cost = cost
    action.status = status
    action.priority = priority
    action_check(action, implementation_plan)
    action.save()
    audit_change(actor=actor, municipality=municipality, row=action, before=before, after=row_state(action))
    return action


@transaction.atomic
def action_delete(*, municipality: Municipality, action: Action, actor: User | None = None) -> None:
    """Remove an action of a yearly plan; audited."""
    require_schema_of(municipality)
    before = row_state(action)
    action.delete()
    audit_change(actor=actor, municipality=municipality, row=action, before=before, after=None)
