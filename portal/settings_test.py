"""Test settings: the base settings with fast hashing, a private media folder and captured mail."""

import os
import sys

os.environ.setdefault("PORTAL_ENV", "test")
# Tests set up and inspect several municipalities directly; requests still name their own (tenants/rls.py).
os.environ.setdefault("PORTAL_DB_TENANT", "*")

from portal.settings import *  # noqa: F403
from portal.settings import DATA_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# A Celery worker started by a test (tests/imv/test_mail_worker_killed.py) writes its mail to files
# there, and holds each claimed e-mail while the gate file PORTAL_TEST_MAIL_PAUSE exists (imv.mail).
if os.environ.get("PORTAL_TEST_MAIL_DIR"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["PORTAL_TEST_MAIL_DIR"]},
        }
    }
PORTAL_TEST_MAIL_PAUSE = os.environ.get("PORTAL_TEST_MAIL_PAUSE", "")
MEDIA_ROOT = DATA_DIR / "test-media"
AXES_FAILURE_LIMIT = 10

# Parallel runs on one machine (several developers' sessions) each get their own test database.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("PORTAL_TEST_DB", "test_regioportaal")}  # noqa: F405
# Under pytest, a fixture that touches the database before pytest-django has made the test
# database must fail loudly, not write into the development database. (A server started by the
# browser tests is given the test database itself in DATABASE_URL, and keeps it.)
NO_DATABASE = "no_database_before_test_setup"
if "pytest" in sys.modules:
    DATABASES["default"]["NAME"] = NO_DATABASE  # noqa: F405

# Tests keep their own files (demo passwords, mail, media) away from those of `make run`.
DATA_DIR = DATA_DIR / "test"

# Off: tests/isolation turns it on to prove its check sees a response cached without the tenant.
PORTAL_TEST_TENANT_BLIND_CACHE = False
