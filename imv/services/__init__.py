"""Writes of the IMV consultation. Every service runs in one transaction, checks its rules on the
database clock, records each change of status, deadline or opinion in the audit trail, and tells
open status boards after commit (imv.events, through the outbox). The reminders and the
projection of local priorities are written here too.

One module per subject; everything is importable from ``imv.services``.
"""

from imv import events
from imv.clock import days_late
from imv.services._common import (
    AUDITED,
    EXTENSION,
    NOT_AUDITED,
    OPINION,
    PARTICIPATION,
    ROUND,
    action_assert,
    extension_version,
    participation_version,
    refusal,
    round_assert_open,
    version_assert,
)
from imv.services.extensions import extension_decide, extension_request
from imv.services.notifications import notification_mark_read
from imv.services.opinions import (
    OVERALL_TEXT_MAX,
    POINT_TEXT_MAX,
    PointInput,
    opinion_submit,
    opinion_submit_once,
    opinion_withdraw,
    text_errors,
)
from imv.services.participations import (
    CouncilDecision,
    participation_adopt,
    participation_answer,
    participation_decline,
    participation_schedule,
)
from imv.services.projection import projection_delete, projection_upsert
from imv.services.reactions import reaction_correct, reaction_set, reaction_version, reactions_missing
from imv.services.reminders import reminders_send_due, reminders_send_now
from imv.services.rounds import draft_version_create, round_open
from imv.services.themes import theme_update

__all__ = [
    "AUDITED",
    "EXTENSION",
    "NOT_AUDITED",
    "OPINION",
    "OVERALL_TEXT_MAX",
    "PARTICIPATION",
    "POINT_TEXT_MAX",
    "ROUND",
    "CouncilDecision",
    "PointInput",
    "action_assert",
    "days_late",
    "draft_version_create",
    "events",
    "extension_decide",
    "extension_request",
    "extension_version",
    "notification_mark_read",
    "opinion_submit",
    "opinion_submit_once",
    "opinion_withdraw",
    "participation_adopt",
    "participation_answer",
    "participation_decline",
    "participation_schedule",
    "participation_version",
    "projection_delete",
    "projection_upsert",
    "reaction_correct",
    "reaction_set",
    "reaction_version",
    "reactions_missing",
    "refusal",
    "reminders_send_due",
    "reminders_send_now",
    "round_assert_open",
    "round_open",
    "text_errors",
    "theme_update",
    "version_assert",
]
