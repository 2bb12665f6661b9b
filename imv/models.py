"""The regional plan and its consultation, in the shared schema.

An IMV (Integraal Meerjarenbeleidsplan Veiligheid) is the four-year safety plan that the mayors
of a police unit adopt together in the RBOP. Before they do, every council gives its formal
opinion (zienswijze) on a draft: that is a consultation round, with one participation
(deelname) per municipality of the unit.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Municipality, PoliceUnit


class ImvCycle(models.Model):
    """One IMV of one police unit, e.g. IMV 2024-2027 of Noord-Holland."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    police_unit = models.ForeignKey(PoliceUnit, on_delete=models.PROTECT, related_name="imv_cycles")
    name = models.CharField(_("naam"), max_length=100)
    period_start = models.PositiveSmallIntegerField(_("eerste jaar"))
    period_end = models.PositiveSmallIntegerField(_("laatste jaar"))

    class Meta:
        verbose_name = _("IMV-cyclus")
        verbose_name_plural = _("IMV-cycli")
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["police_unit", "period_start"], name="imvcycle_one_per_unit_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="imvcycle_period"),
        ]

    def __str__(self) -> str:
        return self.name


class ThemeStatus(models.TextChoices):
    ADOPTED = "vastgesteld", _("vastgesteld")
    EXPLORING = "in_verkenning", _("in verkenning")


class Theme(models.Model):
    """A theme of an IMV, or a sub-theme when it has a parent. Editable until a round opens."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(ImvCycle, on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="subthemes")
    number = models.PositiveSmallIntegerField(_("nummer"), null=True, blank=True)
    name = models.CharField(_("naam"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=ThemeStatus.choices, default=ThemeStatus.ADOPTED)
    note = models.TextField(_("toelichting"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "parent", "name"], name="theme_unique_name", nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} — {self.name}" if self.parent_id and self.parent else self.name


class TimelineEvent(models.Model):
    """A dated step of the IMV process (themes adopted, draft sent, deadline, RBOP adoption)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(ImvCycle, on_delete=models.CASCADE, related_name="timeline")
    date = models.DateField(_("datum"))
    description = models.CharField(_("gebeurtenis"), max_length=300)
    source = models.CharField(_("bron"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("tijdlijn")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.description}"


def draft_document_path(instance: DraftVersion, filename: str) -> str:
    return f"imv/{instance.cycle.uuid}/concepten/{instance.uuid}.pdf"


class DraftVersion(models.Model):
    """A version of the draft IMV text (e.g. the "90 %" concept). Frozen once a round consults on it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(ImvCycle, on_delete=models.CASCADE, related_name="draft_versions")
    label = models.CharField(_("naam"), max_length=100)
    date = models.DateField(_("datum"))
    document = models.FileField(_("document (PDF)"), upload_to=draft_document_path, blank=True)
    change_note = models.TextField(_("wijzigingen"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conceptversie")
        verbose_name_plural = _("conceptversies")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.label} ({self.date})"


class WooCategory(models.Model):
    """One of the 17 information categories of the Wet open overheid (TOOI thesaurus)."""

    tooi_uri = models.URLField(unique=True)
    label = models.CharField(max_length=200)
    order = models.PositiveIntegerField()
    article = models.CharField(max_length=50, blank=True)

    class Meta:
        verbose_name = _("Woo-informatiecategorie")
        verbose_name_plural = _("Woo-informatiecategorieën")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label


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


class ParticipationStatus(models.TextChoices):
    INVITED = "uitgenodigd", _("uitgenodigd")
    SCHEDULED = "geagendeerd", _("geagendeerd")
    ADOPTED = "vastgesteld", _("vastgesteld")
    SUBMITTED = "ingediend", _("ingediend")
    ANSWERED = "beantwoord", _("beantwoord")
    NO_OPINION = "geen_zienswijze", _("geeft geen zienswijze")


# The only moves a participation can make. Withdrawing a submission goes back to "vastgesteld";
# resubmitting goes forward again with a new version of the opinion.
TRANSITIONS: dict[str, frozenset[str]] = {
    ParticipationStatus.INVITED: frozenset({ParticipationStatus.SCHEDULED, ParticipationStatus.NO_OPINION}),
    ParticipationStatus.SCHEDULED: frozenset(
        {ParticipationStatus.SCHEDULED, ParticipationStatus.ADOPTED, ParticipationStatus.NO_OPINION}
    ),
    ParticipationStatus.ADOPTED: frozenset({ParticipationStatus.SUBMITTED, ParticipationStatus.ADOPTED}),
    ParticipationStatus.SUBMITTED: frozenset({ParticipationStatus.ANSWERED, ParticipationStatus.ADOPTED}),
    ParticipationStatus.ANSWERED: frozenset(),
    ParticipationStatus.NO_OPINION: frozenset({ParticipationStatus.SCHEDULED}),
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
    round = models.ForeignKey(ConsultationRound, on_delete=models.CASCADE, related_name="participations")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="participations")
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
        ]

    def __str__(self) -> str:
        return f"{self.participation.municipality} — zienswijze {self.number}"


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
    """The region's answer (reactienota) to one point of a submitted opinion, or to the opinion as a whole."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="reactions")
    point = models.ForeignKey(OpinionPoint, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions")
    disposition = models.CharField(_("verwerking"), max_length=20, choices=Disposition.choices)
    explanation = models.TextField(_("toelichting"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reactienota")
        constraints = [
            models.UniqueConstraint(fields=["opinion", "point"], name="reaction_one_per_point", nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.opinion}: {self.get_disposition_display()}"


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


class ReminderOutcome(models.TextChoices):
    SENT = "verstuurd", _("verstuurd")
    # A larger threshold passed over because a nearer one was already due (the worker was down, or
    # the municipality joined late): recorded so that it never goes out later.
    SKIPPED = "overgeslagen", _("overgeslagen")


class Reminder(models.Model):
    """A reminder to a municipality N days before its own deadline, sent or skipped. Unique, so never twice.

    ``sent_at`` is when it was recorded; for a skipped one, when it was passed over. Its e-mails
    are OutgoingEmail rows written in the same transaction.
    """

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    deadline = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)
    manual = models.BooleanField(default=False)
    outcome = models.CharField(
        _("uitkomst"), max_length=20, choices=ReminderOutcome.choices, default=ReminderOutcome.SENT
    )

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "days_before", "deadline"],
                condition=Q(manual=False),
                name="reminder_once_per_deadline",
            ),
            models.CheckConstraint(condition=Q(outcome="verstuurd") | Q(manual=False), name="reminder_manual_is_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.participation.municipality}: {self.days_before} dagen ({self.get_outcome_display()})"


class Notification(models.Model):
    """An in-portal message for the staff of one municipality (or one user)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    message = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message[:60]


class PriorityProjection(models.Model):
    """A shared-schema copy of one municipality's local priority, for reads across municipalities.

    Written in the same transaction as the change in the municipality's schema (see
    municipalities.services); ``reconcile_projection`` compares it with the schemas.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="priority_projections")
    priority_uuid = models.UUIDField(unique=True)
    plan_uuid = models.UUIDField()
    plan_period_start = models.PositiveSmallIntegerField()
    plan_period_end = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    field_code = models.CharField(max_length=2)
    theme_code = models.CharField(max_length=5)
    imv_themes = ArrayField(models.UUIDField(), default=list, blank=True)
    is_example = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("prioriteit (projectie)")
        verbose_name_plural = _("prioriteiten (projectie)")
        indexes = [models.Index(fields=["municipality", "plan_period_start"])]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.title}"


