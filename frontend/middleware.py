"""Middleware of the pages: deny by default, and Dutch first.

Every page needs a login unless its view says otherwise; the API is left to DRF, which
authenticates tokens itself and answers 401 as problem+json.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PageLoginRequiredMiddleware(LoginRequiredMiddleware):
    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the person chose English with the language button (the language cookie).

    The browser's Accept-Language is ignored on purpose: the portal's users work in Dutch, and
    an English browser on a council laptop must not switch a Dutch colleague's screen.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
