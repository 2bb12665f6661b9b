"""The region's copy of every municipality's local priorities, linked to the IMV themes."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Municipality


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
