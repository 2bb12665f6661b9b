"""What the portal sends: reminders, in-portal messages (meldingen), the outbox of status events
for the live boards, and the outbox of e-mails."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imv.models.rounds import Participation
from tenants.models import Municipality


class ReminderOutcome(models.TextChoices):
    SENT = "verstuurd", _("verstuurd")
    # A larger threshold passed over because a nearer one was already due (the worker was down, or
    # the municipality joined late): recorded so that it never goes out later.
    SKIPPED = "overgeslagen", _("overgeslagen")


class Reminder(models.Model):
    """A reminder to a municipality N days before its own deadline, sent or skipped. Unique, so never twice.

    ``sent_at`` is when it was recorded; for a skipped one, when it was passed over. Its e-mails
    are OutgoingEmail rows written in the same transaction.
    """

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("deelname")
    )
    days_before = models.PositiveSmallIntegerField(_("dagen vooraf"))
    deadline = models.DateTimeField(_("uiterste moment"))
    sent_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    manual = models.BooleanField(_("handmatig"), default=False)
    outcome = models.CharField(
        _("uitkomst"), max_length=20, choices=ReminderOutcome.choices, default=ReminderOutcome.SENT
    )

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "days_before", "deadline"],
                condition=Q(manual=False),
                name="reminder_once_per_deadline",
            ),
            models.CheckConstraint(condition=Q(outcome="verstuurd") | Q(manual=False), name="reminder_manual_is_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.participation.municipality}: {self.days_before} dagen ({self.get_outcome_display()})"


class Notification(models.Model):
    """An in-portal message for the staff of one municipality (or one user). Who has read it is per
    person (NotificationRead): one colleague reading a reminder does not clear it for the others."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    message = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    # What it is about: the round and the municipality (for a message to an adviser, the one that acted).
    round = models.ForeignKey(
        "imv.ConsultationRound", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    about = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message[:60]


class NotificationRead(models.Model):
    """That one person has read one message, and when."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("gelezen op"))

    class Meta:
        verbose_name = _("gelezen melding")
        verbose_name_plural = _("gelezen meldingen")
        constraints = [
            models.UniqueConstraint(fields=["notification", "user"], name="notification_read_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.notification}"


class OutboxMessage(models.Model):
    """A live-board message waiting for delivery: written with the change, sent after commit.

    When Redis is down the write still succeeds and the message waits here; the beat task
    imv.tasks.outbox_flush_task delivers it once Redis is back. One pending message per group is
    enough (it only says "refresh"), so a burst of changes is delivered as one.
    """

    group = models.CharField(max_length=100)
    message_type = models.CharField(max_length=50, default="round.changed")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "message_type"], condition=Q(sent_at__isnull=True), name="outbox_one_pending_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.message_type} ({'verstuurd' if self.sent_at else 'wacht'})"


class OutgoingEmailStatus(models.TextChoices):
    PENDING = "wacht", _("wacht")
    SENT = "verstuurd", _("verstuurd")
    FAILED = "mislukt", _("mislukt")


class OutgoingEmail(models.Model):
    """One e-mail to one person, written in the transaction of what it tells (the mail outbox).

    imv.mail sends it after commit, holding its row lock, and marks it sent in that same transaction:
    a worker killed half-way leaves it waiting for the next try. The Message-ID is fixed here, so
    a resend after a crash between the mail server's "accepted" and our commit carries the same one
    and mail systems can drop the duplicate. Failed tries wait longer each time (next_attempt_at);
    after imv.mail.MAX_ATTEMPTS the e-mail is given up (mislukt), with the last error kept.
    """

    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    to = models.EmailField(_("aan"))
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(_("tekst"))
    status = models.CharField(
        _("status"), max_length=20, choices=OutgoingEmailStatus.choices, default=OutgoingEmailStatus.PENDING
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="verstuurd", sent_at__isnull=False) | (~Q(status="verstuurd") & Q(sent_at=None)),
                name="outgoingemail_sent_at_when_sent",
            ),
        ]
        indexes = [
            # What the senders look for: waiting e-mails that are due.
            models.Index(fields=["next_attempt_at"], condition=Q(status="wacht"), name="outgoingemail_due"),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject} ({self.get_status_display()})"
