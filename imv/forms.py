"""Forms of the adviser's pages. They only parse input; the rules live in imv.services."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from imv.clock import amsterdam_moment
from imv.models import Disposition, DraftVersion, ThemeStatus
from portal.forms import DateInput, PortalForm, TimeInput


class DraftVersionChoiceField(forms.ModelChoiceField[DraftVersion]):
    """ "Concept … (1 december 2026)": the date as the pages write dates, not the model's ISO form."""

    def label_from_instance(self, obj: DraftVersion) -> str:
        return f"{obj.label} ({date_format(obj.date, 'j F Y')})"


class RoundOpenForm(PortalForm):
    failure_message = _("De consultatieronde is niet geopend.")
    service_fields = {"deadline": "deadline_date", "rbop_meeting": "rbop_date"}

    draft_version = DraftVersionChoiceField(
        label=_("Conceptversie"),
        queryset=DraftVersion.objects.none(),
        empty_label=None,
        help_text=_("De raden geven hun zienswijze op deze versie; die ligt vast zodra de ronde open is."),
    )
    deadline_date = forms.DateField(label=_("Uiterste datum zienswijze"), widget=DateInput())
    deadline_time = forms.TimeField(
        label=_("Uiterlijk om (tijd)"),
        initial=time(23, 59),
        widget=TimeInput(),
        help_text=_("Nederlandse tijd."),
    )
    rbop_date = forms.DateField(label=_("Datum RBOP-vergadering"), widget=DateInput())
    rbop_time = forms.TimeField(
        label=_("Aanvang RBOP-vergadering"), initial=time(10, 0), widget=TimeInput(), help_text=_("Nederlandse tijd.")
    )

    def __init__(self, *args: Any, draft_versions: QuerySet[DraftVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[DraftVersion], self.fields["draft_version"]).queryset = draft_versions

    def deadline(self) -> datetime:
        return amsterdam_moment(self.cleaned_data["deadline_date"], self.cleaned_data["deadline_time"])

    def rbop_meeting(self) -> datetime:
        return amsterdam_moment(self.cleaned_data["rbop_date"], self.cleaned_data["rbop_time"])


# Where a service's error for one of its arguments is shown in the round form.
class ThemeForm(PortalForm):
    failure_message = _("Het thema is niet opgeslagen.")

    name = forms.CharField(label=_("Naam"), max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=ThemeStatus.choices)
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijvoorbeeld waarom een thema nog in verkenning is."),
    )


class ExtensionDecisionForm(PortalForm):
    failure_message = _("Het besluit over het uitstel is niet opgeslagen.")
    service_fields = {"deadline": "deadline_date"}

    GRANT = "toekennen"
    REFUSE = "afwijzen"

    # Sent by the button pressed ("Uitstel toekennen" or "Uitstel afwijzen"), not shown as a field.
    decision = forms.ChoiceField(choices=[(GRANT, GRANT), (REFUSE, REFUSE)])
    deadline_date = forms.DateField(
        label=_("Andere nieuwe uiterste datum"),
        required=False,
        widget=DateInput(),
        help_text=_("Alleen invullen als u een andere datum toekent dan gevraagd."),
    )
    deadline_time = forms.TimeField(
        label=_("Uiterlijk om (tijd)"), required=False, initial=time(23, 59), widget=TimeInput()
    )
    note = forms.CharField(
        label=_("Toelichting voor de gemeente"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def grant(self) -> bool:
        return bool(self.cleaned_data["decision"] == self.GRANT)

    def deadline(self) -> datetime | None:
        day = self.cleaned_data.get("deadline_date")
        if day is None:
            return None
        return amsterdam_moment(day, self.cleaned_data.get("deadline_time") or time(23, 59))


class ReactionForm(forms.Form):
    """The region's answer to one point (or to the opinion as a whole) for the reactienota."""

    disposition = forms.ChoiceField(label=_("Verwerking"), choices=Disposition.choices)
    explanation = forms.CharField(label=_("Reactie van de regio"), widget=forms.Textarea(attrs={"rows": 3}))


class ReactionCorrectionForm(PortalForm):
    """A correction of a reaction the municipality has been sent: the new text and why (imv.services.reaction_correct).

    Explanation and reason are checked by the service, so that its Dutch messages reach the fields;
    ``version`` is the version of the reaction the adviser saw, so a correction made meanwhile is not overwritten.
    """

    failure_message = _("De correctie is niet opgeslagen.")

    disposition = forms.ChoiceField(label=_("Verwerking"), choices=Disposition.choices)
    explanation = forms.CharField(
        label=_("Reactie van de regio"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Reden van de correctie"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("De gemeente leest de reden naast de eerdere versie."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def keep_version(self, version: str) -> None:
        """After a refused (stale) correction: keep the adviser's text, but name the version now current,
        so that sending it again corrects that one knowingly."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[self.add_prefix("version")] = version
        self.data = data


class DraftVersionForm(PortalForm):
    failure_message = _("De conceptversie is niet toegevoegd.")

    """A new version of the draft IMV text, with its PDF."""

    label = forms.CharField(
        label=_("Naam van de versie"),
        max_length=100,
        help_text=_("Bijvoorbeeld: Concept IMV 2024-2027 (circa 90 % gereed)."),
    )
    day = forms.DateField(label=_("Datum"), widget=DateInput())
    document = forms.FileField(
        label=_("Tekst van het concept (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )
    change_note = forms.CharField(
        label=_("Wat is er veranderd"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
