"""Django admin for the platform administrator: municipalities, people, roles and API tokens."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tenants.models import ApiToken, District, Domain, Membership, Municipality, PoliceUnit, User


class DomainInline(admin.TabularInline[Domain, Municipality]):
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


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    autocomplete_fields = ["municipality"]


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
class PortalUserAdmin(UserAdmin):
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
