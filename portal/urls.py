"""URLs. Paths under /gemeenten/<gemeente>/ run inside that municipality's schema (see tenants.middleware)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from api.health import health
from frontend import views as frontend_views
from imv.views import notifications

admin.site.site_header = "Regioportaal Veiligheid — beheer"
admin.site.site_title = "Regioportaal Veiligheid"

urlpatterns = [
    path("", frontend_views.home, name="home"),
    path(f"{settings.TENANT_PATH_PREFIX}/<slug:gemeente>/", include("municipalities.urls")),
    path("regio/", include("imv.urls")),
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord-vergeten/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("taal/", login_not_required(set_language), name="set_language"),
    path("beheer/", admin.site.urls),
    path("", include("tenants.urls")),
    path("meldingen/", notifications.notifications, name="notifications"),
    path("meldingen/<uuid:notification_uuid>/gelezen/", notifications.notification_read, name="notification_read"),
    path("health", health, name="health"),
    path("api/v1/", include("api.v1.urls")),
]

handler403 = "frontend.views.permission_denied"
handler404 = "frontend.views.page_not_found"
handler500 = "frontend.views.server_error"
