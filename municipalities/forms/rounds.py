"""Forms of a municipality's IMV round pages. They check the shape of the input; the services check the rules."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, overload

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from imv.models import Openbaarheid, Position, Theme, WooCategory
from imv.services import OVERALL_TEXT_MAX, POINT_TEXT_MAX
from municipalities.models import OpinionDraft
from municipalities.services import KEEP_MINE, KEEP_THEIRS, DraftConflictError, DraftPointInput
from portal.forms import DateInput, PortalForm

# The Woo category a council decision on a zienswijze usually falls under (art. 3.3 lid 2 sub d).
DEFAULT_WOO_LABEL = "Vergaderstukken decentrale"


class WithdrawForm(PortalForm):
    failure_message = _("De zienswijze is niet ingetrokken.")


class ScheduleForm(PortalForm):
    failure_message = _("De vergaderdata zijn niet opgeslagen.")

    committee_date = forms.DateField(
        label=_("Commissievergadering"),
        required=False,
        widget=DateInput(),
        help_text=_("De dag waarop de commissie het concept-IMV bespreekt."),
    )
    council_date = forms.DateField(
        label=_("Raadsvergadering"),
        required=False,
        widget=DateInput(),
        help_text=_("De dag waarop de raad over de zienswijze besluit. Vul ten minste één datum in."),
    )


class CouncilDecisionForm(PortalForm):
    """The council decision (raadsbesluit) on the zienswijze, with its PDF."""

    failure_message = _("Het raadsbesluit is niet opgeslagen.")

    decision_date = forms.DateField(label=_("Datum raadsbesluit"), widget=DateInput())
    case_number = forms.CharField(
        label=_("Zaaknummer"), max_length=50, help_text=_("Het zaaknummer van het raadsbesluit, bijvoorbeeld 1195848.")
    )
    document = forms.FileField(
        label=_("Raadsbesluit (PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("Alleen PDF, zonder wachtwoord of scripts, tot 10 MB."),
    )
    openbaarheid = forms.ChoiceField(
        label=_("Openbaarheid"), choices=[("", _("— kies —")), *Openbaarheid.choices], required=True
    )
    woo_category = forms.ModelChoiceField(
        label=_("Woo-informatiecategorie"),
        queryset=WooCategory.objects.all(),
        empty_label=_("— kies —"),
        help_text=_("De categorie waaronder het besluit openbaar wordt gemaakt (Wet open overheid)."),
    )

    def __init__(self, *args: Any, has_document: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_document:
            self.fields["document"].help_text = _(
                "Er is al een PDF opgeslagen. Kies alleen een bestand als u die wilt vervangen. "
                "Alleen PDF, zonder wachtwoord of scripts, tot 10 MB."
            )
        else:
            self.fields["document"].widget.attrs["required"] = True
        if not self.is_bound and "woo_category" not in self.initial:
            self.initial["woo_category"] = WooCategory.objects.filter(label__startswith=DEFAULT_WOO_LABEL).first()


class DeclineForm(PortalForm):
    failure_message = _("Niet opgeslagen.")

    note = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtensionRequestForm(PortalForm):
    failure_message = _("Het uitstelverzoek is niet verstuurd.")

    requested_deadline = forms.DateField(
        label=_("Gevraagde uiterste datum"),
        widget=DateInput(),
        help_text=_("Tot het einde van die dag. Moet vóór de RBOP-vergadering liggen."),
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: de raad vergadert pas na de uiterste datum."),
    )


POSITION_CHOICES = Position.choices
KEEP_CHOICES = [(KEEP_MINE, _("Mijn versie, zoals in het formulier")), (KEEP_THEIRS, _("De opgeslagen versie"))]


@dataclass(frozen=True)
class ThemeFields:
    """A theme's two fields in the draft form, with the theme and its sub-themes (for fieldsets)."""

    theme: Theme
    position: forms.BoundField
    text: forms.BoundField
    subthemes: list[ThemeFields]


