"""What tenants tells the apps above it, without importing them (they listen in their AppConfig.ready)."""

from django.dispatch import Signal

# Sent with ``municipality`` once a new municipality has its schema and its path, inside the
# transaction that creates it: whatever a listener writes commits or vanishes with it.
municipality_created = Signal()

# Sent with ``to`` (a list of addresses), ``subject`` and ``body`` for an e-mail that tenants has
# to send (an invitation), inside the transaction of the change it reports. The mail outbox lives
# above tenants (imv.mail): it listens and queues the e-mail in that transaction. Senders check
# that someone listened (mail_request), so an invitation never vanishes without an e-mail.
mail_requested = Signal()


def mail_request(*, to: list[str], subject: str, body: str) -> None:
    """Have an e-mail sent through whichever outbox listens; refuses loudly when none does."""
    if not mail_requested.send(sender=None, to=to, subject=subject, body=body):
        raise RuntimeError("no mail outbox listens to tenants.signals.mail_requested")
