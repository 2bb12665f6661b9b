"""API v1: public reference data. Municipality-scoped resources live in their own modules."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from api.v1.scoped import CBS_CODE_PARAMETER
from api.v1.serializers import MunicipalityOutputSerializer
from tenants.models import Municipality


@extend_schema_view(
    list=extend_schema(
        summary="Gemeenten",
        description="Alle gemeenten in het portaal, met hun politie-eenheid en district.",
        parameters=[OpenApiParameter("district", str, description="Alleen gemeenten in dit district")],
    ),
    retrieve=extend_schema(
        summary="Eén gemeente",
        description="Een gemeente, op CBS-code (bijvoorbeeld GM0397).",
        parameters=[CBS_CODE_PARAMETER],
    ),
)
class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet[Municipality]):
    """Municipalities are public reference data: no token needed.

    A token that is sent is still checked: a client with a broken token gets 401 here too,
    instead of being served as anonymous and failing later on a protected resource.
    """

    serializer_class = MunicipalityOutputSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "cbs_code"
    lookup_url_kwarg = "cbs_code"
    lookup_value_regex = "GM[0-9]{4}"

    def get_queryset(self) -> QuerySet[Municipality]:
        queryset = (
            Municipality.objects.filter(is_active=True).select_related("police_unit", "district").order_by("cbs_code")
        )
        district = self.request.query_params.get("district")
        if district:
            queryset = queryset.filter(district__name__iexact=district)
        return queryset
