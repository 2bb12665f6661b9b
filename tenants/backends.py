"""Authentication backend: Django's model backend, but demo accounts only outside production."""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PortalBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_ACCOUNTS_ALLOWED:
            return False
        return super().user_can_authenticate(user)
