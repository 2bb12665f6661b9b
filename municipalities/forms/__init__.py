"""Forms of a municipality's pages. They check the shape of the input; the services check the rules.

One module per subject; everything is importable from ``municipalities.forms``.
"""

from municipalities.forms.plans import (
    IMPORT_KINDS,
    ActionForm,
    ImplementationPlanForm,
    ImportConfirmForm,
    ImportForm,
    KpiForm,
    MilestoneForm,
    ParticipationEventForm,
    PlanDecisionForm,
    PlanStepForm,
    PrincipleForm,
    PriorityForm,
    SafetyPlanCreateForm,
    SafetyPlanForm,
)
from municipalities.forms.rounds import (
    ConflictRow,
    CouncilDecisionForm,
    DeclineForm,
    ExtensionRequestForm,
    OpinionDraftForm,
    ScheduleForm,
    WithdrawForm,
)

__all__ = [
    "IMPORT_KINDS",
    "ActionForm",
    "ConflictRow",
    "CouncilDecisionForm",
    "DeclineForm",
    "ExtensionRequestForm",
    "ImplementationPlanForm",
    "ImportConfirmForm",
    "ImportForm",
    "KpiForm",
    "MilestoneForm",
    "OpinionDraftForm",
    "ParticipationEventForm",
    "PlanDecisionForm",
    "PlanStepForm",
    "PrincipleForm",
    "PriorityForm",
    "SafetyPlanCreateForm",
    "SafetyPlanForm",
    "ScheduleForm",
    "WithdrawForm",
]
