"""The pages of one local safety plan (IVP), under /gemeenten/<slug>/veiligheidsplannen/<uuid>/.

The plan page shows everything the plan holds and how it lines up with the regional IMV. The
municipality's own staff change it through small form pages, each posting to its own address and
writing through a service; the adviser and RBOP members of the police unit read the plan page
(and download its decisions) without any forms, and get 403 on every form page and every POST.
Everyone else gets 403 on everything.

``plan`` holds the plan page, the plan's own form and the priority and indicator forms, ``parts`` the forms of the
other parts, ``importing`` the import; ``common`` what they share.
"""

from municipalities.views.plans.importing import plan_import, plan_import_confirm, plan_import_template
from municipalities.views.plans.parts import (
    action_create,
    action_edit,
    action_remove,
    implementation_plan_create,
    implementation_plan_edit,
    implementation_plan_remove,
    milestone_form,
    participation_form,
    plan_decision_form,
    plan_part_remove,
    plan_step_edit,
    principle_form,
)
from municipalities.views.plans.plan import (
    kpi_create,
    kpi_edit,
    kpi_remove,
    plan_decision_document,
    priority_create,
    priority_edit,
    priority_remove,
    safety_plan,
    safety_plan_edit,
    safety_plan_new,
    safety_plan_remove,
)

__all__ = [
    "action_create",
    "action_edit",
    "action_remove",
    "implementation_plan_create",
    "implementation_plan_edit",
    "implementation_plan_remove",
    "kpi_create",
    "kpi_edit",
    "kpi_remove",
    "milestone_form",
    "participation_form",
    "plan_decision_document",
    "plan_decision_form",
    "plan_import",
    "plan_import_confirm",
    "plan_import_template",
    "plan_part_remove",
    "plan_step_edit",
    "principle_form",
    "priority_create",
    "priority_edit",
    "priority_remove",
    "safety_plan",
    "safety_plan_edit",
    "safety_plan_new",
    "safety_plan_remove",
]
