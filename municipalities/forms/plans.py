"""Forms of the plan pages (IVP). They check the shape of the input; the services check the rules.

Field names match the services' keyword arguments (and so the field names in their PortalError),
so a refusal lands at the field it is about (PortalForm.add_portal_error).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from imv.models import Openbaarheid, Theme, ThemeStatus
from municipalities.models import ActionStatus, ParticipationKind, PlanStatus, Priority, SafetyPlan
from municipalities.reference import kbv_field_choices, kbv_fields, kbv_themes
from municipalities.selectors import CycleThemes
from municipalities.services import MeasurementInput
from portal.forms import DateInput, PortalForm

CHOOSE = ("", _("— kies —"))


class SafetyPlanForm(forms.ModelForm[SafetyPlan]):
    class Meta:
        model = SafetyPlan
        fields = ["title", "status", "summary"]


class AmountField(forms.DecimalField):
    """A number as people type it here: "3,4" and "3.4" both work, and with a decimal comma the
    points are thousands ("1.250,50"). Shown with a decimal comma in Dutch."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # as django-stubs' own DecimalField
        if isinstance(value, str):
            value = value.strip().removeprefix("€").strip().replace(" ", "")
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
        return super().to_python(value)


def amount_field(label: Any, help_text: Any = "") -> forms.DecimalField:
    return AmountField(
        label=label,
        required=False,
        localize=True,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def year_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off"}),
    )


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    """A choice field of the form, to set its choices when the form is made."""
    return cast(forms.ChoiceField, form.fields[name])


def text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def kbv_theme_grouped_choices() -> list[Any]:
    """The KBV themes in an optgroup per safety field, so the select reads like the method."""
    names = kbv_fields()
    return [
        CHOOSE,
        *[
            (f"{code}. {name}", [(t.code, f"{t.code} {t.name}") for t in kbv_themes().values() if t.field_code == code])
            for code, name in names.items()
        ],
    ]


class SafetyPlanCreateForm(PortalForm):
    """A new plan (IVP): its title, period, status and summary; the service checks the period."""

    failure_message = _("Het veiligheidsplan is niet opgeslagen.")

    title = forms.CharField(
        label=_("Titel"), max_length=200, help_text=_("Bijvoorbeeld: Integraal Veiligheidsplan 2028-2031.")
    )
    period_start = year_field(_("Eerste jaar"), required=True)
    period_end = year_field(
        _("Laatste jaar"), required=True, help_text=_("Een plan beslaat meestal vier jaar, en hoogstens zes.")
    )
    status = forms.ChoiceField(label=_("Status"), choices=PlanStatus.choices, initial=PlanStatus.IN_PREPARATION)
    summary = forms.CharField(label=_("Samenvatting"), required=False, max_length=20_000, widget=text_area(4))


# --- Priorities -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ThemeBox:
    """One IMV theme's checkbox, with its sub-themes' checkboxes."""

    theme: Theme
    box: forms.BoundField | Any
    subthemes: list[ThemeBox]

    @property
    def exploring(self) -> bool:
        return self.theme.status == ThemeStatus.EXPLORING


@dataclass(frozen=True)
class CycleBoxes:
    cycle: Any
    themes: list[ThemeBox]


