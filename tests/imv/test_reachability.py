"""Who cannot be reached by e-mail is visible: on the adviser's board per municipality, and in the
administrator's user list (a column and a filter), because reminders and notices go by e-mail."""

from __future__ import annotations

import pytest

from imv.clock import db_now
from imv.selectors import board_rows
from tenants.models import MUNICIPAL_ROLES, Membership, Role
from tests.imv.board_helpers import board_url

pytestmark = pytest.mark.django_db


def test_the_board_marks_a_municipality_no_one_can_be_reached_at(
    client_for, adviser, consultation, make_user, heemstede, haarlem
):
    make_user(Role.OOV, municipality=heemstede, email="oov@heemstede.example")
    reached = set(
        Membership.objects.filter(role__in=MUNICIPAL_ROLES, user__is_active=True)
        .exclude(user__email="")
        .values_list("municipality__cbs_code", flat=True)
    )
    rows = {r.cbs_code: r for r in board_rows(consultation=consultation, now=db_now())}
    assert {code for code, row in rows.items() if row.reachable} == reached & set(rows)
    unreachable = next(code for code in rows if code not in reached)  # the control: there is one

    page = client_for(adviser).get(board_url(consultation)).content.decode()

    def row_html(code: str) -> str:
        return page[page.index(f'data-cbs="{code}"') :].split("</tr>")[0]

    assert "geen e-mailadres" in row_html(unreachable)
    assert "geen e-mailadres" not in row_html(heemstede.cbs_code)


def test_the_admin_lists_who_has_no_email_address(client_for, make_user, heemstede):
    admin = make_user(None, is_staff=True, is_superuser=True, email="beheer@regio.example")
    without = make_user(Role.OOV, municipality=heemstede, email="")
    with_email = make_user(Role.GRIFFIE, municipality=heemstede, email="griffie@heemstede.example")
    page = client_for(admin).get("/beheer/tenants/user/", {"email": "geen"}).content.decode()
    assert without.username in page
    assert with_email.username not in page
    assert "bereikbaar per e-mail" in page.lower()
