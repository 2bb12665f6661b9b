"""A municipality's own safety policy. These tables exist in every municipality's schema.

Rows carry a UUID besides their id: ids repeat in every schema, UUIDs never do, so anything
that leaves the schema (API answers, projections, audit) names a row by its UUID.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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
