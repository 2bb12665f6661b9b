"""Deadlines are judged on the database's clock, never the web server's: one clock for every process."""

from __future__ import annotations

from datetime import datetime

from django.db import connection


def db_now() -> datetime:
    """The database server's current time (clock_timestamp: moves on inside a transaction too)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        row = cursor.fetchone()
    value: datetime = row[0]
    return value
