"""Inviting people (tenants.services.invitations): who may invite whom, and every refusal writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from portal.exceptions import PortalError
from tenants.models import AuditEvent, Invitation, Membership, Role
from tenants.selectors import invitation_get
from tenants.services import (
    INVITATION_VALID,
    InvitationOpenError,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from tests.tenants.people_helpers import invitation_mail, token_for, written

pytestmark = pytest.mark.django_db


@override_settings(PORTAL_BASE_URL="https://regioportaal.example.nl")
def test_invitation_create_stores_a_hash_audits_and_queues_a_dutch_mail_with_an_absolute_link(coordinator, heemstede):
    before = timezone.now()

    invitation = invitation_create(
        actor=coordinator, email="  Anna@Heemstede.NL ", role=Role.OOV, municipality=heemstede
    )

    assert invitation.email == "anna@heemstede.nl"
    mail = invitation_mail("anna@heemstede.nl")
    assert mail.subject == "Uitnodiging voor het Regioportaal Veiligheid"
    assert mail.body.startswith("Beste collega,\n\nCora Coördinator nodigt u uit voor het Regioportaal Veiligheid als ")
    assert "als medewerker openbare orde en veiligheid van gemeente Heemstede." in mail.body
    assert "De link werkt één keer, tot " in mail.body
    assert "https://regioportaal.example.nl/uitnodiging/" in mail.body
    token = token_for("anna@heemstede.nl")
    assert invitation.token_hash == Invitation.hash_token(token)
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in str(stored)  # only the hash is kept
    assert before + INVITATION_VALID <= invitation.expires_at <= timezone.now() + INVITATION_VALID
    assert timedelta(days=7) == INVITATION_VALID
    event = AuditEvent.objects.get(object_uuid=invitation.uuid)
    assert (event.actor, event.field, event.old_value, event.new_value) == (coordinator, "status", "", "uitgenodigd")
    assert event.municipality == heemstede
    assert "anna@heemstede.nl" in event.note


def test_the_adviser_invites_regional_roles_and_roles_in_the_municipalities_of_the_unit(
    adviser, noord_holland, haarlem
):
    rbop = invitation_create(actor=adviser, email="r@politie.example", role=Role.RBOP, police_unit=noord_holland)
    staff = invitation_create(actor=adviser, email="c@haarlem.nl", role=Role.COORDINATOR, municipality=haarlem)

    assert (rbop.police_unit, rbop.municipality) == (noord_holland, None)
    assert (staff.municipality, staff.police_unit) == (haarlem, None)


def test_the_platform_administrator_invites_in_every_unit(platform_admin, utrecht, utrecht_city):
    invitation_create(actor=platform_admin, email="a@utrecht.nl", role=Role.ADVISER, police_unit=utrecht)
    invitation_create(actor=platform_admin, email="c@utrecht.nl", role=Role.COORDINATOR, municipality=utrecht_city)

    assert Invitation.objects.filter(email__endswith="@utrecht.nl").count() == 2


def test_one_address_may_be_invited_to_two_organisations(coordinator, heemstede, adviser, haarlem):
    invitation_create(actor=coordinator, email="anna@example.nl", role=Role.OOV, municipality=heemstede)
    invitation_create(actor=adviser, email="anna@example.nl", role=Role.OOV, municipality=haarlem)

    assert Invitation.objects.filter(email="anna@example.nl").count() == 2


REFUSALS = {
    "a coordinator inviting for a regional role": (
        "coordinator",
        {"role": Role.RBOP, "police_unit": "noord_holland"},
        403,
        "Een coördinator gaat alleen over de mensen van de eigen gemeente",
    ),
    "a coordinator of Heemstede inviting for Haarlem": (
        "coordinator",
        {"role": Role.OOV, "municipality": "haarlem"},
        403,
        "U gaat alleen over de mensen van Heemstede, niet over die van Haarlem.",
    ),
    "the adviser of Noord-Holland inviting for Utrecht": (
        "adviser",
        {"role": Role.COORDINATOR, "municipality": "utrecht_city"},
        403,
        "Utrecht hoort niet bij politie-eenheid Noord-Holland",
    ),
    "the adviser of Noord-Holland handing out a role of another unit": (
        "adviser",
        {"role": Role.ADVISER, "police_unit": "utrecht"},
        403,
        "U kent alleen regionale rollen toe in politie-eenheid Noord-Holland.",
    ),
    "municipal staff inviting anyone": (
        "heemstede_oov",
        {"role": Role.OOV, "municipality": "heemstede"},
        403,
        "U beheert geen mensen",
    ),
    "a regional role for a municipality": (
        "platform_admin",
        {"role": Role.ADVISER, "municipality": "heemstede"},
        400,
        "Een regionale rol hoort bij een politie-eenheid, niet bij een gemeente.",
    ),
    "a municipal role for a police unit": (
        "platform_admin",
        {"role": Role.GRIFFIE, "police_unit": "noord_holland"},
        400,
        "Een gemeentelijke rol hoort bij een gemeente, niet bij een politie-eenheid.",
    ),
    "an unknown role": ("platform_admin", {"role": "burgemeester", "municipality": "heemstede"}, 400, "Kies een rol."),
}


@pytest.mark.parametrize(("who", "where", "status", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_invitation_create_refuses_outside_the_inviters_scope_and_writes_nothing(
    request, make_user, heemstede, who, where, status, message
):
    request.getfixturevalue("utrecht_city")
    people = {"heemstede_oov": lambda: make_user(Role.OOV, heemstede)}
    actor = people[who]() if who in people else request.getfixturevalue(who)
    organisation = {key: request.getfixturevalue(value) for key, value in where.items() if key != "role"}
    before = written()

    with pytest.raises(PortalError) as refused:
        invitation_create(actor=actor, email="nieuw@example.nl", role=where["role"], **organisation)

    assert refused.value.status == status
    assert message in refused.value.message
    assert written() == before


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "Een uitnodiging heeft een e-mailadres nodig."), ("anna-at-heemstede", "is geen geldig e-mailadres")],
)
def test_invitation_create_requires_a_valid_address(coordinator, heemstede, email, message):
    before = written()

    with pytest.raises(PortalError) as refused:
        invitation_create(actor=coordinator, email=email, role=Role.OOV, municipality=heemstede)

    assert message in refused.value.message
    assert list(refused.value.errors) == ["email"]
    assert written() == before


def test_a_second_open_invitation_for_the_address_and_organisation_is_refused_offering_the_first(
    coordinator, heemstede
):
    first = invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)
    before = written()

    with pytest.raises(InvitationOpenError) as refused:
        # Another role, another spelling of the address: still the same person and organisation.
        invitation_create(actor=coordinator, email="ANNA@heemstede.nl", role=Role.GRIFFIE, municipality=heemstede)

    assert refused.value.invitation == first
    assert refused.value.status == 409
    assert "Er staat al een uitnodiging open voor anna@heemstede.nl bij gemeente Heemstede" in refused.value.message
    assert "Verstuur die opnieuw" in refused.value.message
    assert written() == before


def test_an_expired_invitation_still_counts_as_open_so_it_is_sent_again(coordinator, heemstede):
    first = invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(days=1))

    with pytest.raises(InvitationOpenError):
        invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)


def test_an_address_that_already_has_the_role_there_is_refused(coordinator, heemstede, make_user):
    make_user(Role.OOV, heemstede, email="Hans@Heemstede.nl")
    before = written()

    with pytest.raises(PortalError) as refused:
        invitation_create(actor=coordinator, email="hans@heemstede.nl", role=Role.OOV, municipality=heemstede)

    assert refused.value.status == 409
    assert refused.value.message == (
        "hans@heemstede.nl is al medewerker openbare orde en veiligheid van gemeente Heemstede."
    )
    assert written() == before


def test_no_one_is_invited_to_an_inactive_municipality(platform_admin, bloemendaal):
    bloemendaal.is_active = False
    bloemendaal.save(update_fields=["is_active"])
    before = written()

    with pytest.raises(PortalError, match="Gemeente Bloemendaal is niet actief"):
        invitation_create(actor=platform_admin, email="x@bloemendaal.nl", role=Role.OOV, municipality=bloemendaal)

    assert written() == before


# --- Sending again, revoking --------------------------------------------------------------------
def test_resend_makes_a_new_link_and_voids_the_old_one(coordinator, heemstede):
    invitation = invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)
    old_token = token_for("anna@heemstede.nl")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(hours=1))

    invitation_resend(actor=coordinator, invitation=invitation)

    new_token = token_for("anna@heemstede.nl")
    assert new_token != old_token
    with pytest.raises(PortalError) as old_link:
        invitation_get(token=old_token)
    assert old_link.value.status == 404
    assert "ongeldig" in old_link.value.message
    again = invitation_get(token=new_token)
    assert again.pk == invitation.pk
    assert again.send_count == 2
    assert again.expires_at > timezone.now() + INVITATION_VALID - timedelta(minutes=1)
    assert AuditEvent.objects.filter(object_uuid=invitation.uuid, field="verstuurd").count() == 1


def test_revoke_voids_the_link_and_the_invitation_leaves_the_open_ones(coordinator, heemstede):
    invitation = invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)
    token = token_for("anna@heemstede.nl")

    invitation_revoke(actor=coordinator, invitation=invitation)

    with pytest.raises(PortalError, match="ingetrokken") as refused:
        invitation_get(token=token)
    assert refused.value.status == 409
    event = AuditEvent.objects.get(object_uuid=invitation.uuid, new_value="ingetrokken")
    assert event.actor == coordinator
    # Revoked, the address may be invited again.
    invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)


@pytest.mark.parametrize("change", [invitation_resend, invitation_revoke])
def test_resend_and_revoke_refuse_a_revoked_invitation_and_write_nothing(coordinator, heemstede, change):
    invitation = invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)
    invitation_revoke(actor=coordinator, invitation=invitation)
    before = written()

    with pytest.raises(PortalError, match="Deze uitnodiging is ingetrokken"):
        change(actor=coordinator, invitation=invitation)

    assert written() == before


def test_resend_refuses_once_the_address_has_the_role(coordinator, heemstede, make_user):
    invitation = invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)
    Membership.objects.create(
        user=make_user(None, email="anna@heemstede.nl"), role=Role.OOV, municipality=heemstede
    )  # given in the Django admin meanwhile
    before = written()

    with pytest.raises(PortalError, match="is al medewerker"):
        invitation_resend(actor=coordinator, invitation=invitation)

    assert written() == before


@pytest.mark.parametrize("change", [invitation_resend, invitation_revoke])
def test_a_coordinator_cannot_resend_or_revoke_another_municipalitys_invitation(
    coordinator, haarlem_coordinator, haarlem, change
):
    invitation = invitation_create(actor=haarlem_coordinator, email="h@haarlem.nl", role=Role.OOV, municipality=haarlem)
    before = written()

    with pytest.raises(PortalError) as refused:
        change(actor=coordinator, invitation=invitation)

    assert refused.value.status == 403
    assert written() == before


def test_no_invitation_is_written_when_no_mail_outbox_listens(coordinator, heemstede):
    from imv.mail import mail_queue_requested
    from tenants.signals import mail_requested

    assert mail_requested.disconnect(dispatch_uid="imv-mail-queue-requested")
    try:
        before = written()
        with pytest.raises(RuntimeError, match="no mail outbox listens"):
            invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)
        assert written() == before
    finally:
        mail_requested.connect(mail_queue_requested, dispatch_uid="imv-mail-queue-requested")
