from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImvConfig(AppConfig):
    name = "imv"
    verbose_name = _("Regionaal IMV")
