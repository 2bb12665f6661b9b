"""Test settings: the base settings with fast hashing, a private media folder and captured mail."""

import os

os.environ.setdefault("PORTAL_ENV", "test")

from portal.settings import *  # noqa: F403
from portal.settings import DATA_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = DATA_DIR / "test-media"
AXES_FAILURE_LIMIT = 10

# Parallel runs on one machine (several developers' sessions) each get their own test database.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("PORTAL_TEST_DB", "test_portal")}  # noqa: F405
