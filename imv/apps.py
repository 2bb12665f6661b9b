from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImvConfig(AppConfig):
    name = "imv"
    verbose_name = _("Regionaal IMV")

    def ready(self) -> None:
        from imv.services.rounds import rounds_invite_new_municipality
        from tenants.signals import municipality_created

        municipality_created.connect(rounds_invite_new_municipality, dispatch_uid="imv-invite-new-municipality")
