"""Writes for organisations: municipalities (tenants) and the reference data of police units and districts."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.exceptions import PortalError
from tenants.models import District, Domain, Municipality, PoliceUnit
from tenants.reference import MunicipalityRow
from tenants.signals import municipality_created


def police_unit_get_or_create(*, name: str) -> PoliceUnit:
    unit, _created = PoliceUnit.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
    return unit


@transaction.atomic
def municipality_create(
    *,
    cbs_code: str,
    name: str,
    police_unit: PoliceUnit,
    district: District | None = None,
    basisteam: str = "",
    slug: str | None = None,
) -> Municipality:
    """Create a municipality with its own schema (all tenant migrations) and its path.

    Runs in one transaction: a failure leaves no row, no schema and no path behind.
    """
    slug = slug or slugify(name)
    if Municipality.objects.filter(cbs_code=cbs_code).exists():
        raise PortalError(
            _("Er bestaat al een gemeente met CBS-code %(code)s.") % {"code": cbs_code},
            errors={"cbs_code": [_("bestaat al")]},
            status=409,
            code="duplicate",
        )
    if Domain.objects.filter(domain=slug).exists():
        raise PortalError(
            _("Het adres /gemeenten/%(slug)s/ is al in gebruik.") % {"slug": slug},
            errors={"slug": [_("bestaat al")]},
            status=409,
            code="duplicate",
        )
    if district is not None and district.police_unit_id != police_unit.pk:
        raise PortalError(
            _("District %(district)s hoort niet bij eenheid %(unit)s.") % {"district": district, "unit": police_unit},
            errors={"district": [_("hoort bij een andere eenheid")]},
        )
    municipality = Municipality(
        schema_name=cbs_code.lower(),
        cbs_code=cbs_code,
        name=name,
        police_unit=police_unit,
        district=district,
        basisteam=basisteam,
    )
    municipality.full_clean()
    municipality.save(verbosity=0)  # django-tenants creates the schema and migrates it here
    Domain.objects.create(domain=slug, tenant=municipality, is_primary=True)
    municipality_created.send(sender=Municipality, municipality=municipality)
    return municipality


def region_plan(
    rows: Iterable[MunicipalityRow],
) -> tuple[list[MunicipalityRow], list[tuple[Municipality, dict[str, str]]]]:
    """What loading these rows would do: municipalities to create, and existing ones whose fields differ."""
    existing = {m.cbs_code: m for m in Municipality.objects.select_related("district", "police_unit")}
    to_create: list[MunicipalityRow] = []
    to_update: list[tuple[Municipality, dict[str, str]]] = []
    for row in rows:
        current = existing.get(row.cbs_code)
        if current is None:
            to_create.append(row)
            continue
        changes = {}
        if current.name != row.name:
            changes["name"] = row.name
        if current.basisteam != row.basisteam:
            changes["basisteam"] = row.basisteam
        if (current.district.name if current.district else "") != row.district:
            changes["district"] = row.district
        if changes:
            to_update.append((current, changes))
    return to_create, to_update


def region_load(
    *,
    rows: list[MunicipalityRow],
    progress: Callable[[MunicipalityRow], object] | None = None,
) -> tuple[int, int]:
    """Create or update police units, districts and municipalities from validated reference rows.

    Idempotent: rows that match the database change nothing. Each new municipality is made in
    its own transaction (schema creation is the slow part), so an interrupted load resumes.
    Returns (created, updated).
    """
    to_create, to_update = region_plan(rows)
    with transaction.atomic():
        for municipality, changes in to_update:
            if "district" in changes:
                municipality.district = _district(municipality.police_unit, changes.pop("district"))
            for field, value in changes.items():
                setattr(municipality, field, value)
            municipality.full_clean()
            municipality.save()
    for row in to_create:
        unit = police_unit_get_or_create(name=row.police_unit)
        municipality_create(
            cbs_code=row.cbs_code,
            name=row.name,
            police_unit=unit,
            district=_district(unit, row.district),
            basisteam=row.basisteam,
        )
        if progress:
            progress(row)
    return len(to_create), len(to_update)


def _district(unit: PoliceUnit, name: str) -> District | None:
    if not name:
        return None
    district, _created = District.objects.get_or_create(police_unit=unit, name=name)
    return district
