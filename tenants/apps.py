from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Organisaties en mensen")

    def ready(self) -> None:
        from django_tenants.signals import schema_migrated

        from tenants import rls  # also registers its system check

        schema_migrated.connect(rls.on_schema_migrated, dispatch_uid="tenants.rls")
