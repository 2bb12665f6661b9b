"""Writes to a municipality's own data. Callers are inside the municipality's schema and name the
municipality; a write in any other schema is refused.

One module per subject; everything is importable from ``municipalities.services``.
"""

from municipalities.services.actions import action_check, action_delete, action_save
from municipalities.services.draft_conflicts import KEEP_MINE, KEEP_THEIRS, DraftConflictError, FieldChange
from municipalities.services.imports import COLUMNS, ImportPreview, import_apply, import_preview
from municipalities.services.kpis import (
    FIRST_YEAR,
    LAST_YEAR,
    MeasurementInput,
    kpi_check,
    kpi_delete,
    kpi_save,
    year_error,
)
from municipalities.services.opinion_drafts import (
    DraftPointInput,
    opinion_draft_current,
    opinion_draft_get,
    opinion_draft_save,
    opinion_draft_submit,
    opinion_draft_update,
    opinion_draft_update_and_submit,
    opinion_draft_values,
)
from municipalities.services.plans import (
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
    safety_plan_create,
    safety_plan_delete,
    safety_plan_delete_refusal,
    safety_plan_update,
)
from municipalities.services.priorities import priority_delete, priority_save, safety_plan_period_set

__all__ = [
    "COLUMNS",
    "FIRST_YEAR",
    "KEEP_MINE",
    "KEEP_THEIRS",
    "LAST_YEAR",
    "DraftConflictError",
    "DraftPointInput",
    "FieldChange",
    "ImportPreview",
    "MeasurementInput",
    "action_check",
    "action_delete",
    "action_save",
    "implementation_plan_delete",
    "implementation_plan_save",
    "import_apply",
    "import_preview",
    "kpi_check",
    "kpi_delete",
    "kpi_save",
    "milestone_delete",
    "milestone_save",
    "opinion_draft_current",
    "opinion_draft_get",
    "opinion_draft_save",
    "opinion_draft_submit",
    "opinion_draft_update",
    "opinion_draft_update_and_submit",
    "opinion_draft_values",
    "participation_event_delete",
    "participation_event_save",
    "plan_decision_delete",
    "plan_decision_save",
    "plan_step_save",
    "principle_delete",
    "principle_save",
    "priority_delete",
    "priority_save",
    "safety_plan_create",
    "safety_plan_delete",
    "safety_plan_delete_refusal",
    "safety_plan_period_set",
    "safety_plan_update",
    "year_error",
]
