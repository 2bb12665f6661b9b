"""The demo consultation round on IMV 2024-2027 (development and tests only).

The real round ran from mid-June to the RBOP meeting of 9 November 2023. So that the demo is a
live round, its dates are shifted: today plays 1 October 2023, two weeks before the deadline of
15 October. Heemstede follows its real planning (committee 19 September, opinion at the latest
15 October); every other municipality's status is invented and flagged as an example.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from imv import services
from imv.clock import AMSTERDAM, amsterdam_today
from imv.models import ConsultationRound, DraftVersion, Openbaarheid, Participation, Position, WooCategory
from imv.reference import cycle_load, woo_categories_load
from tenants.models import PoliceUnit, User

REAL_TODAY = date(2023, 10, 1)
REAL_DRAFT_SENT = date(2023, 6, 15)
REAL_DEADLINE = datetime.combine(date(2023, 10, 15), time(23, 59, 59), AMSTERDAM)
REAL_RBOP = datetime.combine(date(2023, 11, 9), time(10, 0), AMSTERDAM)
HEEMSTEDE = "GM0397"
HEEMSTEDE_COMMITTEE = date(2023, 9, 19)

# The invented spread, in order of CBS code: how far each example municipality has come.
SPREAD = [
    "ingediend",
    "geagendeerd",
    "vastgesteld",
    "uitgenodigd",
    "geagendeerd",
    "ingediend",
    "vastgesteld",
    "geagendeerd",
    "uitstel",
    "geagendeerd",
    "ingediend",
    "uitgenodigd",
    "vastgesteld",
    "geagendeerd",
    "geen_zienswijze",
    "ingediend",
    "geagendeerd",
    "uitgenodigd",
    "vastgesteld",
    "uitstel_toegekend",
    "geagendeerd",
    "ingediend",
    "vastgesteld",
    "uitgenodigd",
    "geagendeerd",
    "vastgesteld",
    "geagendeerd",
    "uitgenodigd",
    "ingediend",
    "geagendeerd",
    "vastgesteld",
]


def minimal_pdf(title: str) -> bytes:
    """A small, valid one-page PDF standing in for an invented council decision."""
    text = title.replace("(", "").replace(")", "")[:80]
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@transaction.atomic
def demo_round_ensure(*, police_unit: PoliceUnit, adviser: User, staff: dict[str, User]) -> ConsultationRound | None:
    """Load IMV 2024-2027 with its themes and timeline and open the demo round, once."""
    woo_categories_load()
    cycle = cycle_load(police_unit=police_unit, name="IMV 2024-2027", period_start=2024, period_end=2027)
    if cycle.rounds.exists():
        return None
    today = amsterdam_today()
    shift = today - REAL_TODAY

    def shifted(moment: datetime) -> datetime:
        return moment + shift

    draft = DraftVersion.objects.create(
        cycle=cycle,
        label="Concept IMV 2024-2027 (circa 90 % gereed)",
        date=REAL_DRAFT_SENT + shift,
        change_note="Conceptversie die medio juni ter consultatie aan de raden is gestuurd.",
    )
    draft.document.save("concept.pdf", ContentFile(minimal_pdf("Concept IMV 2024-2027 (voorbeeld)")), save=True)
    consultation = services.round_open(
        actor=adviser,
        cycle=cycle,
        draft_version=draft,
        deadline=shifted(REAL_DEADLINE),
        rbop_meeting=shifted(REAL_RBOP),
        is_example=True,
    )
    themes = list(cycle.themes.filter(parent__isnull=True))
    woo = WooCategory.objects.filter(label__startswith="Vergaderstukken decentrale").first()
    participations = list(consultation.participations.select_related("municipality").order_by("municipality__cbs_code"))
    examples = [p for p in participations if p.municipality.cbs_code != HEEMSTEDE]
    for participation in participations:
        if participation.municipality.cbs_code == HEEMSTEDE:
            participation.is_example = False
            participation.save(update_fields=["is_example"])
            services.participation_schedule(
                actor=staff.get(HEEMSTEDE, adviser),
                participation=participation,
                committee_date=HEEMSTEDE_COMMITTEE + shift,
                council_date=None,
            )
    for index, participation in enumerate(examples):
        _advance(participation, SPREAD[index % len(SPREAD)], index, shift, adviser, themes, woo)
    return consultation


def _advance(
    participation: Participation,
    target: str,
    index: int,
    shift: timedelta,
    actor: User,
    themes: list,
    woo: WooCategory | None,
) -> None:
    """Walk one example municipality through the real services up to its invented status."""
    if target == "uitgenodigd":
        return
    if target == "geen_zienswijze":
        services.participation_decline(actor=actor, participation=participation, note="voorbeeld")
        return
    committee = date(2023, 9, 5) + timedelta(days=index % 20) + shift
    council = date(2023, 9, 21) + timedelta(days=index % 25) + shift
    services.participation_schedule(
        actor=actor, participation=participation, committee_date=committee, council_date=council
    )
    if target in ("geagendeerd",):
        return
    if target in ("uitstel", "uitstel_toegekend"):
        request = services.extension_request(
            actor=actor,
            participation=participation,
            reason="De raad vergadert pas na de uiterste datum (voorbeeld).",
            requested_deadline=participation.deadline + timedelta(days=14),
        )
        if target == "uitstel_toegekend":
            services.extension_decide(actor=actor, request=request, grant=True, note="Toegekend (voorbeeld).")
        return
    decision_day = min(council, REAL_TODAY + shift - timedelta(days=1))
    services.participation_adopt(
        actor=actor,
        participation=participation,
        decision=services.CouncilDecision(
            decision_date=decision_day,
            case_number=f"VB-{participation.municipality.cbs_code}-{index:03d}",
            document=ContentFile(
                minimal_pdf(f"Raadsbesluit {participation.municipality.name} (voorbeeld)"), name="raadsbesluit.pdf"
            ),  # type: ignore[arg-type]
            openbaarheid=Openbaarheid.PUBLIC,
            woo_category=woo,
        ),
    )
    if target == "vastgesteld":
        return
    positions = [Position.SUPPORTS, Position.SUPPORTS_WITH_REMARKS, Position.SUPPORTS, Position.OBJECTS]
    services.opinion_submit(
        actor=actor,
        participation=participation,
        overall_position=positions[index % 2],
        overall_text="Voorbeeld: de raad steunt de regionale thema's in grote lijnen.",
        points=[
            services.PointInput(
                theme=theme,
                position=positions[(index + n) % len(positions)],
                text=f"Voorbeeldtoelichting bij {theme.name}.",
            )
            for n, theme in enumerate(themes)
        ],
    )
