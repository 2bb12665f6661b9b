"""A consultation round and what happens in it: one participation per municipality, its status moves
(TRANSITIONS), the opinions a council submits and the region's reactions, and requests for more time."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from imv.clock import is_late, late_text
from imv.models.cycles import DraftVersion, ImvCycle, Theme, WooCategory
from tenants.models import Municipality


class ConsultationRound(models.Model):
    """A round in which every council of the police unit gives its zienswijze on one draft version.

    The draft version is fixed when the round opens. After the RBOP meeting the round is closed.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(ImvCycle, on_delete=models.PROTECT, related_name="rounds")
    draft_version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="rounds")
    deadline = models.DateTimeField(_("uiterste datum zienswijze"))
    rbop_meeting = models.DateTimeField(_("RBOP-vergadering"))
    opened_at = models.DateTimeField(_("geopend op"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_example = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("consultatieronde")
        verbose_name_plural = _("consultatierondes")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rbop_meeting__gt=models.F("deadline")), name="round_rbop_after_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.draft_version.label}"

    def is_closed(self, now: datetime) -> bool:
        """Closed from the RBOP meeting on (now on the database's clock): nothing is submitted, changed or reminded."""
        return now >= self.rbop_meeting

    @staticmethod
    def open_at(now: datetime, *, via: str = "") -> Q:
        """The same rule as a filter: rounds not closed at ``now``; ``via`` is the path to the round
        from the model filtered ("round__" from a participation)."""
        return Q(**{f"{via}rbop_meeting__gt": now})


class ParticipationStatus(models.TextChoices):
    INVITED = "uitgenodigd", _("uitgenodigd")
    SCHEDULED = "geagendeerd", _("geagendeerd")
    ADOPTED = "vastgesteld", _("vastgesteld")
    SUBMITTED = "ingediend", _("ingediend")
    ANSWERED = "beantwoord", _("beantwoord")
    NO_OPINION = "geen_zienswijze", _("geeft geen zienswijze")


class Action(models.TextChoices):
    """What someone does to a participation. TRANSITIONS says in which status it may, and what follows."""

    SCHEDULE = "agenderen", _("de vergaderdata vastleggen")
    ADOPT = "vaststellen", _("het raadsbesluit vastleggen")
    DECLINE = "afzien", _("afzien van een zienswijze")
    SUBMIT = "indienen", _("de zienswijze indienen")
    WITHDRAW = "intrekken", _("de zienswijze intrekken")
    ANSWER = "beantwoorden", _("de zienswijze beantwoorden")
    EXTENSION_REQUEST = "uitstel_aanvragen", _("uitstel aanvragen")
    EXTENSION_GRANT = "uitstel_toekennen", _("uitstel toekennen")
    EXTENSION_REFUSE = "uitstel_afwijzen", _("uitstel afwijzen")


_S, _A = ParticipationStatus, Action

# The one table of allowed moves: per status, each action allowed there and the status it leads
# to. Every service checks its action against the status it reads under the participation's lock;
# anything not listed is refused (409) and writes nothing. Withdrawing is the only way back from
# "ingediend"; recording or replacing the council decision is for before the submission. An
# extension is granted only while the council has not submitted (the deadline then still
# matters); a request that became moot can always be refused, so none stays open for ever.
TRANSITIONS: dict[str, dict[str, str]] = {
    _S.INVITED: {
        _A.SCHEDULE: _S.SCHEDULED,
        _A.DECLINE: _S.NO_OPINION,
        _A.EXTENSION_REQUEST: _S.INVITED,
        _A.EXTENSION_GRANT: _S.INVITED,
        _A.EXTENSION_REFUSE: _S.INVITED,
    },
    _S.SCHEDULED: {
        _A.SCHEDULE: _S.SCHEDULED,
        _A.ADOPT: _S.ADOPTED,
        _A.DECLINE: _S.NO_OPINION,
        _A.EXTENSION_REQUEST: _S.SCHEDULED,
        _A.EXTENSION_GRANT: _S.SCHEDULED,
        _A.EXTENSION_REFUSE: _S.SCHEDULED,
    },
    _S.ADOPTED: {
        _A.ADOPT: _S.ADOPTED,
        _A.SUBMIT: _S.SUBMITTED,
        _A.EXTENSION_REQUEST: _S.ADOPTED,
        _A.EXTENSION_GRANT: _S.ADOPTED,
        _A.EXTENSION_REFUSE: _S.ADOPTED,
    },
    _S.SUBMITTED: {
        _A.WITHDRAW: _S.ADOPTED,
        _A.ANSWER: _S.ANSWERED,
        _A.EXTENSION_REFUSE: _S.SUBMITTED,
    },
    _S.ANSWERED: {
        _A.EXTENSION_REFUSE: _S.ANSWERED,
    },
    _S.NO_OPINION: {
        _A.SCHEDULE: _S.SCHEDULED,
        _A.EXTENSION_REQUEST: _S.NO_OPINION,
        _A.EXTENSION_GRANT: _S.NO_OPINION,
        _A.EXTENSION_REFUSE: _S.NO_OPINION,
    },
}


class Openbaarheid(models.TextChoices):
    ACTIVE = "actief_openbaar", _("actief openbaar")
    PUBLIC = "openbaar", _("openbaar")
    NOT_PUBLIC = "niet_openbaar", _("niet openbaar")


def decision_document_path(instance: Participation, filename: str) -> str:
    # Per municipality, named by UUID: no user-chosen name ever reaches the file system.
    return f"gemeenten/{instance.municipality.schema_name}/raadsbesluiten/{uuid.uuid4()}.pdf"


class Participation(models.Model):
    """A municipality's place in a round (deelname): status, own deadline, meetings and council decision.

    ``version`` rises with every change; the API's ETag is made from it.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(
        ConsultationRound,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("consultatieronde"),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="participations", verbose_name=_("gemeente")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ParticipationStatus.choices, default=ParticipationStatus.INVITED
    )
    deadline = models.DateTimeField(_("eigen uiterste datum"))
    committee_date = models.DateField(_("commissievergadering"), null=True, blank=True)
    council_date = models.DateField(_("raadsvergadering"), null=True, blank=True)
    decision_date = models.DateField(_("datum raadsbesluit"), null=True, blank=True)
    decision_case_number = models.CharField(_("zaaknummer"), max_length=50, blank=True)
    decision_document = models.FileField(_("raadsbesluit (PDF)"), upload_to=decision_document_path, blank=True)
    openbaarheid = models.CharField(_("openbaarheid"), max_length=20, choices=Openbaarheid.choices, blank=True)
    woo_category = models.ForeignKey(WooCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    days_late = models.PositiveSmallIntegerField(_("dagen te laat"), default=0)
    is_example = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("deelname")
        verbose_name_plural = _("deelnames")
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "municipality"], name="participation_one_per_municipality"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} — {self.get_status_display()}"

    def late_at(self, now: datetime) -> bool:
        """Late: submitted after its own deadline, or not done and past it at ``now``."""
        if self.submitted_at is not None:
            return is_late(self.submitted_at, self.deadline)
        done = self.status in (ParticipationStatus.NO_OPINION, ParticipationStatus.ANSWERED)
        return not done and is_late(now, self.deadline)


class Position(models.TextChoices):
    SUPPORTS = "steunt", _("steunt")
    SUPPORTS_WITH_REMARKS = "steunt_met_kanttekeningen", _("steunt met kanttekeningen")
    OBJECTS = "heeft_bezwaar", _("heeft bezwaar")
    NO_POSITION = "geen_standpunt", _("geen standpunt")


class Opinion(models.Model):
    """A submitted zienswijze: an immutable copy of the council's opinion, one per submission.

    Withdrawing marks it withdrawn; resubmitting adds a new one with the next number.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participation = models.ForeignKey(Participation, on_delete=models.PROTECT, related_name="opinions")
    number = models.PositiveSmallIntegerField(_("versie"))
    overall_position = models.CharField(_("standpunt"), max_length=30, choices=Position.choices)
    overall_text = models.TextField(_("toelichting"), blank=True)
    submitted_at = models.DateTimeField(_("ingediend op"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    days_late = models.PositiveSmallIntegerField(_("dagen te laat"), default=0)
    # The draft version this opinion answers: the round's, recorded so that every copy names it.
    draft_version = models.ForeignKey(
        DraftVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("conceptversie"),
    )
    # The municipality's own deadline when it submitted: later extensions do not make it on time.
    deadline = models.DateTimeField(_("uiterste datum bij indienen"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("zienswijze")
        verbose_name_plural = _("zienswijzen")
        ordering = ["participation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "number"], name="opinion_number_unique"),
            models.UniqueConstraint(
                fields=["participation", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="opinion_idempotency_key_unique",
            ),
            # At most one current (not withdrawn) opinion per participation: no export or count sees two.
            models.UniqueConstraint(
                fields=["participation"],
                condition=Q(withdrawn_at__isnull=True),
                name="opinion_one_current_per_participation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation.municipality} — zienswijze {self.number}"

    @property
    def is_late(self) -> bool:
        return is_late(self.submitted_at, self.deadline) if self.deadline else self.days_late > 0

    @property
    def late_text(self) -> str:
        return late_text(self.submitted_at, self.deadline) if self.deadline else ""


class OpinionPoint(models.Model):
    """The council's position on one theme or sub-theme, as submitted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="points")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("standpunt"), max_length=30, choices=Position.choices)
    text = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("standpunt per thema")
        verbose_name_plural = _("standpunten per thema")
        constraints = [models.UniqueConstraint(fields=["opinion", "theme"], name="opinionpoint_one_per_theme")]

    def __str__(self) -> str:
        return f"{self.theme}: {self.get_position_display()}"


class Disposition(models.TextChoices):
    ADOPTED = "overgenomen", _("overgenomen")
    PARTLY = "deels_overgenomen", _("deels overgenomen")
    NOT_ADOPTED = "niet_overgenomen", _("niet overgenomen")


class Reaction(models.Model):
    """The region's answer (reactienota) to one point of a submitted opinion, or to the opinion as a whole.

    Always the current text: a correction after "beantwoord" keeps the text it replaces as a
    ReactionVersion and raises ``version``, so whatever reads "the reaction" reads the current one.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="reactions")
    point = models.ForeignKey(OpinionPoint, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions")
    disposition = models.CharField(_("verwerking"), max_length=20, choices=Disposition.choices)
    explanation = models.TextField(_("toelichting"))
    # Who wrote the current text, and when; the first writer and moment stay in created_at and the versions.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # 1 as sent to the municipality; each correction after "beantwoord" adds one.
    version = models.PositiveSmallIntegerField(_("versie"), default=1)

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reactienota")
        constraints = [
            models.UniqueConstraint(fields=["opinion", "point"], name="reaction_one_per_point", nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.opinion}: {self.get_disposition_display()}"


class ReactionVersion(models.Model):
    """An earlier text of a reaction (eerdere versie), kept when the adviser corrected it after "beantwoord".

    Immutable: the text as the municipality had it, who wrote it and when, and the correction that
    replaced it (who, when and why). The municipality reads it beside the current reaction.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reaction = models.ForeignKey(Reaction, on_delete=models.CASCADE, related_name="earlier_versions")
    number = models.PositiveSmallIntegerField(_("versie"))
    disposition = models.CharField(_("verwerking"), max_length=20, choices=Disposition.choices)
    explanation = models.TextField(_("toelichting"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    reason = models.TextField(_("reden van de correctie"))
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(_("gecorrigeerd op"))

    class Meta:
        verbose_name = _("eerdere versie van een reactie")
        verbose_name_plural = _("eerdere versies van reacties")
        ordering = ["reaction", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["reaction", "number"], name="reactionversion_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.reaction}: versie {self.number}"


class ExtensionStatus(models.TextChoices):
    REQUESTED = "aangevraagd", _("aangevraagd")
    GRANTED = "toegekend", _("toegekend")
    REFUSED = "afgewezen", _("afgewezen")


class ExtensionRequest(models.Model):
    """A municipality's request for more time (uitstelverzoek), and the adviser's decision on it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="extension_requests")
    reason = models.TextField(_("reden"))
    requested_deadline = models.DateTimeField(_("gevraagde uiterste datum"))
    status = models.CharField(
        _("status"), max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.REQUESTED
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    granted_deadline = models.DateTimeField(_("toegekende uiterste datum"), null=True, blank=True)
    decision_note = models.TextField(_("toelichting besluit"), blank=True)

    class Meta:
        verbose_name = _("uitstelverzoek")
        verbose_name_plural = _("uitstelverzoeken")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation"], condition=Q(status="aangevraagd"), name="extension_one_open_per_participation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation.municipality}: {self.get_status_display()}"
