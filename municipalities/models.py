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
