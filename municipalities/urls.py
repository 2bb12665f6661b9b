"""URLs inside one municipality: included under /gemeenten/<gemeente>/ by portal.urls."""

from django.urls import path

from municipalities import views, views_imv

urlpatterns = [
    path("", views.municipality_home, name="municipality_home"),
    path("veiligheidsplannen/<uuid:plan_uuid>/bewerken/", views.safety_plan_edit, name="safety_plan_edit"),
    # The IMV consultation: the rounds, one round's page, and one address per action on it.
    path("imv/", views_imv.imv_round_list, name="imv_round_list"),
    path("imv/<uuid:round_uuid>/", views_imv.imv_round, name="imv_round"),
    path("imv/<uuid:round_uuid>/vergaderdata/", views_imv.imv_schedule, name="imv_schedule"),
    path("imv/<uuid:round_uuid>/geen-zienswijze/", views_imv.imv_decline, name="imv_decline"),
    path("imv/<uuid:round_uuid>/raadsbesluit/", views_imv.imv_adopt, name="imv_adopt"),
    path("imv/<uuid:round_uuid>/raadsbesluit.pdf", views_imv.imv_decision_document, name="imv_decision_document"),
    path("imv/<uuid:round_uuid>/concept/", views_imv.imv_draft, name="imv_draft"),
    path("imv/<uuid:round_uuid>/intrekken/", views_imv.imv_withdraw, name="imv_withdraw"),
    path("imv/<uuid:round_uuid>/uitstel/", views_imv.imv_extension, name="imv_extension"),
]
