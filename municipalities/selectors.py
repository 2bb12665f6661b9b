"""Reads of a municipality's own plan. Callers are inside the municipality's schema."""

from __future__ import annotations

from django.db.models import QuerySet

from municipalities.models import SafetyPlan


def safety_plan_list() -> QuerySet[SafetyPlan]:
    return SafetyPlan.objects.all()
