"""Helpers for the adviser's status board tests: the board's addresses and a submitted opinion."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.urls import reverse

from imv import services
from imv.models import ConsultationRound, Position

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def board_url(consultation: ConsultationRound, name: str = "imv:board") -> str:
    return reverse(name, kwargs={"round_uuid": consultation.uuid})


def submit(participation, actor, themes):
    return services.opinion_submit(
        actor=actor,
        participation=participation,
        overall_position=Position.SUPPORTS_WITH_REMARKS,
        overall_text="De raad steunt het concept, met kanttekeningen.",
        points=[
            services.PointInput(theme=theme, position=position, text=f"Toelichting bij {theme.name}.")
            for theme, position in zip(themes, [Position.SUPPORTS, Position.OBJECTS] * len(themes), strict=False)
        ],
    )
