"""Forms of the people pages. They only parse input; the rules live in tenants.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalForm
from tenants.access import PeopleScope
from tenants.models import REGIONAL_ROLES, Municipality, PoliceUnit, Role

Organisations = list[tuple[str, str, PoliceUnit | Municipality]]


def roles_for(scope: PeopleScope) -> list[tuple[str, str]]:
    """The roles a scope hands out: all of them for the administrator and the adviser, a coordinator's
    municipality's own roles for a coordinator."""
    regional = scope.everything or bool(scope.unit_ids)
    return [(role.value, str(role.label)) for role in Role if regional or role not in REGIONAL_ROLES]


class InvitationForm(PortalForm):
    failure_message = _("De uitnodiging is niet verstuurd.")

    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("De uitnodiging gaat naar dit adres. Het wordt ook de gebruikersnaam waarmee iemand inlogt."),
        error_messages={"required": _("Vul het e-mailadres in."), "invalid": _("Vul een geldig e-mailadres in.")},
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        help_text=_(
            "Een coördinator heeft de rechten van een medewerker OOV en beheert daarnaast de mensen van de "
            "eigen gemeente. De adviseur en leden van het RBOP horen bij de politie-eenheid."
        ),
        error_messages={"required": _("Kies een rol.")},
    )
    organisation = forms.ChoiceField(label=_("Organisatie"), error_messages={"required": _("Kies een organisatie.")})

    def __init__(self, *args: Any, organisations: Organisations, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._organisations = {key: organisation for key, _label, organisation in organisations}
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        self.fields["organisation"].choices = [(key, label) for key, label, _o in organisations]  # type: ignore[attr-defined]

    def organisation_kwargs(self) -> dict[str, PoliceUnit | Municipality | None]:
        """The chosen organisation as the service's keyword arguments (police_unit or municipality)."""
        chosen = self._organisations[self.cleaned_data["organisation"]]
        if isinstance(chosen, Municipality):
            return {"municipality": chosen, "police_unit": None}
        return {"police_unit": chosen, "municipality": None}


class InvitationAcceptForm(PortalForm):
    failure_message = _("Uw account is nog niet gemaakt.")
    service_fields = {"password": "password1"}

    first_name = forms.CharField(
        label=_("Voornaam"), max_length=150, error_messages={"required": _("Vul uw voornaam in.")}
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        help_text=_("Met tussenvoegsel, zoals u genoemd wilt worden: uw naam staat bij wat u in het portaal doet."),
        error_messages={"required": _("Vul uw achternaam in.")},
    )
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Kies een wachtwoord.")},
    )
    password2 = forms.CharField(
        label=_("Wachtwoord nog een keer"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Typ het wachtwoord nog een keer.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In the language of this request: the validators' texts are translated when they are asked.
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        return cleaned
