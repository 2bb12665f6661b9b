"""Writes of tenants: municipalities and their reference data, and API tokens. One module per
subject; everything is importable from ``tenants.services``."""

from tenants.services.api_tokens import api_token_create
from tenants.services.municipalities import municipality_create, police_unit_get_or_create, region_load, region_plan

__all__ = [
    "api_token_create",
    "municipality_create",
    "police_unit_get_or_create",
    "region_load",
    "region_plan",
]
