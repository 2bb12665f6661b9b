"""Loading an IMV from the reference CSVs (imv.reference): the timeline is shown in Dutch."""

from __future__ import annotations

from pathlib import Path

import pytest

from imv.reference import TIMELINE_NL_CSV, cycle_load
from portal.exceptions import PortalError
from tenants.models import PoliceUnit

pytestmark = pytest.mark.django_db


def test_the_demo_timeline_is_dutch(cycle):
    events = [event.description for event in cycle.timeline.all()]
    assert events[0] == "Brief aan de raden over het proces en de planning van het IMV"
    assert "Uiterste datum voor de zienswijzen van de raden op het concept-IMV" in events[5]
    assert not any("council" in text or "Letter" in text for text in events)


def test_the_overview_shows_the_timeline_in_dutch(client_for, adviser, cycle):
    client = client_for(adviser)
    page = client.get("/regio/imv/").content.decode()
    assert "RBOP stelt het IMV 2024-2027 vast" in page
    assert "RBOP adopts" not in page


def test_a_dutch_timeline_out_of_step_with_the_reference_is_refused(tmp_path: Path, noord_holland: PoliceUnit):
    rows = TIMELINE_NL_CSV.read_text(encoding="utf-8").splitlines()
    shifted = tmp_path / "tijdlijn.csv"
    shifted.write_text("\n".join([rows[0], rows[2], rows[1], *rows[3:]]) + "\n", encoding="utf-8")
    with pytest.raises(PortalError, match="rij 2, kolom date: komt niet overeen met rij 2"):
        cycle_load(
            police_unit=noord_holland, name="IMV 2028-2031", period_start=2028, period_end=2031, timeline_nl_csv=shifted
        )
    short = tmp_path / "kort.csv"
    short.write_text("\n".join(rows[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(PortalError, match="heeft 7 rijen"):
        cycle_load(
            police_unit=noord_holland, name="IMV 2028-2031", period_start=2028, period_end=2031, timeline_nl_csv=short
        )
