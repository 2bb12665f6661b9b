"""Organisations and people, all in the shared (public) schema.

A municipality is a tenant: django-tenants gives it its own PostgreSQL schema for its local
plan. Police units and districts are reference data; users hold roles per organisation.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.postgresql_backend.base import _check_schema_name

cbs_code_validator = RegexValidator(
    r"^GM\d{4}$", _("Een CBS-gemeentecode is 'GM' met vier cijfers, bijvoorbeeld GM0397.")
)


class PoliceUnit(models.Model):
    """A police unit (eenheid), e.g. Noord-Holland: the region whose mayors adopt one IMV."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("korte naam"), unique=True)

    class Meta:
        verbose_name = _("politie-eenheid")
        verbose_name_plural = _("politie-eenheden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A district within a police unit (e.g. Kennemerland); same borders as the safety region."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    police_unit = models.ForeignKey(
        PoliceUnit, on_delete=models.PROTECT, related_name="districts", verbose_name=_("politie-eenheid")
    )
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districten")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["police_unit", "name"], name="district_unique_per_unit")]

    def __str__(self) -> str:
        return self.name


class Municipality(TenantMixin):
    """A municipality (gemeente) and its tenant schema, named after its CBS code (e.g. gm0397).

    The schema name never changes when a municipality is renamed; its path (Domain) may.
    """

    # django-tenants' field, as TenantMixin defines it, with a Dutch name for the admin.
    schema_name = models.CharField(
        _("schemanaam"), max_length=63, unique=True, db_index=True, validators=[_check_schema_name]
    )
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    cbs_code = models.CharField(_("CBS-code"), max_length=6, unique=True, validators=[cbs_code_validator])
    name = models.CharField(_("naam"), max_length=100)
    police_unit = models.ForeignKey(
        PoliceUnit, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("politie-eenheid")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="municipalities",
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    basisteam = models.CharField(_("basisteam"), max_length=100, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def slug(self) -> str:
        """The path segment of the municipality's pages: /gemeenten/<slug>/ (one query per instance)."""
        domain = self.domains.filter(is_primary=True).first()
        return domain.domain if domain else self.schema_name


class Domain(DomainMixin):
    """A path segment under /gemeenten/ that leads to a municipality.

    The primary one is the canonical address; others (a former name) redirect to it.
    """

    # django-tenants' fields, as DomainMixin defines them, with Dutch names for the admin.
    domain = models.CharField(_("pad"), max_length=253, unique=True, db_index=True)
    tenant = models.ForeignKey(
        settings.TENANT_MODEL,
        db_index=True,
        related_name="domains",
        on_delete=models.CASCADE,
        verbose_name=_("gemeente"),
    )
    is_primary = models.BooleanField(_("hoofdadres"), default=True, db_index=True)

    class Meta:
        verbose_name = _("adres")
        verbose_name_plural = _("adressen")


class User(AbstractUser):
    """A person (or an API client's service account). What they may do comes from Memberships."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    is_demo = models.BooleanField(
        _("demo-account"), default=False, help_text=_("Kan nooit inloggen met productie-instellingen.")
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")


class Role(models.TextChoices):
    ADVISER = "adviseur", _("adviseur regioburgemeester")
    RBOP = "rbop", _("lid RBOP")
    OOV = "oov", _("medewerker openbare orde en veiligheid")
    GRIFFIE = "griffie", _("griffie")
    # OOV's rights in the own municipality, and besides them its people: invites them, ends their roles.
    COORDINATOR = "coordinator", _("coördinator")


REGIONAL_ROLES = frozenset({Role.ADVISER, Role.RBOP})
MUNICIPAL_ROLES = frozenset({Role.OOV, Role.GRIFFIE, Role.COORDINATOR})


def role_matches_organisation() -> Q:
    """A regional role belongs to a police unit, a municipal role to a municipality (never both)."""
    return Q(
        role__in=sorted(r.value for r in REGIONAL_ROLES),
        police_unit__isnull=False,
        municipality__isnull=True,
    ) | Q(
        role__in=sorted(r.value for r in MUNICIPAL_ROLES),
        municipality__isnull=False,
        police_unit__isnull=True,
    )


ROLE_ORGANISATION_MESSAGE = _(
    "Een regionale rol hoort bij een politie-eenheid, een gemeentelijke rol bij een gemeente."
)


class Membership(models.Model):
    """A user's role in one organisation: a police unit (regional roles) or a municipality."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("gebruiker"))
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    police_unit = models.ForeignKey(
        PoliceUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("politie-eenheid"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("gemeente"),
    )

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=role_matches_organisation(),
                name="membership_role_matches_organisation",
                violation_error_message=ROLE_ORGANISATION_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["user", "role", "police_unit", "municipality"], name="membership_unique", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"

    @property
    def organisation(self) -> PoliceUnit | Municipality:
        organisation = self.municipality or self.police_unit
        if organisation is None:  # ruled out by membership_role_matches_organisation
            raise ValueError(f"membership {self.pk} has no organisation")
        return organisation


class EndedMembership(models.Model):
    """A role someone held and no longer holds (beëindigde rol): who, which role where, ended when and by whom.

    Ending a membership deletes it (so no access check can overlook it) and writes this row, which
    grants nothing: it keeps the person in the organisation's list of people and in its history.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="ended_memberships")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    police_unit = models.ForeignKey(PoliceUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ended_at = models.DateTimeField(db_default=Now(), editable=False)
    ended_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("beëindigde rol")
        verbose_name_plural = _("beëindigde rollen")
        ordering = ["-ended_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=role_matches_organisation(),
                name="ended_membership_role_matches_organisation",
                violation_error_message=ROLE_ORGANISATION_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"

    @property
    def organisation(self) -> PoliceUnit | Municipality:
        organisation = self.municipality or self.police_unit
        if organisation is None:  # ruled out by ended_membership_role_matches_organisation
            raise ValueError(f"ended membership {self.pk} has no organisation")
        return organisation


class Invitation(models.Model):
    """An invitation (uitnodiging) by e-mail to take up one role in one organisation.

    Only a SHA-256 hash of the link's token is kept. The link works once and until ``expires_at``;
    sending it again makes a new token, which voids the old one. At most one open invitation per
    address and organisation. Once accepted it names the user who took up the role.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mailadres"))  # lower case: one address is one invitee
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    police_unit = models.ForeignKey(
        PoliceUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    sent_at = models.DateTimeField(_("verstuurd"))
    send_count = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField(_("geldig tot"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=role_matches_organisation(),
                name="invitation_role_matches_organisation",
                violation_error_message=ROLE_ORGANISATION_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["email", "police_unit", "municipality"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_address_and_organisation",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()} — {self.organisation}"

    @property
    def organisation(self) -> PoliceUnit | Municipality:
        organisation = self.municipality or self.police_unit
        if organisation is None:  # ruled out by invitation_role_matches_organisation
            raise ValueError(f"invitation {self.pk} has no organisation")
        return organisation

    @property
    def is_open(self) -> bool:
        """Neither accepted nor revoked (it may have expired: then it can be sent again)."""
        return self.accepted_at is None and self.revoked_at is None

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for an API client, bound to one membership (one organisation, one role).

    Only a SHA-256 hash of the key is stored; the key is shown once, when it is made.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=100)
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("rol")
    )
    key_hash = models.CharField(_("hash van de sleutel"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class AuditEvent(models.Model):
    """One change of a field (a status, a deadline, an opinion, a row of a municipality's plan): who, when
    (database clock), old and new value.

    Written in the same transaction as the change it records; never updated or deleted.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(db_default=Now(), editable=False)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_label = models.CharField(max_length=150, help_text=_("Naam van wie het deed, ook als het account verdwijnt."))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    object_type = models.CharField(max_length=50)
    object_uuid = models.UUIDField()
    field = models.CharField(max_length=50)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("audit")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_uuid"]), models.Index(fields=["municipality", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label}: {self.field} {self.old_value} → {self.new_value}"
