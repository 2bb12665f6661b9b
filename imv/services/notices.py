"""Telling people: an in-portal message (melding) and an e-mail, in Dutch, with an absolute link.

Every notice of the round goes through here, so that each names its round and municipality, links
to an address that works when clicked (settings.PORTAL_BASE_URL; `make run` sets it to its own
address), and reaches every colleague with an e-mail address. Call inside the transaction of the
change: the message and the e-mails commit or vanish with it.
"""

from __future__ import annotations

from django.conf import settings

from imv.mail import mail_queue
from imv.models import ConsultationRound, Notification
from tenants.models import MUNICIPAL_ROLES, Membership, Municipality, Role, User

SIGNATURE = "Met vriendelijke groet,\nRegioportaal Veiligheid\n"
ON_BEHALF = "Met vriendelijke groet,\nRegioportaal Veiligheid, namens de adviseur van de regioburgemeester\n"


def absolute(path: str) -> str:
    """The link as an e-mail needs it: the portal's own address and the path."""
    return f"{settings.PORTAL_BASE_URL}{path}"


def municipality_path(municipality: Municipality, rest: str = "") -> str:
    return f"/{settings.TENANT_PATH_PREFIX}/{municipality.slug}/{rest}"


def staff_emails(municipality: Municipality) -> list[str]:
    """The addresses of the municipality's active staff (OOV, griffie), each once."""
    return list(
        User.objects.filter(
            is_active=True, memberships__municipality=municipality, memberships__role__in=MUNICIPAL_ROLES
        )
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def advisers_of(police_unit_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(role=Role.ADVISER, police_unit_id=police_unit_id).values("user_id"),
        ).order_by("pk")
    )


def notify_municipality(
    *,
    municipality: Municipality,
    consultation: ConsultationRound,
    message: str,
    path: str,
    subject: str,
    body: str,
    signature: str = SIGNATURE,
) -> None:
    """One message for the municipality's staff, and one e-mail to each of them."""
    Notification.objects.create(
        municipality=municipality, round=consultation, about=municipality, message=message, url=path
    )
    mail_queue(to=staff_emails(municipality), subject=subject, body=f"Beste collega,\n\n{body}\n\n{signature}")


def notify_advisers(
    *, consultation: ConsultationRound, about: Municipality, message: str, path: str, subject: str, body: str
) -> None:
    """A message for each adviser of the round's police unit about one municipality, and one e-mail to each."""
    advisers = advisers_of(consultation.cycle.police_unit_id)
    Notification.objects.bulk_create(
        Notification(user=a, round=consultation, about=about, message=message, url=path) for a in advisers
    )
    mail_queue(
        to=sorted({a.email for a in advisers if a.email}),
        subject=subject,
        body=f"Beste collega,\n\n{body}\n\n{SIGNATURE}",
    )