class OutboxMessage(models.Model):
    """A live-board message waiting for delivery: written with the change, sent after commit.

    When Redis is down the write still succeeds and the message waits here; the beat task
    imv.tasks.outbox_flush_task delivers it once Redis is back. One pending message per group is
    enough (it only says "refresh"), so a burst of changes is delivered as one.
    """

    group = models.CharField(max_length=100)
    message_type = models.CharField(max_length=50, default="round.changed")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "message_type"], condition=Q(sent_at__isnull=True), name="outbox_one_pending_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.message_type} ({'verstuurd' if self.sent_at else 'wacht'})"


class OutgoingEmailStatus(models.TextChoices):
    PENDING = "wacht", _("wacht")
    SENT = "verstuurd", _("verstuurd")
    FAILED = "mislukt", _("mislukt")


class OutgoingEmail(models.Model):
    """One e-mail to one person, written in the transaction of what it tells (the mail outbox).

    imv.mail sends it after commit, holding its row lock, and marks it sent in that same transaction:
    a worker killed half-way leaves it waiting for the next try. The Message-ID is fixed here, so
    a resend after a crash between the mail server's "accepted" and our commit carries the same one
    and mail systems can drop the duplicate. Failed tries wait longer each time (next_attempt_at);
    after imv.mail.MAX_ATTEMPTS the e-mail is given up (mislukt), with the last error kept.
    """

    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    to = models.EmailField(_("aan"))
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(_("tekst"))
    status = models.CharField(
        _("status"), max_length=20, choices=OutgoingEmailStatus.choices, default=OutgoingEmailStatus.PENDING
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="verstuurd", sent_at__isnull=False) | (~Q(status="verstuurd") & Q(sent_at=None)),
                name="outgoingemail_sent_at_when_sent",
            ),
        ]
        indexes = [
            # What the senders look for: waiting e-mails that are due.
            models.Index(fields=["next_attempt_at"], condition=Q(status="wacht"), name="outgoingemail_due"),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject} ({self.get_status_display()})"
