from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImvConfig(AppConfig):
    name = "imv"
    verbose_name = _("Regionaal IMV")

    def ready(self) -> None:
        from imv.mail import mail_queue_requested
        from imv.services.rounds import rounds_invite_new_municipality
        from tenants.signals import mail_requested, municipality_created

        municipality_created.connect(rounds_invite_new_municipality, dispatch_uid="imv-invite-new-municipality")
        mail_requested.connect(mail_queue_requested, dispatch_uid="imv-mail-queue-requested")
