"""A deliberately tenant-blind page cache, for tests only: it proves the isolation property can fail.

It is inert unless the test setting PORTAL_TEST_TENANT_BLIND_CACHE is on; it is never part of a
production URL: the isolation tests wrap one view with it from the outside, on its URL pattern.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]

# The one store, shared by every tenant and every user: that is the bug it stands in for.
_store: dict[str, HttpResponse] = {}


def tenant_blind_cache_clear() -> None:
    _store.clear()


def tenant_blind_cache(view: View) -> View:
    """Cache the view's response keyed by the view's name only: neither the tenant nor the user."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(settings, "PORTAL_TEST_TENANT_BLIND_CACHE", False):
            return view(request, *args, **kwargs)
        key = view.__qualname__  # the mistake: no schema, no municipality, no user in the key
        if key not in _store:
            _store[key] = view(request, *args, **kwargs)
        return _store[key]

    return wrapped
