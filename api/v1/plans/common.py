"""What the resources of one safety plan share: their addresses, the base of the viewsets nested under
/veiligheidsplannen/{veiligheidsplan_uuid}/…, and the negotiation of a download."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request

from api.v1.common import uuid_path
from api.v1.scoped import MunicipalityScopedViewSet, municipality_path
from municipalities.models import SafetyPlan
from tenants.models import Municipality

PLAN_UUID_PARAMETER = uuid_path("UUID van het veiligheidsplan.", name="veiligheidsplan_uuid")


def plan_href(municipality: Municipality, plan: SafetyPlan) -> str:
    return municipality_path(municipality, "veiligheidsplannen", plan.uuid)


class PlanPartViewSet(MunicipalityScopedViewSet):
    """Base of the parts of one plan, under …/veiligheidsplannen/{veiligheidsplan_uuid}/: ``self.plan``.

    A plan that is not in the municipality's schema is 404, also for a part's UUID that exists under
    another plan: every queryset is filtered by ``self.plan``.
    """

    plan: SafetyPlan

    def initial_in_schema(self, request: Request, *args: Any, **kwargs: Any) -> None:
        plan = SafetyPlan.objects.filter(uuid=kwargs["veiligheidsplan_uuid"]).first()
        if plan is None:
            raise exceptions.NotFound()
        self.plan = plan


class DownloadNegotiation(BaseContentNegotiation):
    """A download answers with its file whatever Accept says (a FileResponse is not rendered), and with
    problem+json when it cannot: an ``Accept: application/pdf`` must not turn a 404 into a 406."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: str | None = None) -> Any:
        return renderers[0], renderers[0].media_type
