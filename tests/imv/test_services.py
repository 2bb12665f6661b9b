"""The rules of the consultation round, as the services enforce them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from imv import services
from imv.clock import amsterdam_date, day_end, days_late, db_now
from imv.models import (
    ExtensionStatus,
    Notification,
    Opinion,
    OutgoingEmail,
    Participation,
    ParticipationStatus,
    Position,
    Theme,
)
from portal.exceptions import PortalError
from tenants.models import AuditEvent, Municipality, Role
from tests.factories import react_to_all
from tests.imv.conftest import decision

pytestmark = pytest.mark.django_db


def submit(participation, actor, themes, **kwargs):
    return services.opinion_submit(
        actor=actor,
        participation=participation,
        overall_position=Position.SUPPORTS,
        overall_text="Akkoord.",
        points=[services.PointInput(theme=t, position=Position.SUPPORTS, text="") for t in themes],
        **kwargs,
    )


def test_round_invites_every_active_municipality_of_the_unit(consultation):
    invited = set(consultation.participations.values_list("municipality__cbs_code", flat=True))
    assert invited == set(Municipality.objects.filter(is_active=True).values_list("cbs_code", flat=True))
    assert set(consultation.participations.values_list("status", flat=True)) == {ParticipationStatus.INVITED}


def test_round_open_refuses_a_deadline_in_the_past(cycle, adviser, consultation):
    now = db_now()
    with pytest.raises(PortalError) as info:
        services.round_open(
            actor=adviser,
            cycle=cycle,
            draft_version=consultation.draft_version,
            # A deadline includes its minute: one in the minute that has just ended is in the past.
            deadline=now - timedelta(minutes=1),
            rbop_meeting=now + timedelta(days=3),
        )
    assert "deadline" in info.value.errors


def test_round_open_refuses_rbop_before_deadline(cycle, adviser, consultation):
    now = db_now()
    with pytest.raises(PortalError) as info:
        services.round_open(
            actor=adviser,
            cycle=cycle,
            draft_version=consultation.draft_version,
            deadline=now + timedelta(days=5),
            rbop_meeting=now + timedelta(days=4),
        )
    assert "rbop_meeting" in info.value.errors


def test_full_path_through_every_status_is_audited(adopted, heemstede_staff, adviser, top_themes):
    opinion = submit(adopted, heemstede_staff, top_themes)
    react_to_all(actor=adviser, opinion=opinion)
    services.participation_answer(actor=adviser, participation=adopted)
    statuses = list(
        AuditEvent.objects.filter(object_uuid=adopted.uuid, field="status")
        .order_by("at", "pk")
        .values_list("old_value", "new_value")
    )
    assert statuses == [
        ("uitgenodigd", "geagendeerd"),
        ("geagendeerd", "vastgesteld"),
        ("vastgesteld", "ingediend"),
        ("ingediend", "beantwoord"),
    ]
    event = AuditEvent.objects.filter(object_uuid=adopted.uuid, field="status").first()
    assert event is not None
    assert event.actor == adviser
    assert event.municipality_id == adopted.municipality_id


@pytest.mark.parametrize("status", [ParticipationStatus.INVITED, ParticipationStatus.SCHEDULED])
def test_submit_before_council_decision_is_refused_with_reason(
    participation_of, heemstede, heemstede_staff, top_themes, status
):
    p = participation_of(heemstede)
    if status == ParticipationStatus.SCHEDULED:
        p = services.participation_schedule(
            actor=heemstede_staff, participation=p, committee_date=None, council_date=db_now().date()
        )
    with pytest.raises(PortalError) as info:
        submit(p, heemstede_staff, top_themes)
    assert info.value.code == "transition_not_allowed"
    assert "ingediend" in info.value.message
    assert not Opinion.objects.filter(participation=p).exists()
    assert Participation.objects.get(pk=p.pk).status == status


def test_answered_participation_cannot_move(adopted, heemstede_staff, adviser, top_themes):
    opinion = submit(adopted, heemstede_staff, top_themes)
    react_to_all(actor=adviser, opinion=opinion)
    services.participation_answer(actor=adviser, participation=adopted)
    with pytest.raises(PortalError):
        services.opinion_withdraw(actor=heemstede_staff, participation=adopted)


def test_submission_one_second_before_deadline_is_on_time(adopted, heemstede_staff, top_themes):
    Participation.objects.filter(pk=adopted.pk).update(deadline=db_now() + timedelta(seconds=1))
    opinion = submit(adopted, heemstede_staff, top_themes)
    assert opinion.days_late == 0
    assert Participation.objects.get(pk=adopted.pk).days_late == 0


def test_submission_one_second_after_deadline_is_late(adopted, heemstede_staff, top_themes):
    Participation.objects.filter(pk=adopted.pk).update(deadline=db_now() - timedelta(seconds=1))
    opinion = submit(adopted, heemstede_staff, top_themes)
    assert opinion.is_late
    # Calendar days in Amsterdam: the same day unless that second was midnight there.
    assert opinion.days_late == days_late(opinion.submitted_at, opinion.deadline) <= 1
    assert Participation.objects.get(pk=adopted.pk).status == ParticipationStatus.SUBMITTED


def test_after_rbop_meeting_the_round_refuses_submissions(adopted, heemstede_staff, top_themes):
    adopted.round.__class__.objects.filter(pk=adopted.round_id).update(
        deadline=db_now() - timedelta(days=2), rbop_meeting=db_now() - timedelta(seconds=1)
    )
    with pytest.raises(PortalError) as info:
        submit(adopted, heemstede_staff, top_themes)
    assert info.value.code == "round_closed"
    assert "gesloten" in info.value.message


def test_position_on_a_theme_outside_the_round_is_refused(adopted, heemstede_staff, top_themes, cycle, noord_holland):
    from imv.models import ImvCycle

    other = ImvCycle.objects.create(police_unit=noord_holland, name="IMV 2028-2031", period_start=2028, period_end=2031)
    stranger = Theme.objects.create(cycle=other, name="Ander thema")
    with pytest.raises(PortalError) as info:
        submit(adopted, heemstede_staff, [*top_themes, stranger])
    assert "geen thema van deze consultatieronde" in info.value.errors["points"][0]
    assert not Opinion.objects.filter(participation=adopted).exists()


def test_council_decision_in_the_future_is_refused(participation_of, heemstede, heemstede_staff):
    p = participation_of(heemstede)
    p = services.participation_schedule(
        actor=heemstede_staff, participation=p, committee_date=None, council_date=db_now().date()
    )
    with pytest.raises(PortalError) as info:
        services.participation_adopt(
            actor=heemstede_staff, participation=p, decision=decision(decision_date=db_now().date() + timedelta(days=1))
        )
    assert "decision_date" in info.value.errors
    assert Participation.objects.get(pk=p.pk).status == ParticipationStatus.SCHEDULED


def test_withdraw_and_resubmit_keeps_every_version(adopted, heemstede_staff, top_themes):
    first = submit(adopted, heemstede_staff, top_themes)
    services.opinion_withdraw(actor=heemstede_staff, participation=adopted)
    second = submit(adopted, heemstede_staff, top_themes)
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.withdrawn_at is not None
    assert Opinion.objects.filter(participation=adopted).count() == 2


def test_same_idempotency_key_creates_one_opinion(adopted, heemstede_staff, top_themes):
    first = submit(adopted, heemstede_staff, top_themes, idempotency_key="abc-123")
    again = submit(adopted, heemstede_staff, top_themes, idempotency_key="abc-123")
    assert first.pk == again.pk
    assert Opinion.objects.filter(participation=adopted).count() == 1


def test_opinion_submit_tells_the_advisers_of_the_unit_in_the_portal_and_by_email(
    adopted, heemstede_staff, top_themes, make_user, client_for, django_capture_on_commit_callbacks
):
    adviser = make_user(Role.ADVISER, email="adviseur@regio.example")
    gone = make_user(Role.ADVISER, email="weg@regio.example", is_active=False)
    rbop = make_user(Role.RBOP, email="rbop@regio.example")

    with django_capture_on_commit_callbacks(execute=True):
        opinion = submit(adopted, heemstede_staff, top_themes, idempotency_key="k")
    # A repeat with the same key returns the same opinion and tells no one again.
    with django_capture_on_commit_callbacks(execute=True):
        submit(adopted, heemstede_staff, top_themes, idempotency_key="k")

    url = f"/regio/imv/rondes/{adopted.round.uuid}/zienswijzen/{adopted.uuid}/"
    told = Notification.objects.filter(url=url)
    assert list(told.filter(user=adviser).values_list("message", flat=True)) == [
        "Heemstede heeft de zienswijze op IMV 2024-2027 ingediend (versie 1)."
    ]
    assert not told.filter(user__in=[gone, rbop, heemstede_staff]).exists()
    assert "Heemstede heeft de zienswijze" in client_for(adviser).get("/meldingen/").content.decode()
    emails = OutgoingEmail.objects.filter(subject="Zienswijze ingediend: Heemstede — IMV 2024-2027")
    addresses = list(emails.values_list("to", flat=True))
    assert addresses.count("adviseur@regio.example") == 1
    assert not {"weg@regio.example", "rbop@regio.example"} & set(addresses)
    body = emails.get(to="adviseur@regio.example").body
    assert "Standpunt: steunt." in body
    assert url in body
    assert opinion.number == 1


def test_a_late_submission_says_how_late_to_the_adviser(adopted, heemstede_staff, top_themes, make_user):
    adviser = make_user(Role.ADVISER, email="adviseur@regio.example")
    # The end of the day before yesterday, in Amsterdam: two calendar days late whatever the hour now.
    Participation.objects.filter(pk=adopted.pk).update(deadline=day_end(amsterdam_date(db_now()) - timedelta(days=2)))

    submit(adopted, heemstede_staff, top_themes)

    assert Notification.objects.get(user=adviser).message.endswith("(versie 1, 2 dagen te laat).")


def test_extension_changes_only_that_municipalitys_deadline(
    participation_of, heemstede, haarlem, heemstede_staff, adviser
):
    p = participation_of(heemstede)
    before_haarlem = participation_of(haarlem).deadline
    request = services.extension_request(
        actor=heemstede_staff,
        participation=p,
        reason="Raad vergadert later.",
        requested_deadline=p.deadline + timedelta(days=7),
    )
    services.extension_decide(actor=adviser, request=request, grant=True)
    assert participation_of(heemstede).deadline == p.deadline + timedelta(days=7)
    assert participation_of(haarlem).deadline == before_haarlem
    request.refresh_from_db()
    assert request.status == ExtensionStatus.GRANTED
    assert AuditEvent.objects.filter(object_uuid=p.uuid, field="deadline").count() == 1


def test_refused_extension_keeps_the_deadline(participation_of, heemstede, heemstede_staff, adviser):
    p = participation_of(heemstede)
    request = services.extension_request(
        actor=heemstede_staff,
        participation=p,
        reason="Graag meer tijd.",
        requested_deadline=p.deadline + timedelta(days=7),
    )
    services.extension_decide(actor=adviser, request=request, grant=False, note="Niet nodig.")
    assert participation_of(heemstede).deadline == p.deadline
    with pytest.raises(PortalError):
        services.extension_decide(actor=adviser, request=request, grant=True)


def test_second_open_extension_request_is_refused(participation_of, heemstede, heemstede_staff):
    p = participation_of(heemstede)
    services.extension_request(
        actor=heemstede_staff, participation=p, reason="Een.", requested_deadline=p.deadline + timedelta(days=3)
    )
    with pytest.raises(PortalError) as info:
        services.extension_request(
            actor=heemstede_staff, participation=p, reason="Twee.", requested_deadline=p.deadline + timedelta(days=4)
        )
    assert info.value.status == 409


def test_themes_are_frozen_once_a_round_is_open(consultation, adviser, top_themes):
    with pytest.raises(PortalError) as info:
        services.theme_update(actor=adviser, theme=top_themes[0], name="Iets anders", status="vastgesteld", note="")
    assert info.value.code == "themes_frozen"


def test_demo_cycle_has_four_themes_and_zorg_en_veiligheid_under_exploration(cycle):
    top = {t.name: t.status for t in cycle.themes.filter(parent__isnull=True)}
    assert top == {
        "Ondermijning": "vastgesteld",
        "Jeugd en Veiligheid": "vastgesteld",
        "Cybercrime en gedigitaliseerde criminaliteit": "vastgesteld",
        "Verbinding met de samenleving en maatschappelijke onrust": "vastgesteld",
        "Zorg en Veiligheid": "in_verkenning",
    }
    assert cycle.themes.filter(parent__name="Ondermijning").count() == 4
    assert cycle.timeline.count() == 7
