"""Two people, one draft: the three-way merge of a save made from a tab that is no longer current.

A tab shows version N (the *original*); meanwhile someone saved version M > N (*theirs*); the
tab now saves its input (*mine*). Field by field: what only this tab changed is written, what
only the other person changed is kept, what both changed to different values needs the user's
explicit choice. Nothing is written until the user has seen what the other person changed: the
first save from a stale tab is refused with the list of changes (``DraftConflictError``), the
page shows them and names the version it showed (``seen_version``), and the next save merges.

Values are the draft form's fields by name (see ``OpinionDraftRevision.values``), "" when empty.
``original`` is None when the tab's version is older than the kept revisions: then every field
the two sides differ on counts as changed by both, so nothing is decided for the user.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from portal.exceptions import StaleVersionError

Values = Mapping[str, str]
KEEP_MINE = "mijn"
KEEP_THEIRS = "hun"


@dataclass(frozen=True)
class FieldChange:
    """One field someone else changed since the tab loaded, with who did it and when."""

    field: str
    original: str | None  # None: not known (the tab's version is older than the kept revisions)
    theirs: str
    mine: str
    by: str
    at: datetime | None

    @property
    def both_changed(self) -> bool:
        """This tab changed the field too, to something else: the user must choose."""
        return self.mine != self.theirs and (self.original is None or self.mine != self.original)


class DraftConflictError(StaleVersionError):
    """Someone saved the draft after this tab loaded it; ``changes`` says what they changed.

    ``current`` is the version now saved: the page sends it back as ``seen_version`` to say the
    user has seen these changes, and the next save merges. ``unresolved`` names the fields both
    changed for which no choice was made (only when ``seen_version`` was already current).
    """

    def __init__(
        self, message: str, *, current: int, changes: list[FieldChange], unresolved: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(message, current=str(current), code="stale_version")
        self.version = current
        self.changes = changes
        self.unresolved = unresolved


def _get(values: Values | None, field: str) -> str | None:
    return None if values is None else values.get(field, "")


def changes_since(
    *,
    original: Values | None,
    revisions: Sequence[tuple[Values, str, datetime | None]],
    theirs: Values,
    mine: Values,
    fallback_by: str,
    fallback_at: datetime | None,
) -> list[FieldChange]:
    """The fields whose saved value differs from the one the tab was shown, with their last editor.

    ``revisions`` are the kept saves after the tab's version, oldest first, as (values, name,
    time); the last editor of a field is the latest revision that changed it. Without kept
    revisions (or an unknown original) the draft's last editor is named.
    """
    fields = sorted(set(theirs) | set(mine) | set(original or {}))
    changes = []
    for field in fields:
        before = _get(original, field)
        now = theirs.get(field, "")
        if before is None and now == mine.get(field, ""):
            continue  # unknown original, but both sides agree: nothing to decide
        if before is not None and now == before:
            continue
        by, at, previous = fallback_by, fallback_at, before
        for values, name, when in revisions:
            value = values.get(field, "")
            if previous is not None and value != previous:
                by, at = name, when
            previous = value
        changes.append(FieldChange(field, before, now, mine.get(field, ""), by, at))
    return changes


def merge(
    *, original: Values | None, theirs: Values, mine: Values, keep: Mapping[str, str]
) -> tuple[dict[str, str], frozenset[str]]:
    """The values to save, and the fields both sides changed with no choice in ``keep``.

    ``keep`` maps a field to KEEP_MINE or KEEP_THEIRS; it is only read for fields both changed.
    """
    merged: dict[str, str] = {}
    unresolved = set()
    for field in set(theirs) | set(mine) | set(original or {}):
        before, now, wanted = _get(original, field), theirs.get(field, ""), mine.get(field, "")
        if wanted == now or (before is not None and now == before):
            merged[field] = wanted
        elif before is not None and wanted == before:
            merged[field] = now
        elif keep.get(field) == KEEP_MINE:
            merged[field] = wanted
        elif keep.get(field) == KEEP_THEIRS:
            merged[field] = now
        else:
            unresolved.add(field)
            merged[field] = now
    return merged, frozenset(unresolved)
