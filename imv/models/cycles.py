"""An IMV cycle (the four-year regional plan), its themes and timeline, the draft versions a round
consults on, and the Woo information categories a council decision is filed under."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.models import PoliceUnit


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
