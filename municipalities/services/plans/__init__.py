"""Writes of a municipality's safety plan (IVP): ``plan`` makes, changes and removes the plan itself,
``parts`` its smaller parts (steps, milestones, principles, participation, council decisions, yearly plans).
Priorities, indicators and actions have their own modules in municipalities.services.
"""

from municipalities.services.plans.parts import (
    implementation_plan_delete,
    implementation_plan_save,
    milestone_delete,
    milestone_save,
    participation_event_delete,
    participation_event_save,
    plan_decision_delete,
    plan_decision_save,
    plan_step_save,
    principle_delete,
    principle_save,
)
from municipalities.services.plans.plan import (
    safety_plan_create,
    safety_plan_delete,
    safety_plan_delete_refusal,
    safety_plan_update,
)

__all__ = [
    "implementation_plan_delete",
    "implementation_plan_save",
    "milestone_delete",
    "milestone_save",
    "participation_event_delete",
    "participation_event_save",
    "plan_decision_delete",
    "plan_decision_save",
    "plan_step_save",
    "principle_delete",
    "principle_save",
    "safety_plan_create",
    "safety_plan_delete",
    "safety_plan_delete_refusal",
    "safety_plan_update",
]
