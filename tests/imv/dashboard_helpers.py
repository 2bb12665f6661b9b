"""Helpers for the RBOP dashboard tests: its address and a GET of it or of one of its downloads."""

from __future__ import annotations

from django.urls import reverse

DASHBOARD = "imv:dashboard"
NOORD = "Noord-Holland Noord"


def get(client, name=DASHBOARD, **params):
    return client.get(reverse(name), params)
