"""Ending a role (membership): the person leaves the organisation, their name stays in its history."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from portal.exceptions import PortalError
from tenants.audit import audit_record
from tenants.models import EndedMembership, Membership, User
from tenants.services._common import MEMBERSHIP, USER, role_in_organisation, scope_assert, scope_of


@transaction.atomic
def membership_end(*, actor: User | None, membership: Membership) -> EndedMembership:
    """End someone's role in an organisation the actor manages.

    The membership is deleted, and with it its API tokens, so that no access check can overlook
    it; an EndedMembership (same uuid) keeps the person in the list of people. Someone left without
    any role, who is no platform administrator, is deactivated: they can no longer sign in, and the
    account stays for every record that names them. Users are never deleted. Refuses (403) a role
    outside the actor's scope and the actor's own role (someone else ends it); 404 when it is gone.
    """
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "municipality", "police_unit")
        .filter(pk=membership.pk)
        .first()
    )
    if locked is None:
        raise PortalError(
            _("Deze rol bestaat niet meer: misschien heeft iemand anders hem net beëindigd."),
            status=404,
            code="not_found",
        )
    scope_assert(scope_of(actor), role=locked.role, police_unit=locked.police_unit, municipality=locked.municipality)
    if actor is not None and locked.user_id == actor.pk:
        raise PortalError(
            _(
                "U kunt uw eigen rol niet beëindigen. Vraag dat een andere coördinator, de adviseur of de beheerder "
                "van het portaal."
            ),
            status=403,
            code="forbidden",
        )
    person = locked.user
    what = role_in_organisation(role=locked.role, police_unit=locked.police_unit, municipality=locked.municipality)
    tokens = locked.api_tokens.count()
    ended = EndedMembership.objects.create(
        uuid=locked.uuid,
        user=person,
        role=locked.role,
        police_unit=locked.police_unit,
        municipality=locked.municipality,
        ended_by=actor,
    )
    audit_record(
        actor=actor,
        object_type=MEMBERSHIP,
        object_uuid=locked.uuid,
        field="rol",
        old=what,
        new="",
        municipality=locked.municipality,
        note=_("%(name)s; beëindigd, met %(tokens)d API-token(s)")
        % {"name": person.get_full_name() or person.get_username(), "tokens": tokens},
    )
    locked.delete()
    if person.is_active and not person.is_staff and not Membership.objects.filter(user=person).exists():
        person.is_active = False
        person.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            object_type=USER,
            object_uuid=person.uuid,
            field="actief",
            old="ja",
            new="nee",
            municipality=locked.municipality,
            note=_("geen rol meer"),
        )
    return ended
