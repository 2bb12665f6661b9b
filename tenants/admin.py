"""Django admin for the platform administrator: municipalities, people, roles and API tokens.

Also the login protection (django-axes) and the groups and permissions of django.contrib.auth,
re-registered where they would otherwise speak English (see the comments there).
"""

from typing import Any

import axes.admin  # registers its models first, so that AccessAttemptAdmin can replace its admin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import ManyToManyField, QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tenants.models import ApiToken, District, Domain, Membership, Municipality, PoliceUnit, User

# Django stores the names of the default permissions in English ("Can add log entry"), as data.
DEFAULT_PERMISSION_ACTIONS = {
    "add": _("toevoegen"),
    "change": _("wijzigen"),
    "delete": _("verwijderen"),
    "view": _("bekijken"),
}


class PermissionChoiceField(ModelMultipleChoiceField[Permission]):
    """Permissions as "Organisaties en mensen | gemeente | wijzigen": app and model by their Dutch
    names, and a default permission by its action; a permission of our own keeps its own name."""

    def label_from_instance(self, obj: Permission) -> str:
        action, _separator, model = obj.codename.partition("_")
        if action in DEFAULT_PERMISSION_ACTIONS and model == obj.content_type.model:
            return f"{obj.content_type} | {DEFAULT_PERMISSION_ACTIONS[action]}"
        return str(obj)


class DutchPermissionsAdmin[M: Any](admin.ModelAdmin[M]):
    """Permission choices labelled by PermissionChoiceField (groups and users)."""

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionChoiceField
            kwargs["queryset"] = Permission.objects.select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# Stacked, not tabular: a tabular inline leaves its inputs without a <label> (only column headers).
class DomainInline(admin.StackedInline[Domain, Municipality]):
    model = Domain
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ["name", "cbs_code", "district", "basisteam", "schema_name", "is_active"]
    list_filter = ["police_unit", "district", "is_active"]
    search_fields = ["name", "cbs_code"]
    readonly_fields = ["schema_name", "uuid", "created_at"]
    inlines = [DomainInline]

    def has_add_permission(self, request: object) -> bool:
        # A municipality needs a schema: use `manage.py create_municipality`, which shows progress.
        return False


@admin.register(PoliceUnit)
class PoliceUnitAdmin(admin.ModelAdmin[PoliceUnit]):
    list_display = ["name", "slug"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin[District]):
    list_display = ["name", "police_unit"]


# Stacked, as DomainInline; a plain select of the municipalities, because the autocomplete widget
# (select2) gives its combobox no accessible name.
class MembershipInline(admin.StackedInline[Membership, User]):
    model = Membership
    extra = 0


class WithoutEmailFilter(admin.SimpleListFilter):
    """People whom no reminder or notice can reach: they have no e-mail address."""

    title = _("e-mailadres")
    parameter_name = "email"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, Any]]:
        return [("geen", _("zonder e-mailadres")), ("wel", _("met e-mailadres"))]

    def queryset(self, request: Any, queryset: QuerySet[User]) -> QuerySet[User]:
        if self.value() == "geen":
            return queryset.filter(email="")
        if self.value() == "wel":
            return queryset.exclude(email="")
        return queryset


@admin.register(User)
class PortalUserAdmin(DutchPermissionsAdmin[User], UserAdmin):
    list_display = ["username", "email", "reachable", "first_name", "last_name", "is_staff", "is_demo", "is_active"]
    list_filter = [WithoutEmailFilter, "is_staff", "is_superuser", "is_active", "is_demo", "memberships__role"]
    inlines = [MembershipInline]
    fieldsets = (*UserAdmin.fieldsets, (_("Portaal"), {"fields": ["is_demo"]}))  # type: ignore[misc]

    @admin.display(boolean=True, description=_("bereikbaar per e-mail"))
    def reachable(self, user: User) -> bool:
        return bool(user.email)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "membership", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: object) -> bool:
        # The key is shown once when made: use `manage.py create_api_token`.
        return False


admin.site.unregister(Group)


# django-stubs types GroupAdmin's request as optional, BaseModelAdmin's not; Django passes one to both.
@admin.register(Group)
class PortalGroupAdmin(DutchPermissionsAdmin[Group], GroupAdmin):  # type: ignore[misc]
    pass


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes.admin.AccessAttemptAdmin):
    """django-axes' own admin, with its clean-up action repaired: it reports in Dutch (axes' message is an
    untranslatable f-string), and it works (axes reads the request's attempt time, which its middleware
    sets on login requests only, so the action crashed with a 500 here)."""

    @admin.action(description=_("Verlopen inlogpogingen opruimen"))
    def cleanup_expired_attempts(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        request.axes_attempt_time = timezone.now()  # type: ignore[attr-defined]
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext("%(count)s verlopen inlogpoging opgeruimd.", "%(count)s verlopen inlogpogingen opgeruimd.", count)
            % {"count": count},
            messages.SUCCESS,
        )