class OpinionDraftForm(PortalForm):
    """The draft zienswijze: the overall position and one position and text per theme and sub-theme.

    ``version`` is the draft's version when the form was rendered (a save naming an older one is
    refused); ``idempotency_key`` is new on every render, so a double click submits once.
    """

    failure_message = _("Het concept is niet opgeslagen.")

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # After a conflict: the version whose changes the page showed (services.opinion_draft_save).
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    overall_position = forms.ChoiceField(
        label=_("Standpunt van de raad"),
        choices=POSITION_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    overall_text = forms.CharField(
        label=_("Toelichting"), required=False, max_length=OVERALL_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, themes: list[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.themes = themes
        for theme in themes:
            self.fields[f"position_{theme.uuid.hex}"] = forms.ChoiceField(
                label=_("Standpunt"), choices=POSITION_CHOICES, required=False, widget=forms.RadioSelect
            )
            self.fields[f"text_{theme.uuid.hex}"] = forms.CharField(
                label=_("Toelichting"),
                required=False,
                max_length=POINT_TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        for name in list(self.fields):
            if name.startswith(("overall_", "position_", "text_")):
                self.fields[f"keep_{name}"] = forms.ChoiceField(
                    label=_("Welke versie blijft?"), choices=KEEP_CHOICES, required=False, widget=forms.RadioSelect
                )
        self.drop_maxlength()

    @classmethod
    def for_draft(cls, draft: OpinionDraft, themes: list[Theme]) -> OpinionDraftForm:
        initial: dict[str, Any] = {
            "version": draft.version,
            "idempotency_key": uuid.uuid4().hex,
            "overall_position": draft.overall_position,
            "overall_text": draft.overall_text,
        }
        for point in draft.points.select_related("theme"):
            initial[f"position_{point.theme.uuid.hex}"] = point.position
            initial[f"text_{point.theme.uuid.hex}"] = point.text
        return cls(initial=initial, themes=themes)

    def theme_fields(self) -> Iterator[ThemeFields]:
        """Top themes in order, each with its sub-themes: one fieldset each."""
        by_parent: dict[int, list[Theme]] = {}
        for theme in self.themes:
            if theme.parent_id is not None:
                by_parent.setdefault(theme.parent_id, []).append(theme)
        for theme in self.themes:
            if theme.parent_id is None:
                yield ThemeFields(
                    theme=theme,
                    position=self[f"position_{theme.uuid.hex}"],
                    text=self[f"text_{theme.uuid.hex}"],
                    subthemes=[
                        ThemeFields(
                            theme=sub,
                            position=self[f"position_{sub.uuid.hex}"],
                            text=self[f"text_{sub.uuid.hex}"],
                            subthemes=[],
                        )
                        for sub in by_parent.get(theme.pk, [])
                    ],
                )

    def points(self) -> list[DraftPointInput]:
        return [
            DraftPointInput(
                theme_uuid=str(theme.uuid),
                position=self.cleaned_data.get(f"position_{theme.uuid.hex}") or "",
                text=self.cleaned_data.get(f"text_{theme.uuid.hex}") or "",
            )
            for theme in self.themes
        ]

    def keep(self) -> dict[str, str]:
        """The choice per field both people changed, by the field's name."""
        return {
            name.removeprefix("keep_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("keep_") and value
        }

    def show_conflict(self, conflict: DraftConflictError) -> list[ConflictRow]:
        """After a refused (stale) save: the user's input stays, a field only the other person changed
        shows what they saved, and the form names the version whose changes it now shows. The rows say,
        field by field, what was there, what they saved and what this tab has."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data["seen_version"] = str(conflict.version)
        for change in conflict.changes:
            if not change.both_changed:
                data[change.field] = change.theirs
        self.data = data
        for field in sorted(conflict.unresolved):
            self.add_error(f"keep_{field}", _("Kies welke versie blijft: de uwe of de opgeslagen."))
        themes = {theme.uuid.hex: theme for theme in self.themes}
        rows = []
        for change in conflict.changes:
            kind, _sep, key = change.field.partition("_")
            theme = themes.get(key)
            if theme is None and kind != "overall":
                continue
            rows.append(
                ConflictRow(
                    label=_label(kind, key, theme),
                    original=_shown(change.field, change.original),
                    theirs=_shown(change.field, change.theirs),
                    mine=_shown(change.field, change.mine),
                    by=change.by,
                    at=change.at,
                    choice=self[f"keep_{change.field}"] if change.both_changed else None,
                )
            )
        return rows


@dataclass(frozen=True)
class ConflictRow:
    """One field the other person changed, as the conflict box on the round page shows it."""

    label: str
    original: str | None
    theirs: str
    mine: str
    by: str
    at: datetime | None
    choice: forms.BoundField | None  # only when both changed it


def _label(kind: str, key: str, theme: Theme | None) -> str:
    if theme is None:
        return str(_("Standpunt van de raad") if key == "position" else _("Toelichting bij de zienswijze als geheel"))
    if kind == "position":
        return str(_("Standpunt bij “%(theme)s”") % {"theme": theme.name})
    return str(_("Toelichting bij “%(theme)s”") % {"theme": theme.name})


@overload
def _shown(field: str, value: str) -> str: ...
@overload
def _shown(field: str, value: None) -> None: ...
def _shown(field: str, value: str | None) -> str | None:
    """A position as its Dutch label; "" as a dash. None (not known) stays None."""
    if value is None:
        return None
    if not value:
        return "—"
    if field.startswith(("position_", "overall_position")):
        return str(Position(value).label) if value in Position.values else value
    return value
