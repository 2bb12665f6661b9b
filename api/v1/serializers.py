"""Output serializers of the public reference data."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from tenants.models import Municipality


@extend_schema_serializer(component_name="Gemeente")
class MunicipalityOutputSerializer(serializers.ModelSerializer[Municipality]):
    """Een gemeente, met haar politie-eenheid, district en basisteam."""

    cbsCode = serializers.CharField(source="cbs_code")  # noqa: N815 (ADR: camelCase in the API)
    naam = serializers.CharField(source="name")
    politieEenheid = serializers.CharField(source="police_unit.name")  # noqa: N815
    district = serializers.CharField(source="district.name", allow_null=True, default=None)
    basisteam = serializers.CharField(allow_blank=True)
    _links = serializers.SerializerMethodField(label="Links")

    class Meta:
        model = Municipality
        fields = ["uuid", "cbsCode", "naam", "politieEenheid", "district", "basisteam", "_links"]

    def get__links(self, obj: Municipality) -> dict[str, dict[str, str]]:
        return {"self": {"href": f"/api/v1/gemeenten/{obj.cbs_code}"}}
