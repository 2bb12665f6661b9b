"""Test settings: the base settings with fast hashing, a private media folder and captured mail."""

import os

os.environ.setdefault("PORTAL_ENV", "test")

from portal.settings import *  # noqa: E402,F403
from portal.settings import DATA_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = DATA_DIR / "test-media"
AXES_FAILURE_LIMIT = 10
