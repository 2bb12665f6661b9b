"""django-axes (the lockout after failed logins) in Dutch in the admin, as INSTALLED_APPS' app config.

Axes gives its app no name (the admin showed "Axes") and names its rows with English f-strings
(the admin's headings and breadcrumbs); this config names both in Dutch. Its model and field
names are translated in frontend/locale/nl.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from axes.apps import AppConfig
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class LoginProtectionConfig(AppConfig):
    verbose_name = gettext_lazy("Inlogbeveiliging")

    def ready(self) -> None:
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        AccessAttempt.__str__ = access_attempt_str
        AccessFailureLog.__str__ = access_failure_str
        AccessLog.__str__ = access_log_str


def _when(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "—"


def access_attempt_str(attempt: Any) -> str:
    return _("Inlogpogingen van %(username)s, laatst op %(time)s") % {
        "username": attempt.username,
        "time": _when(attempt.attempt_time),
    }


def access_failure_str(failure: Any) -> str:
    text = _("Mislukte inlogpoging van %(username)s op %(time)s vanaf %(address)s") % {
        "username": failure.username,
        "time": _when(failure.attempt_time),
        "address": failure.ip_address or "—",
    }
    return f"{text} ({_('geblokkeerd')})" if failure.locked_out else text


def access_log_str(log: Any) -> str:
    return _("Aanmelding van %(username)s op %(time)s") % {"username": log.username, "time": _when(log.attempt_time)}
