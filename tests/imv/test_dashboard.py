"""The RBOP dashboard page: who may see it, that every figure on it is imv.analytics's, the map, and
that invented content says so."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from imv.analytics import alignment_by_theme, heatmap
from imv.models import ConsultationRound, ImvCycle, Participation, PriorityProjection, Theme
from imv.selectors.dashboard import MAP_CREDIT, boundaries
from tenants.models import Membership, Municipality, PoliceUnit, Role
from tests.imv.dashboard_helpers import DASHBOARD, NOORD, get

pytestmark = pytest.mark.django_db

DOWNLOADS = ["imv:dashboard_coverage_csv", "imv:dashboard_heatmap_csv", "imv:dashboard_xlsx", "imv:dashboard_pdf"]


def main_of(response) -> str:
    return response.content.decode().split('id="main"', 1)[1]


# --- Access -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [DASHBOARD, *DOWNLOADS])
def test_dashboard_and_downloads_are_read_by_adviser_and_rbop(client_for, adviser, rbop, name):
    for user in (adviser, rbop):
        assert get(client_for(user), name).status_code == 200, (user, name)


@pytest.mark.parametrize("name", [DASHBOARD, *DOWNLOADS])
def test_dashboard_refuses_municipal_staff(client_for, heemstede_staff, name):
    response = get(client_for(heemstede_staff), name)

    assert response.status_code == 403
    assert b"Bloemendaal" not in response.content


def test_dashboard_refuses_someone_without_a_role(client_for, make_user):
    response = get(client_for(make_user(None)))

    assert response.status_code == 403
    assert "alleen te zien voor de adviseur regioburgemeester en de leden van het RBOP" in response.content.decode()


@pytest.mark.parametrize("name", [DASHBOARD, *DOWNLOADS])
def test_dashboard_sends_anonymous_visitors_to_login(client, name):
    response = get(client, name)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_rbop_of_another_unit_sees_none_of_noord_holland(client_for, make_user):
    other = PoliceUnit.objects.create(name="Oost-Nederland", slug="oost-nederland")
    user = make_user(None)
    Membership.objects.create(user=user, role=Role.RBOP, police_unit=other)
    client = client_for(user)

    response = get(client)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Voor uw politie-eenheid is nog geen IMV vastgelegd." in page
    assert "Bloemendaal" not in page
    assert "IMV 2024-2027" not in page
    for name in DOWNLOADS:
        assert get(client, name).status_code == 404, name
    # Naming Noord-Holland's IMV in the address does not help either.
    noord_holland_imv = ImvCycle.objects.get(name="IMV 2024-2027")
    assert "Bloemendaal" not in get(client, imv=str(noord_holland_imv.uuid)).content.decode()


def test_dashboard_is_read_only(client_for, rbop):
    client = client_for(rbop)
    main = main_of(get(client))

    forms = re.findall(r"<form[^>]*>", main)
    assert forms, "the filters are forms"
    assert all('method="get"' in form for form in forms), forms
    assert "csrfmiddlewaretoken" not in main
    assert client.post(reverse(DASHBOARD)).status_code == 405


def test_start_page_links_regional_roles_to_the_dashboard(client_for, rbop, adviser, heemstede_staff):
    link = f'href="{reverse(DASHBOARD)}"'
    for user in (rbop, adviser):
        assert link in client_for(user).get(reverse("home")).content.decode()
    assert link not in client_for(heemstede_staff).get(reverse("home")).content.decode()


# --- The figures are imv.analytics's --------------------------------------------------------
def test_per_theme_counts_equal_alignment_by_theme(client_for, rbop, cycle, heemstede_priorities):
    response = get(client_for(rbop))

    coverage, considered = alignment_by_theme(cycle=cycle)
    lines = response.context["figures"].lines
    assert [(line.theme.name, [p.name for p in line.places]) for line in lines] == [
        (c.theme.name, [m.name for m in c.municipalities]) for c in coverage
    ]
    assert {line.considered for line in lines} == {considered}
    assert [line.count for line in lines] == sorted(line.count for line in lines)  # least covered first
    page = response.content.decode()
    for c in coverage:
        shown = re.search(rf'data-theme="{c.theme.uuid}".*?data-count="(\d+)"', page, re.DOTALL)
        assert shown is not None
        assert int(shown.group(1)) == c.count, c.theme.name
        assert f"{c.count} van {considered}" in page
    # The formula the figures follow is on the page.
    assert "dekking = aantal vastgestelde regionale thema&#x27;s" in page


def test_heatmap_cells_equal_alignment_heatmap(client_for, rbop, cycle, heemstede, heemstede_priorities):
    response = get(client_for(rbop))

    table = heatmap(cycle=cycle)
    figures = response.context["figures"]
    assert [t.name for t in figures.themes] == list(table.columns)
    assert [row.place.name for row in figures.rows] == list(table.index)
    page = response.content.decode()
    for row in figures.rows:
        expected = [int(v) for v in table.loc[row.place.name].tolist()]
        assert row.counts == expected, row.place.name
        html = re.search(rf'<tr class="utrecht-table__row" data-cbs="{row.place.cbs_code}">(.*?)</tr>', page, re.DOTALL)
        assert html is not None
        cells = re.findall(r'rp-heat rp-heat--(\d)">(\d+)</td>', html.group(1))
        # The number is always in the cell; the colour class only follows it.
        assert [int(count) for _level, count in cells] == expected
        assert [int(level) for level, _count in cells] == [min(v, 3) for v in expected]
    heemstede_row = next(row for row in figures.rows if row.place.pk == heemstede.pk)
    assert heemstede_row.counts[[t.name for t in figures.themes].index("Ondermijning")] == 2
    assert '<caption class="utrecht-table__caption" id="heatmap-caption">' in page
    assert '<th class="utrecht-table__header-cell" scope="row">' in page


def test_district_filter_narrows_to_the_districts_municipalities(client_for, rbop, cycle, bloemendaal_in_noord):
    client = client_for(rbop)

    everyone = get(client).context["figures"]
    noord = get(client, district=NOORD)
    kennemerland = get(client, district="Kennemerland")

    assert {row.place.name for row in everyone.rows} == {"Bloemendaal", "Haarlem", "Heemstede"}
    figures = noord.context["figures"]
    assert [row.place.name for row in figures.rows] == ["Bloemendaal"]
    assert figures.considered == 1
    coverage, considered = alignment_by_theme(cycle=cycle, district=NOORD)
    assert considered == 1
    assert [(line.theme.name, line.count) for line in figures.lines] == [(c.theme.name, c.count) for c in coverage]
    assert figures.progress is not None
    assert [row.municipality for row in figures.progress.rows] == ["Bloemendaal"]
    assert [row.place.name for row in kennemerland.context["figures"].rows] == ["Haarlem", "Heemstede"]
    page = noord.content.decode()
    assert page.count('<path class="rp-map__area') == 1
    # The rest of the unit is drawn around the district, uncoloured and not counted.
    assert page.count('<path class="rp-map__context"') == 2
    assert "Haarlem (buiten de selectie)" in page
    assert f'<option value="{NOORD}" selected>' in page
    assert "/gemeenten/haarlem/" not in main_of(noord)
    # An unknown district shows the whole unit rather than an empty, puzzling page.
    assert len(get(client, district="Atlantis").context["figures"].rows) == 3


def test_newest_imv_by_default_and_another_by_choice(client_for, rbop, noord_holland, cycle):
    newer = ImvCycle.objects.create(police_unit=noord_holland, name="IMV 2028-2031", period_start=2028, period_end=2031)
    Theme.objects.create(cycle=newer, name="Nieuw thema", position=1)
    client = client_for(rbop)

    assert get(client).context["figures"].cycle == newer
    chosen = get(client, imv=str(cycle.uuid))
    assert chosen.context["figures"].cycle == cycle
    assert "Ondermijning" in chosen.content.decode()
    assert get(client, imv="geen-uuid").context["figures"].cycle == newer


# --- The map --------------------------------------------------------------------------------
def test_map_has_one_path_per_municipality_with_a_boundary_and_the_credit(client_for, rbop, noord_holland):
    page = get(client_for(rbop)).content.decode()

    municipalities = Municipality.objects.filter(police_unit=noord_holland, is_active=True)
    with_boundary = [m for m in municipalities if m.cbs_code in boundaries()]
    assert with_boundary
    paths = re.findall(r'<path class="rp-map__area[^"]*" d="([^"]+)" data-cbs="(GM\d{4})"', page)
    assert sorted(code for _d, code in paths) == sorted(m.cbs_code for m in with_boundary)
    for m in with_boundary:
        assert re.search(rf'data-cbs="{m.cbs_code}" data-href="/gemeenten/[^"]+/"><title>{m.name}: ', page)
    assert MAP_CREDIT in page
    assert 'role="img" aria-labelledby="map-title map-desc"' in page
    # Every point lies inside the drawing's viewBox.
    box = re.search(r'<svg class="rp-map__svg" viewBox="0 0 ([\d.]+) ([\d.]+)"', page)
    assert box is not None
    width, height = map(float, box.groups())
    numbers = [float(n) for d, _code in paths for n in re.findall(r"[\d.]+", d)]
    xs, ys = numbers[0::2], numbers[1::2]
    assert min(xs) >= 0
    assert max(xs) <= width
    assert min(ys) >= 0
    assert max(ys) <= height


def test_map_colours_and_tabulates_the_chosen_theme(client_for, rbop, themes, heemstede, haarlem, heemstede_priorities):
    ondermijning = themes["Ondermijning"]
    response = get(client_for(rbop), thema=str(ondermijning.uuid))

    region = response.context["region"]
    assert region.theme == ondermijning
    table = heatmap(cycle=ondermijning.cycle)
    page = response.content.decode()
    levels = {"geen": 0, "een": 1, "meer": 2}
    for place, count in region.rows:
        assert count == table.loc[place.name, "Ondermijning"]
        level = re.search(
            rf'<path class="rp-map__area rp-map__area--(\w+)" d="[^"]+" data-cbs="{place.cbs_code}"', page
        )
        assert level is not None
        assert levels[level.group(1)] == min(count, 2), place.name
        row = re.search(
            rf'<tr class="utrecht-table__row" data-cbs="{place.cbs_code}">(.*?)</tr>',
            main_of(response).split('id="map-table-caption"')[1],
            re.DOTALL,
        )
        assert row is not None
        assert (
            '<td class="utrecht-table__cell">ja</td>' if count else '<td class="utrecht-table__cell">nee</td>'
        ) in row.group(1)
    assert dict(region.rows)[next(p for p, _c in region.rows if p.pk == heemstede.pk)] == 2
    assert f'<option value="{ondermijning.uuid}" selected>Ondermijning</option>' in page


def test_map_shows_the_least_covered_adopted_theme_without_a_choice(client_for, rbop, cycle):
    response = get(client_for(rbop))

    coverage, _ = alignment_by_theme(cycle=cycle)
    adopted = [c for c in coverage if c.theme.status == "vastgesteld"]
    assert response.context["region"].theme == adopted[0].theme
    # An unknown theme falls back the same way.
    assert get(client_for(rbop), thema="onzin").context["region"].theme == adopted[0].theme


def test_every_municipality_links_to_its_page_which_the_rbop_may_read(client_for, rbop):
    client = client_for(rbop)
    page = get(client).content.decode()

    for row in get(client).context["figures"].rows:
        assert f'href="/gemeenten/{row.place.slug}/"' in page
    assert client.get("/gemeenten/haarlem/").status_code == 200


# --- Invented content says so ---------------------------------------------------------------
def test_figures_with_example_content_say_so(client_for, rbop, haarlem):
    assert PriorityProjection.objects.filter(municipality=haarlem, is_example=True).exists()
    client = client_for(rbop)

    page = main_of(get(client))

    assert "Voorbeeld: de lokale prioriteiten van 2 gemeenten" in page
    haarlem_row = re.search(r'data-cbs="GM0392">(.*?)</tr>', page, re.DOTALL)
    assert haarlem_row is not None
    assert "voorbeeld" in haarlem_row.group(1)
    assert "rp-dash-mark" in page
    heat = list(
        csv.reader(io.StringIO(get(client, "imv:dashboard_heatmap_csv").content.decode("utf-8-sig")), delimiter=";")
    )
    assert {row[0]: row[-1] for row in heat[1:]} == {"Bloemendaal": "ja", "Haarlem": "ja", "Heemstede": "nee"}


def test_without_example_content_nothing_is_called_an_example(client_for, rbop):
    PriorityProjection.objects.update(is_example=False)
    Participation.objects.update(is_example=False)
    ConsultationRound.objects.update(is_example=False)

    page = main_of(get(client_for(rbop)))

    assert "voorbeeld" not in page.lower()


# --- Queries ----------------------------------------------------------------------------------
def test_dashboard_queries_do_not_grow_with_the_municipalities(client_for, rbop, bloemendaal_in_noord):
    client = client_for(rbop)
    get(client)  # sessions and caches warm

    with CaptureQueriesContext(connection) as one:
        assert len(get(client, district=NOORD).context["figures"].rows) == 1
    with CaptureQueriesContext(connection) as two:
        assert len(get(client, district="Kennemerland").context["figures"].rows) == 2

    assert len(one.captured_queries) == len(two.captured_queries)
    assert len(two.captured_queries) <= 50
