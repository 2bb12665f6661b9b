import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import APIView


class PortalPagination(PageNumberPagination):
    """Pages of 50 by default; ?page=N (from 1) and ?pageSize=N (1 to 500). A page past the end is 404.

    A page or page size that is given must be a whole number from 1: anything else (abc, null, 0) is a 400
    naming the parameter, both at once, rather than silently the first page or the default size. A page size
    over 500 still gives 500, as it always did, though the document allows no more.
    """

    page_size_query_param = "pageSize"
    max_page_size = 500
    last_page_strings = ()  # the document says page is a number; DRF's page=last is not one
    page_query_description = "Paginanummer, vanaf 1."
    page_size_query_description = "Aantal resultaten per pagina (standaard 50, hoogstens 500)."
    invalid_page_message = "Deze pagina bestaat niet."

    def paginate_queryset(self, queryset: Any, request: Request, view: APIView | None = None) -> Any:
        self._check_query(request)
        return super().paginate_queryset(queryset, request, view)

    def _check_query(self, request: Request) -> None:
        errors: dict[str, list[str]] = {}
        page = request.query_params.get(self.page_query_param)
        if page is not None and not _whole_number(page, 1):
            errors[self.page_query_param] = [_("Een paginanummer: een geheel getal vanaf 1.")]
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not _whole_number(size, 1):
            errors[self.page_size_query_param] = [
                _("Een geheel getal van 1 tot en met %(max)s.") % {"max": self.max_page_size}
            ]
        if errors:
            raise exceptions.ValidationError(errors)

    def get_page_size(self, request: Request) -> int:
        size = request.query_params.get(self.page_size_query_param)
        return min(int(size), self.max_page_size) if size is not None else int(self.page_size or 0)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1)
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return parameters

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


def _whole_number(value: str, minimum: int) -> bool:
    # At most 18 digits: a page beyond any real count is a 404 (past the end), not an overflow.
    return bool(re.fullmatch(r"[0-9]{1,18}", value)) and int(value) >= minimum
