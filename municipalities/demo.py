"""Demo content of the local plans. Heemstede's is real (its raadsbesluit of 23 April 2020 and its
collegebericht of 11 July 2023); everything else is invented and flagged ``is_example`` so that
every screen says so. Each piece is added only where it is missing, so loading twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django_tenants.utils import schema_context

from imv.models import ImvCycle, Openbaarheid, Theme
from municipalities.models import (
    Milestone,
    ParticipationEvent,
    ParticipationKind,
    PlanDecision,
    PlanStatus,
    PlanStep,
    PlanStepKind,
    Principle,
    SafetyPlan,
)
from municipalities.services import priority_save
from tenants.models import Municipality

HEEMSTEDE = "GM0397"
HEEMSTEDE_2020 = {
    "period_start": 2020,
    "period_end": 2023,
    "status": PlanStatus.ADOPTED,
    "title": "Actieplan Integrale Veiligheid Heemstede 2020-2023",
    "summary": (
        "Vastgesteld door de raad op 23 april 2020 (zaaknummer 560652). Drie lokale prioriteiten: "
        "1. Zorg en veiligheid, 2. Veilige & leefbare wijken, 3. Ondermijning. Gebaseerd op landelijke en "
        "regionale prioriteiten, het veiligheidsbeeld en de veiligheidsbeleving in Heemstede. De "
        "criminaliteitscijfers zijn laag: kijk altijd naar het verhaal achter de cijfers."
    ),
}
HEEMSTEDE_2024 = {
    "period_start": 2024,
    "period_end": 2027,
    "status": PlanStatus.IN_PREPARATION,
    "title": "Beleidsplan Integrale Veiligheid Heemstede 2024-2027",
    "summary": (
        "Compact plan met de landelijke, regionale en lokale prioriteiten; vroegsignalering, preventie en het "
        "opwerpen van barrières tegen criminaliteit staan centraal (collegebericht 11 juli 2023, zaaknummer 1195848)."
    ),
}
HEEMSTEDE_PRINCIPLES = [
    "Actieve wederkerigheid",
    "Persoonsgericht werken aan veiligheid",
    "Van repressief naar preventief",
    "Slagvaardige overheid",
]
HEEMSTEDE_PRIORITIES = [
    (
        "Zorg en veiligheid",
        "X",
        "X.2",
        "Partners in het zorgdomein en de veiligheidsketen werken goed samen: voorlichting, preventie, signaleren, "
        "informatie uitwisselen en een passende aanpak, met de gemeente in de regie. Verward gedrag en "
        "kindermishandeling vallen onder deze prioriteit.",
    ),
    (
        "Veilige & leefbare wijken",
        "1",
        "1.1",
        "Wijken, winkelcentra en bedrijventerreinen schoon, goed onderhouden en met sociale cohesie; inzet op "
        "overlast (wonen en jeugd), high impact crimes (diefstal en inbraak) en verkeer (agressie, snelheid, "
        "parkeren).",
    ),
    (
        "Ondermijning",
        "5",
        "5.2",
        "Een weerbaar Heemstede tegen ondermijnende criminaliteit: voorlichting, preventie en barrières; faciliteren "
        "van politie en OM rond de informatiepositie; herstel van de openbare orde door sluiten en intrekken van "
        "vergunningen, samen met KennemerKust en Kennemerland.",
    ),
]
# Heemstede's planning for 2024-2027 (collegebericht of 11 July 2023).
HEEMSTEDE_MILESTONES = [
    ("Commissie Samenleving: veiligheidsbeeld en input voor het beleidsplan", date(2023, 9, 19), None),
    ("Enquête onder inwoners", date(2023, 9, 1), date(2023, 10, 31)),
    ("Analyse verzamelde gegevens en opstellen concept beleidsplan", date(2023, 10, 1), date(2023, 11, 30)),
    ("Commissie Samenleving: bespreking concept beleidsplan", date(2023, 12, 4), None),
    ("Raad: vaststelling van het beleidsplan", date(2023, 12, 21), None),
]
HEEMSTEDE_STEPS = [
    (PlanStepKind.START, date(2023, 7, 1), date(2023, 7, 11), date(2023, 7, 11)),
    (PlanStepKind.ANALYSIS, date(2023, 9, 1), date(2023, 11, 30), None),
    (PlanStepKind.PRIORITIES, date(2023, 9, 19), date(2023, 11, 30), None),
    (PlanStepKind.WRITING, date(2023, 10, 1), date(2023, 12, 21), None),
    (PlanStepKind.EXECUTION, date(2024, 1, 1), None, None),
]
# Invented example plans: which IMV themes (by name) an example municipality's priorities serve.
EXAMPLE_PRIORITIES = [
    ("Ondermijnende criminaliteit", "5", "5.2", ["Ondermijning"]),
    ("Jeugdoverlast en criminele aanwas", "3", "3.2", ["Jeugd en Veiligheid", "Weerbare jeugd/criminele aanwas"]),
    ("Digitale veiligheid van inwoners", "X", "X.1", ["Cybercrime"]),
    ("Verkeersveiligheid rond scholen", "4", "4.1", []),
    ("Polarisatie en radicalisering", "5", "5.1", ["Radicalisering"]),
    ("Personen met verward gedrag", "X", "X.2", ["Zorg en Veiligheid"]),
    ("Woninginbraak", "1", "1.3", []),
]


@transaction.atomic
def demo_plans_ensure(*, municipality: Municipality) -> int:
    """Give the municipality its demo plans and their contents where missing; return how many plans were made."""
    with schema_context(municipality.schema_name):
        if municipality.cbs_code == HEEMSTEDE:
            return _heemstede(municipality)
        return _example(municipality)


def _plan(values: dict[str, Any], **extra: object) -> tuple[SafetyPlan, bool]:
    return SafetyPlan.objects.get_or_create(period_start=values["period_start"], defaults={**values, **extra})


def _heemstede(municipality: Municipality) -> int:
    old, made_old = _plan(HEEMSTEDE_2020)
    new, made_new = _plan(HEEMSTEDE_2024)
    if not old.principles.exists():
        for position, title in enumerate(HEEMSTEDE_PRINCIPLES, start=1):
            Principle.objects.create(plan=old, title=title, position=position)
    if not old.priorities.exists():
        for title, field_code, theme_code, description in HEEMSTEDE_PRIORITIES:
            priority_save(
                municipality=municipality,
                plan=old,
                title=title,
                description=description,
                field_code=field_code,
                theme_code=theme_code,
                imv_themes=[],
            )
    if not old.participation_events.exists():
        ParticipationEvent.objects.create(
            plan=old,
            kind=ParticipationKind.WALK,
            date=date(2019, 9, 1),
            participants="Bewoners, bestuur en wijkprofessionals (twee wijkwandelingen, eind zomer 2019)",
            outcome="Wat er leeft in de wijken over leefbaarheid en veiligheid; meegenomen in de prioriteit "
            "Veilige en leefbare wijken.",
        )
    if not old.decisions.exists():
        PlanDecision.objects.create(
            plan=old, date=date(2020, 4, 23), case_number="560652", openbaarheid=Openbaarheid.PUBLIC
        )
    if not new.milestones.exists():
        for title, starts_on, ends_on in HEEMSTEDE_MILESTONES:
            Milestone.objects.create(plan=new, title=title, starts_on=starts_on, ends_on=ends_on)
    if not new.steps.exists():
        for kind, start, end, actual in HEEMSTEDE_STEPS:
            PlanStep.objects.create(plan=new, kind=kind, planned_start=start, planned_end=end, actual_end=actual)
    return int(made_old) + int(made_new)


def _example(municipality: Municipality) -> int:
    from municipalities.models import PlanStatus as Status

    statuses = [Status.IN_PREPARATION, Status.DRAFT, Status.ADOPTED]
    plan, made = _plan(
        {"period_start": 2024, "period_end": 2027, "title": f"Integraal Veiligheidsplan {municipality.name} 2024-2027"},
        status=statuses[int(municipality.cbs_code[2:]) % len(statuses)],
        is_example=True,
        summary="Voorbeeldinhoud: deze gemeente heeft in de demo een verzonnen plan.",
    )
    if plan.is_example and not plan.priorities.exists():
        cycle = ImvCycle.objects.filter(police_unit_id=municipality.police_unit_id, period_start=2024).first()
        themes = {t.name: t.uuid for t in Theme.objects.filter(cycle=cycle)} if cycle else {}
        seed = int(municipality.cbs_code[2:])
        count = 2 + seed % 3
        for n in range(count):
            title, field_code, theme_code, imv = EXAMPLE_PRIORITIES[(seed + n * 3) % len(EXAMPLE_PRIORITIES)]
            priority_save(
                municipality=municipality,
                plan=plan,
                title=title,
                field_code=field_code,
                theme_code=theme_code,
                imv_themes=[themes[name] for name in imv if name in themes],
                description="Voorbeeld: verzonnen prioriteit voor de demonstratie.",
            )
    return int(made)
