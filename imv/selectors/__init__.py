"""Reads of the IMV consultation for pages, exports and the API.

One module per subject, importable from ``imv.selectors``: the rounds and the status board, the
submitted opinions, the in-portal messages. The RBOP dashboard's figures are
``imv.selectors.dashboard`` (they build on imv.analytics, which reads through this package).
"""

from imv.selectors.notifications import notification_list, notification_unread_count
from imv.selectors.opinions import OpinionEntry, PointEntry, opinion_entry, reactienota
from imv.selectors.rounds import (
    DONE,
    BoardRow,
    board_counts,
    board_rows,
    cycle_list,
    cycle_themes,
    extension_request_list,
    opinion_list,
    participation_list,
    projection_example_ids,
    reaction_list,
    reactions_with_versions,
    round_list,
    round_list_counted,
)

__all__ = [
    "DONE",
    "BoardRow",
    "OpinionEntry",
    "PointEntry",
    "board_counts",
    "board_rows",
    "cycle_list",
    "cycle_themes",
    "extension_request_list",
    "notification_list",
    "notification_unread_count",
    "opinion_entry",
    "opinion_list",
    "participation_list",
    "projection_example_ids",
    "reactienota",
    "reaction_list",
    "reactions_with_versions",
    "round_list",
    "round_list_counted",
]
