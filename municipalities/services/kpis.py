"""Writes of a municipality's performance indicators (prestatie-indicatoren) and their yearly values.

An indicator belongs to one local priority and carries a baseline (nulmeting), a target
(streefwaarde) and one measurement (meting) per year. Callers are inside the municipality's
schema and name the municipality; a write in any other schema is refused. Nothing here is
projected to the shared schema: the region reads priorities, not indicators. Every change is
audited with the person who made it (``actor``), the yearly values as "meting <jaar>".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from municipalities.models import Kpi, Measurement, Priority
from municipalities.services._audit import audit_change, measurement_state, row_state
from portal.exceptions import PortalError
from tenants.models import Municipality, User
from tenants.schemas import require_schema_of

# Years a plan can plausibly speak of; catches "25" for 2025 before it is stored.
FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass(frozen=True)
class MeasurementInput:
    """One year's value of an indicator, as a caller hands it in."""

    year: int
    value: Decimal


def year_error(year: int | None) -> str | None:
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        return _("Een jaartal tussen %(first)s en %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
    return None


def kpi_check(kpi: Kpi, measurements: Sequence[MeasurementInput] | None) -> None:
    """Every broken rule at once, named by model field ("measurements" for the yearly values)."""
    errors: dict[str, list[str]] = {}
    try:
        kpi.full_clean(exclude=["priority"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for value_field, year_field, what in (
        ("baseline_value", "baseline_year", _("de nulmeting")),
        ("target_value", "target_year", _("de streefwaarde")),
    ):
        value, year = getattr(kpi, value_field), getattr(kpi, year_field)
        if (value is None) != (year is None):
            missing = year_field if year is None else value_field
            errors.setdefault(missing, []).append(_("Geef bij %(what)s zowel de waarde als het jaar.") % {"what": what})
        if message := year_error(year):
            errors.setdefault(year_field, []).append(message)
    if kpi.baseline_year and kpi.target_year and kpi.target_year < kpi.baseline_year:
        errors.setdefault("target_year", []).append(_("Het streefjaar ligt voor het jaar van de nulmeting."))
    if measurements is not None:
        seen: set[int] = set()
        for item in measurements:
            if message := year_error(item.year):
                errors.setdefault("measurements", []).append(f"{item.year}: {message}")
            if item.year in seen:
                errors.setdefault("measurements", []).append(
                    _("Het jaar %(year)s staat er meer dan eens in.") % {"year": item.year}
                )
            seen.add(item.year)
            try:
                Measurement(kpi=kpi, year=item.year, value=item.value).full_clean(exclude=["kpi"])
            except ValidationError as exc:
                for reasons in exc.message_dict.values():
                    errors.setdefault("measurements", []).extend(f"{item.year}: {r}" for r in reasons)
    if errors:
        raise PortalError(_("De indicator is niet opgeslagen."), errors=errors)


@transaction.atomic
def kpi_save(
    *,
    municipality: Municipality,
    priority: Priority,
    kpi: Kpi | None = None,
    name: str,
    unit: str,
    baseline_value: Decimal | None = None,
    baseline_year: int | None = None,
    target_value: Decimal | None = None,
    target_year: int | None = None,
    story: str = "",
    measurements: Sequence[MeasurementInput] | None = None,
    actor: User | None = None,
) -> Kpi:
    """Create or change an indicator of a priority; ``measurements`` replaces every yearly value
    (None keeps them). All rules are checked first: nothing is saved if any is broken. Audited."""
    require_schema_of(municipality)
    kpi = kpi or Kpi()
    before = row_state(kpi, measurement_state(kpi))
    kpi.priority = priority
    kpi.name = name.strip()
    kpi.unit = unit.strip()
    kpi.baseline_value, kpi.baseline_year = baseline_value, baseline_year
    kpi.target_value, kpi.target_year = target_value, target_year
    kpi.story = story
    kpi_check(kpi, measurements)
    kpi.save()
    if measurements is not None:
        kpi.measurements.all().delete()
        Measurement.objects.bulk_create(Measurement(kpi=kpi, year=m.year, value=m.value) for m in measurements)
    after = row_state(kpi, measurement_state(kpi))
    audit_change(actor=actor, municipality=municipality, row=kpi, before=before, after=after)
    return kpi


@transaction.atomic
def kpi_delete(*, municipality: Municipality, kpi: Kpi, actor: User | None = None) -> None:
    """Remove an indicator with its yearly values; audited."""
    require_schema_of(municipality)
    before = row_state(kpi, measurement_state(kpi))
    kpi.delete()
    audit_change(actor=actor, municipality=municipality, row=kpi, before=before, after=None)
