"""The API documentation page: server-rendered in the portal's frame, public, without scripts.

It replaced Swagger UI, which axe found inaccessible in ways a stylesheet cannot mend (buttons
nested in buttons, an unlabelled select, contrast throughout); tests/browser/test_api_docs.py
runs axe on this page in Dutch and English.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from api.docs.document import api_reference
from api.exceptions import problem_response


# Exempt: it only reads, and a refused CSRF check would answer HTML under /api/ instead of problem+json.
@csrf_exempt
@login_not_required
def api_docs(request: HttpRequest) -> HttpResponse:
    """Every operation of /api/v1/openapi.json, grouped by tag, for people who write an API client."""
    if request.method not in ("GET", "HEAD"):
        response = problem_response(request, status=405)
        response["Allow"] = "GET, HEAD"
        return response
    return render(request, "api/docs.html", {"reference": api_reference()})
