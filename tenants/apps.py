from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Organisaties en mensen")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django_tenants.signals import schema_migrated

        from portal.security import login_locked_out
        from tenants import rls  # also registers its system check

        schema_migrated.connect(rls.on_schema_migrated, dispatch_uid="tenants.rls")
        user_locked_out.connect(login_locked_out, dispatch_uid="portal.security.login_locked_out")
