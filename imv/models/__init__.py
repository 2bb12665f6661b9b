"""The regional plan and its consultation, in the shared schema.

An IMV (Integraal Meerjarenbeleidsplan Veiligheid) is the four-year safety plan that the mayors
of a police unit adopt together in the RBOP. Before they do, every council gives its formal
opinion (zienswijze) on a draft: that is a consultation round, with one participation
(deelname) per municipality of the unit.

One module per subject; every model is importable from ``imv.models`` (and migrations name
``imv.models.draft_document_path`` and ``decision_document_path`` there).
"""

from imv.models.cycles import (
    DraftVersion,
    ImvCycle,
    Theme,
    ThemeStatus,
    TimelineEvent,
    WooCategory,
    draft_document_path,
)
from imv.models.delivery import (
    Notification,
    NotificationRead,
    OutboxMessage,
    OutgoingEmail,
    OutgoingEmailStatus,
    Reminder,
    ReminderOutcome,
)
from imv.models.projection import PriorityProjection
from imv.models.rounds import (
    TRANSITIONS,
    Action,
    ConsultationRound,
    Disposition,
    ExtensionRequest,
    ExtensionStatus,
    Openbaarheid,
    Opinion,
    OpinionPoint,
    Participation,
    ParticipationStatus,
    Position,
    Reaction,
    ReactionVersion,
    decision_document_path,
)

__all__ = [
    "TRANSITIONS",
    "Action",
    "ConsultationRound",
    "Disposition",
    "DraftVersion",
    "ExtensionRequest",
    "ExtensionStatus",
    "ImvCycle",
    "Notification",
    "NotificationRead",
    "Openbaarheid",
    "Opinion",
    "OpinionPoint",
    "OutboxMessage",
    "OutgoingEmail",
    "OutgoingEmailStatus",
    "Participation",
    "ParticipationStatus",
    "Position",
    "PriorityProjection",
    "Reaction",
    "ReactionVersion",
    "Reminder",
    "ReminderOutcome",
    "Theme",
    "ThemeStatus",
    "TimelineEvent",
    "WooCategory",
    "decision_document_path",
    "draft_document_path",
]
