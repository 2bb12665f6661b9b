from typing import Any

from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    """Pages of 50 by default; ?page=N and ?pageSize=N (at most 500). A page past the end is 404."""

    page_size_query_param = "pageSize"
    max_page_size = 500
    page_query_description = "Paginanummer, vanaf 1."
    page_size_query_description = "Aantal resultaten per pagina (standaard 50, hoogstens 500)."
    invalid_page_message = "Deze pagina bestaat niet."

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        # DRF's schema describes nothing and gives http://api.example.org examples.
        paginated = super().get_paginated_response_schema(schema)
        properties = paginated["properties"]
        properties["count"].update(description="Aantal resultaten op alle pagina's samen.", example=32)
        properties["next"].update(
            description="De volgende pagina, of null.", example="https://regioportaal.localhost/api/v1/gemeenten?page=2"
        )
        properties["previous"].update(description="De vorige pagina, of null.", example=None)
        properties["results"]["description"] = "De resultaten op deze pagina."
        return paginated
