"""Deadlines are judged on the database's clock, never the web server's: one clock for every process.

Calendar reasoning (today, days left, days late, reminder days) is in Europe/Amsterdam, whatever
the server's own time zone: AMSTERDAM and the helpers below are the one place that says so.

A deadline is the end of the minute people name: "15 oktober 23:59" includes 23:59:30 and ends
at 23:59:59.999999; a date without a time means the end of that day. ``deadline_end`` makes every
deadline that way before it is stored, so comparing ``now > deadline`` is the whole rule.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import dateformat, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def db_now() -> datetime:
    """The database server's current time (clock_timestamp: moves on inside a transaction too)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        row = cursor.fetchone()
    value: datetime = row[0]
    return value


def amsterdam_date(instant: datetime) -> date:
    """The calendar date in Amsterdam at this instant (00:30 in Amsterdam is still that day, not yesterday's UTC)."""
    return instant.astimezone(AMSTERDAM).date()


def amsterdam_moment(day: date, moment: time) -> datetime:
    """A date and a wall-clock time as people here mean them: in the Netherlands, summer or winter time."""
    return datetime.combine(day, moment, AMSTERDAM)


def amsterdam_today() -> date:
    """Today in Amsterdam, on the database's clock."""
    return amsterdam_date(db_now())


def days_left(*, deadline: datetime, now: datetime) -> int:
    """Calendar days in Amsterdam from today to the deadline's day: 0 on the day itself, negative after."""
    return (amsterdam_date(deadline) - amsterdam_date(now)).days


def deadline_end(moment: datetime) -> datetime:
    """The stored form of a deadline: the end of the minute it names (23:59 → 23:59:59.999999)."""
    return moment.replace(second=59, microsecond=999999)


def day_end(day: date) -> datetime:
    """A deadline given as a date only: the end of that day in Amsterdam."""
    return deadline_end(amsterdam_moment(day, time(23, 59)))


def is_late(instant: datetime, deadline: datetime) -> bool:
    """After the deadline, by any amount: 00:00:00 after a deadline of 23:59 is late, 23:59:30 is not."""
    return instant > deadline


def days_late(instant: datetime, deadline: datetime) -> int:
    """Calendar days in Amsterdam from the deadline's day to this instant's day.

    0 when on time, and also when late on the deadline's own day (``is_late`` tells those apart);
    a submission the next morning is 1 day late, also across the change to winter time.
    """
    if not is_late(instant, deadline):
        return 0
    return (amsterdam_date(instant) - amsterdam_date(deadline)).days


def late_text(instant: datetime, deadline: datetime) -> str:
    """Lateness as the pages, exports and e-mails say it: "op tijd", "te laat (dezelfde dag)", "2 dagen te laat"."""
    if not is_late(instant, deadline):
        return _("op tijd")
    days = days_late(instant, deadline)
    if days == 0:
        return _("te laat (dezelfde dag)")
    return ngettext("%(days)d dag te laat", "%(days)d dagen te laat", days) % {"days": days}


def dutch_moment(moment: datetime) -> str:
    """E.g. "15 oktober 2023 23:59": Amsterdam time, in Dutch whatever the language of the request or worker."""
    with translation.override("nl"):
        return dateformat.format(moment.astimezone(AMSTERDAM), "j F Y H:i")
