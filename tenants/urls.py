"""The people pages, included at the root by portal.urls (namespace "tenants")."""

from django.urls import path

from tenants import views

app_name = "tenants"

urlpatterns = [
    path("mensen/", views.people, name="people"),
    path("mensen/uitnodigen/", views.invitation_new, name="invitation_new"),
    path(
        "mensen/uitnodigingen/<uuid:invitation_uuid>/opnieuw-versturen/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("mensen/uitnodigingen/<uuid:invitation_uuid>/intrekken/", views.invitation_revoke, name="invitation_revoke"),
    path("mensen/rollen/<uuid:membership_uuid>/beeindigen/", views.membership_end, name="membership_end"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
