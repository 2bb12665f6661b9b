"""A municipality's own safety policy. These tables exist in every municipality's schema.

Rows carry a UUID besides their id: ids repeat in every schema, UUIDs never do, so anything
that leaves the schema (API answers, projections, audit) names a row by its UUID.
"""

from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from imv.models import Openbaarheid


class PlanStatus(models.TextChoices):
    IN_PREPARATION = "in_voorbereiding", _("in voorbereiding")
    DRAFT = "concept", _("concept")
    ADOPTED = "vastgesteld", _("vastgesteld")
    EXPIRED = "verlopen", _("verlopen")


class SafetyPlan(models.Model):
    """An integraal veiligheidsplan (IVP): the council's safety goals for four years (Politiewet art. 38b)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("titel"), max_length=200)
    period_start = models.PositiveSmallIntegerField(_("eerste jaar"))
    period_end = models.PositiveSmallIntegerField(_("laatste jaar"))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.IN_PREPARATION)
    summary = models.TextField(_("samenvatting"), blank=True)
    is_example = models.BooleanField(
        _("voorbeeld"), default=False, help_text=_("Verzonnen demo-inhoud; het scherm zegt dat erbij.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("veiligheidsplan")
        verbose_name_plural = _("veiligheidsplannen")
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="safetyplan_period_ordered"
            ),
            models.UniqueConstraint(fields=["period_start"], name="safetyplan_one_per_start_year"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Het laatste jaar ligt voor het eerste jaar.")})


class OpinionDraft(models.Model):
    """The council's zienswijze on an IMV round while staff write it: private to this municipality.

    ``version`` rises with every save; a save that names an older version is refused, so two
    people editing at once never overwrite each other. Submitting copies it to the region.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # DO_NOTHING: Django must not look for drafts from the shared schema (they are in every
    # municipality's schema); the database's own foreign key still refuses to orphan a draft.
    round = models.OneToOneField("imv.ConsultationRound", on_delete=models.DO_NOTHING, related_name="+")
    overall_position = models.CharField(_("standpunt"), max_length=30, blank=True)
    overall_text = models.TextField(_("toelichting"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey("tenants.User", on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("concept-zienswijze")
        verbose_name_plural = _("concept-zienswijzen")

    def __str__(self) -> str:
        return f"concept-zienswijze {self.round_id}"


class OpinionDraftPoint(models.Model):
    """The draft position on one IMV theme or sub-theme."""

    draft = models.ForeignKey(OpinionDraft, on_delete=models.CASCADE, related_name="points")
    theme = models.ForeignKey("imv.Theme", on_delete=models.DO_NOTHING, related_name="+")
    position = models.CharField(_("standpunt"), max_length=30, blank=True)
    text = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("concept-standpunt")
        verbose_name_plural = _("concept-standpunten")
        constraints = [models.UniqueConstraint(fields=["draft", "theme"], name="draftpoint_one_per_theme")]

    def __str__(self) -> str:
        return f"{self.theme_id}: {self.position}"


class OpinionDraftRevision(models.Model):
    """The draft as one save left it: who saved which version when, with every field's value.

    A tab that loaded version N and saves after someone else saved N+1 is merged against
    revision N (the version that tab was shown), field by field: what only the tab changed is
    written, what only the other person changed is kept, what both changed is asked.
    ``values`` maps the draft form's field names (``overall_position``, ``overall_text``,
    ``position_<theme uuid hex>``, ``text_<theme uuid hex>``) to their text; a missing key is "".
    """

    draft = models.ForeignKey(OpinionDraft, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    values = models.JSONField(default=dict)
    saved_by = models.ForeignKey("tenants.User", on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("versie van de concept-zienswijze")
        verbose_name_plural = _("versies van de concept-zienswijze")
        constraints = [models.UniqueConstraint(fields=["draft", "version"], name="draftrevision_one_per_version")]

    def __str__(self) -> str:
        return f"concept-zienswijze {self.draft_id} versie {self.version}"


# --- The local plan in detail (VNG Kernbeleid Veiligheid) -----------------------------------
class PlanStepKind(models.TextChoices):
    START = "opstart", _("1. opstart")
    ANALYSIS = "veiligheidsanalyse", _("2. veiligheidsanalyse")
    PRIORITIES = "prioritering", _("3. prioritering")
    WRITING = "opstellen_ivp", _("4. opstellen IVP")
    EXECUTION = "uitvoeringsplan", _("5. uitvoeringsplan")


class PlanStep(models.Model):
    """One of the five steps of the VNG method for a plan, with its planned and actual dates."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("stap"), max_length=30, choices=PlanStepKind.choices)
    planned_start = models.DateField(_("gepland begin"), null=True, blank=True)
    planned_end = models.DateField(_("gepland eind"), null=True, blank=True)
    actual_end = models.DateField(_("werkelijk afgerond"), null=True, blank=True)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("planstap")
        verbose_name_plural = _("planstappen")
        ordering = ["planned_start", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="planstep_one_per_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class Milestone(models.Model):
    """A dated moment in making the plan: committee or council meeting, survey, draft sent."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("mijlpaal"), max_length=200)
    starts_on = models.DateField(_("datum"))
    ends_on = models.DateField(_("tot en met"), null=True, blank=True)
    done = models.BooleanField(_("gereed"), default=False)

    class Meta:
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Principle(models.Model):
    """A strategic principle of the plan (e.g. Heemstede's "Actieve wederkerigheid")."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="principles")
    title = models.CharField(_("uitgangspunt"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("strategisch uitgangspunt")
        verbose_name_plural = _("strategische uitgangspunten")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Priority(models.Model):
    """A local priority, placed in a KBV safety field and theme, linked to IMV themes it serves.

    ``imv_themes`` holds the UUIDs of regional themes or sub-themes (shared schema); the
    region reads priorities through imv.models.PriorityProjection, written with every change.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(_("prioriteit"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    field_code = models.CharField(_("veiligheidsveld"), max_length=2)
    theme_code = models.CharField(_("thema"), max_length=5)
    imv_themes = ArrayField(models.UUIDField(), default=list, blank=True, verbose_name=_("IMV-thema's"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("prioriteit")
        verbose_name_plural = _("prioriteiten")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Kpi(models.Model):
    """A performance indicator of a priority: baseline, target, yearly values, and the story behind them."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("eenheid"), max_length=50)
    baseline_value = models.DecimalField(_("nulmeting"), max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("jaar nulmeting"), null=True, blank=True)
    target_value = models.DecimalField(_("streefwaarde"), max_digits=12, decimal_places=2, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("streefjaar"), null=True, blank=True)
    story = models.TextField(_("het verhaal achter de cijfers"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Measurement(models.Model):
    """One year's value of an indicator."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="measurements")
    year = models.PositiveSmallIntegerField(_("jaar"))
    value = models.DecimalField(_("waarde"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("meting")
        verbose_name_plural = _("metingen")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["kpi", "year"], name="measurement_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class ImplementationPlan(models.Model):
    """A yearly implementation plan (uitvoeringsplan), with the look back on the previous year."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="implementation_plans")
    year = models.PositiveSmallIntegerField(_("jaar"))
    look_back = models.TextField(_("terugblik op het vorige jaar"), blank=True)

    class Meta:
        verbose_name = _("uitvoeringsplan")
        verbose_name_plural = _("uitvoeringsplannen")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="implementationplan_one_per_year")]

    def __str__(self) -> str:
        return f"{self.plan} — {self.year}"


class ActionStatus(models.TextChoices):
    PLANNED = "gepland", _("gepland")
    RUNNING = "lopend", _("lopend")
    DONE = "gereed", _("gereed")
    DROPPED = "vervallen", _("vervallen")


class Action(models.Model):
    """A concrete action of a yearly plan, with its owner (trekker), deadline and cost."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    implementation_plan = models.ForeignKey(ImplementationPlan, on_delete=models.CASCADE, related_name="actions")
    priority = models.ForeignKey(Priority, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    title = models.CharField(_("actie"), max_length=300)
    owner = models.CharField(_("trekker"), max_length=200)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    cost = models.DecimalField(_("kosten (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED)

    class Meta:
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.title


class ParticipationKind(models.TextChoices):
    WALK = "wijkwandeling", _("wijkwandeling")
    ROUND_TABLE = "thematafel", _("thematafel")
    SURVEY = "enquete", _("enquête")
    MARKET_STALL = "marktkraam", _("marktkraam")
    COUNCIL_SESSION = "raadsbijeenkomst", _("raadsbijeenkomst")


class ParticipationEvent(models.Model):
    """A moment where residents, partners or the council had their say on the plan."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="participation_events")
    kind = models.CharField(_("vorm"), max_length=20, choices=ParticipationKind.choices)
    date = models.DateField(_("datum"))
    participants = models.TextField(_("wie deden mee"), blank=True)
    outcome = models.TextField(_("wat kwam eruit"), blank=True)

    class Meta:
        verbose_name = _("participatiemoment")
        verbose_name_plural = _("participatiemomenten")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


def plan_decision_path(instance: PlanDecision, filename: str) -> str:
    # The schema names the municipality; the user's file name never reaches the file system.
    schema = connection.schema_name  # type: ignore[attr-defined]  # django-tenants' connection
    return f"gemeenten/{schema}/raadsbesluiten/ivp/{uuid.uuid4()}.pdf"


class PlanDecision(models.Model):
    """The council's decision on the plan (raadsbesluit). Files live in the municipality's own folder."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="decisions")
    date = models.DateField(_("datum"))
    case_number = models.CharField(_("zaaknummer"), max_length=50)
    openbaarheid = models.CharField(_("openbaarheid"), max_length=20, choices=Openbaarheid.choices)
    document = models.FileField(_("besluit (PDF)"), upload_to=plan_decision_path, blank=True)

    class Meta:
        verbose_name = _("raadsbesluit")
        verbose_name_plural = _("raadsbesluiten")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.case_number} ({self.date})"
