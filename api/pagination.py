from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    """Pages of 50 by default; ?page=N and ?pageSize=N (at most 500)."""

    page_size_query_param = "pageSize"
    max_page_size = 500
