"""/api/v1/docs: the API documentation as a page of the portal (see document.py and views.py)."""

from api.docs.views import api_docs

__all__ = ["api_docs"]