class PriorityForm(PortalForm):
    failure_message = _("De prioriteit is niet opgeslagen.")

    title = forms.CharField(label=_("Prioriteit"), max_length=200, help_text=_("Kort, zoals in het plan."))
    description = forms.CharField(label=_("Omschrijving"), required=False, max_length=5000, widget=text_area(4))
    field_code = forms.ChoiceField(
        label=_("Veiligheidsveld"),
        help_text=_("Het veld van het Kernbeleid Veiligheid (VNG) waarin de prioriteit valt."),
    )
    theme_code = forms.ChoiceField(
        label=_("Thema"),
        help_text=_("Een thema van dat veld, of een domeinoverstijgend thema (X)."),
    )
    imv_themes = forms.MultipleChoiceField(label=_("IMV-thema's"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, cycles: list[CycleThemes], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cycles = cycles
        _choices(self, "field_code").choices = [CHOOSE, *kbv_field_choices()]
        _choices(self, "theme_code").choices = kbv_theme_grouped_choices()
        _choices(self, "imv_themes").choices = [
            (str(theme.uuid), theme.name)
            for group in (g for c in cycles for g in c.groups)
            for theme in (group.theme, *group.subthemes)
        ]

    @classmethod
    def initial_for(cls, priority: Priority) -> dict[str, Any]:
        return {
            "title": priority.title,
            "description": priority.description,
            "field_code": priority.field_code,
            "theme_code": priority.theme_code,
            "imv_themes": [str(u) for u in priority.imv_themes],
        }

    def theme_boxes(self) -> list[CycleBoxes]:
        """The checkboxes per IMV cycle, a theme with its sub-themes under it."""
        boxes = {w.data["value"]: w for w in self["imv_themes"]}
        return [
            CycleBoxes(
                cycle=c.cycle,
                themes=[
                    ThemeBox(
                        theme=g.theme,
                        box=boxes[str(g.theme.uuid)],
                        subthemes=[ThemeBox(theme=s, box=boxes[str(s.uuid)], subthemes=[]) for s in g.subthemes],
                    )
                    for g in c.groups
                ],
            )
            for c in self.cycles
        ]


# --- Indicators -------------------------------------------------------------------------------
class KpiForm(PortalForm):
    """An indicator with its baseline, target, story, and one field per year for the yearly values."""

    failure_message = _("De indicator is niet opgeslagen.")

    name = forms.CharField(label=_("Indicator"), max_length=200, help_text=_("Bijvoorbeeld: aantal woninginbraken."))
    unit = forms.CharField(
        label=_("Eenheid"), max_length=50, help_text=_("Bijvoorbeeld: aantal per jaar, %, rapportcijfer.")
    )
    # Shown in pairs under the legends "Nulmeting" and "Streefwaarde" (see KpiForm.layout).
    baseline_value = amount_field(_("Waarde"))
    baseline_year = year_field(_("Jaar"))
    target_value = amount_field(_("Waarde"))
    target_year = year_field(_("Jaar"))
    story = forms.CharField(
        label=_("Het verhaal achter de cijfers"),
        required=False,
        max_length=10_000,
        widget=text_area(4),
        help_text=_("Wat de cijfers wel en niet zeggen, bijvoorbeeld een stijging door meer meldingsbereidheid."),
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"measurement_{year}"] = amount_field(_("Meting %(year)s") % {"year": year})

    def layout(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The fields in groups: what is measured, the baseline, the target, the story, the yearly values."""
        return [
            (None, [self["name"], self["unit"]]),
            (_("Nulmeting"), [self["baseline_value"], self["baseline_year"]]),
            (_("Streefwaarde"), [self["target_value"], self["target_year"]]),
            (None, [self["story"]]),
            (_("Metingen per jaar"), [self[f"measurement_{year}"] for year in self.years]),
        ]

    def measurements(self) -> list[MeasurementInput]:
        values: list[tuple[int, Decimal | None]] = [
            (year, self.cleaned_data.get(f"measurement_{year}")) for year in self.years
        ]
        return [MeasurementInput(year=year, value=value) for year, value in values if value is not None]

    def kpi_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = ("name", "unit", "baseline_value", "baseline_year", "target_value", "target_year", "story")
        return {key: data[key] for key in keys}


# --- Yearly plans and actions -----------------------------------------------------------------
class ImplementationPlanForm(PortalForm):
    failure_message = _("Het uitvoeringsplan is niet opgeslagen.")

    year = forms.TypedChoiceField(label=_("Jaar"), coerce=int)
    look_back = forms.CharField(
        label=_("Terugblik op het vorige jaar"),
        required=False,
        max_length=20_000,
        widget=text_area(5),
        help_text=_("Wat is er van het uitvoeringsplan van vorig jaar terechtgekomen?"),
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "year").choices = [CHOOSE, *((year, str(year)) for year in years)]


class ActionForm(PortalForm):
    failure_message = _("De actie is niet opgeslagen.")

    title = forms.CharField(label=_("Actie"), max_length=300)
    owner = forms.CharField(label=_("Trekker"), max_length=200, help_text=_("Wie de actie uitvoert of coördineert."))
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    cost = amount_field(_("Kosten (€)"), _("In euro, zonder euroteken; leeg als er geen kosten zijn."))
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    priority = forms.ChoiceField(
        label=_("Prioriteit"), required=False, help_text=_("De prioriteit die de actie dient.")
    )

    def __init__(self, *args: Any, priorities: list[Priority], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.priorities = {str(p.uuid): p for p in priorities}
        _choices(self, "priority").choices = [("", _("— geen —")), *((str(p.uuid), p.title) for p in priorities)]

    def chosen_priority(self) -> Priority | None:
        return self.priorities.get(self.cleaned_data.get("priority") or "")


# --- How the plan is made ---------------------------------------------------------------------
class PlanStepForm(PortalForm):
    failure_message = _("De planstap is niet opgeslagen.")

    planned_start = forms.DateField(label=_("Gepland begin"), required=False, widget=DateInput())
    planned_end = forms.DateField(label=_("Gepland eind"), required=False, widget=DateInput())
    actual_end = forms.DateField(
        label=_("Werkelijk afgerond"), required=False, widget=DateInput(), help_text=_("Leeg zolang de stap loopt.")
    )
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=5000, widget=text_area())


class MilestoneForm(PortalForm):
    failure_message = _("De mijlpaal is niet opgeslagen.")

    title = forms.CharField(
        label=_("Mijlpaal"), max_length=200, help_text=_("Bijvoorbeeld: Commissie Samenleving bespreekt het concept.")
    )
    starts_on = forms.DateField(label=_("Datum"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Tot en met"), required=False, widget=DateInput(), help_text=_("Alleen als het meer dagen beslaat.")
    )
    done = forms.BooleanField(label=_("Gereed"), required=False)


class PrincipleForm(PortalForm):
    failure_message = _("Het uitgangspunt is niet opgeslagen.")

    title = forms.CharField(label=_("Uitgangspunt"), max_length=200)
    description = forms.CharField(label=_("Toelichting"), required=False, max_length=5000, widget=text_area())


class ParticipationEventForm(PortalForm):
    failure_message = _("Het participatiemoment is niet opgeslagen.")

    kind = forms.ChoiceField(label=_("Vorm"), choices=[CHOOSE, *ParticipationKind.choices])
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    participants = forms.CharField(
        label=_("Wie deden mee"),
        required=False,
        max_length=5000,
        widget=text_area(2),
        help_text=_("Bijvoorbeeld: bewoners, wijkagent en jongerenwerk."),
    )
    outcome = forms.CharField(label=_("Wat kwam eruit"), required=False, max_length=10_000, widget=text_area(4))


class PlanDecisionForm(PortalForm):
    """The council's decision on the plan (raadsbesluit), with its PDF."""

    failure_message = _("Het raadsbesluit is niet opgeslagen.")

    date = forms.DateField(label=_("Datum raadsbesluit"), widget=DateInput())
    case_number = forms.CharField(
        label=_("Zaaknummer"), max_length=50, help_text=_("Het zaaknummer van het raadsbesluit, bijvoorbeeld 560652.")
    )
    openbaarheid = forms.ChoiceField(label=_("Openbaarheid"), choices=[CHOOSE, *Openbaarheid.choices])
    document = forms.FileField(
        label=_("Raadsbesluit (PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("Alleen PDF, zonder wachtwoord of scripts, tot 10 MB."),
    )

    def __init__(self, *args: Any, has_document: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_document:
            self.fields["document"].help_text = _(
                "Er is al een PDF opgeslagen. Kies alleen een bestand als u die wilt vervangen. "
                "Alleen PDF, zonder wachtwoord of scripts, tot 10 MB."
            )


# --- Import -----------------------------------------------------------------------------------
IMPORT_KINDS = {
    "prioriteiten": _("Prioriteiten"),
    "indicatoren": _("Indicatoren"),
    "acties": _("Acties van de uitvoeringsplannen"),
}


class ImportForm(PortalForm):
    """A file to check. The field names are the keys municipalities.services names in its errors."""

    failure_message = _("Het bestand is niet ingelezen.")

    soort = forms.ChoiceField(label=_("Wat importeert u?"), choices=[CHOOSE, *IMPORT_KINDS.items()])
    bestand = forms.FileField(
        label=_("Bestand (CSV of XLSX)"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        help_text=_("De eerste rij bevat de kolomnamen, zoals in het voorbeeldbestand. Tot 1 MB."),
    )


class ImportConfirmForm(forms.Form):
    """The confirmation names the file it confirms by its SHA-256, kept with the content in the session."""

    digest = forms.CharField(widget=forms.HiddenInput, min_length=64, max_length=64)
