"""The shared-schema projection of local priorities (PriorityProjection): written by the
municipality's priority services inside their own transaction, so the regional figures in
imv.analytics never read another schema and are never out of step with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from imv.models import PriorityProjection
from tenants.models import Municipality


def projection_upsert(
    *,
    municipality: Municipality,
    priority_uuid: uuid.UUID,
    plan_uuid: uuid.UUID,
    period: tuple[int, int],
    title: str,
    field_code: str,
    theme_code: str,
    imv_themes: Sequence[uuid.UUID],
    is_example: bool,
) -> None:
    """Write (or rewrite) one local priority's row in the shared-schema projection."""
    PriorityProjection.objects.update_or_create(
        priority_uuid=priority_uuid,
        defaults={
            "municipality": municipality,
            "plan_uuid": plan_uuid,
            "plan_period_start": period[0],
            "plan_period_end": period[1],
            "title": title,
            "field_code": field_code,
            "theme_code": theme_code,
            "imv_themes": sorted(imv_themes),
            "is_example": is_example,
        },
    )


def projection_delete(*, priority_uuids: Iterable[uuid.UUID]) -> None:
    """Remove these local priorities from the projection (their plan or priority was deleted)."""
    PriorityProjection.objects.filter(priority_uuid__in=list(priority_uuids)).delete()
