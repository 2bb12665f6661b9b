"""Deadlines are judged on the database's clock, never the web server's: one clock for every process.

Calendar reasoning (today, days left, days late, reminder days) is in Europe/Amsterdam, whatever
the server's own time zone: AMSTERDAM and the two helpers below are the one place that says so.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import connection

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
