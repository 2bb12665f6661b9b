"""URLs inside one municipality: included under /gemeenten/<gemeente>/ by portal.urls."""

from django.urls import include, path

from municipalities import views, views_imv, views_plan

# The pages of one plan, under veiligheidsplannen/<plan_uuid>/: the plan itself, then one address
# per form (nieuw, bewerken, verwijderen) so that every write is a POST to its own address.
plan_patterns = [
    path("", views_plan.safety_plan, name="safety_plan"),
    path("bewerken/", views.safety_plan_edit, name="safety_plan_edit"),
    path("prioriteiten/nieuw/", views_plan.priority_create, name="priority_create"),
    path("prioriteiten/<uuid:priority_uuid>/bewerken/", views_plan.priority_edit, name="priority_edit"),
    path("prioriteiten/<uuid:priority_uuid>/verwijderen/", views_plan.priority_remove, name="priority_remove"),
    path("prioriteiten/<uuid:priority_uuid>/indicatoren/nieuw/", views_plan.kpi_create, name="kpi_create"),
    path("indicatoren/<uuid:kpi_uuid>/bewerken/", views_plan.kpi_edit, name="kpi_edit"),
    path("indicatoren/<uuid:kpi_uuid>/verwijderen/", views_plan.kpi_remove, name="kpi_remove"),
    path("uitvoeringsplannen/nieuw/", views_plan.implementation_plan_create, name="implementation_plan_create"),
    path(
        "uitvoeringsplannen/<uuid:year_uuid>/bewerken/",
        views_plan.implementation_plan_edit,
        name="implementation_plan_edit",
    ),
    path(
        "uitvoeringsplannen/<uuid:year_uuid>/verwijderen/",
        views_plan.implementation_plan_remove,
        name="implementation_plan_remove",
    ),
    path("uitvoeringsplannen/<uuid:year_uuid>/acties/nieuw/", views_plan.action_create, name="action_create"),
    path("acties/<uuid:action_uuid>/bewerken/", views_plan.action_edit, name="action_edit"),
    path("acties/<uuid:action_uuid>/verwijderen/", views_plan.action_remove, name="action_remove"),
    path("stappen/<slug:kind>/bewerken/", views_plan.plan_step_edit, name="plan_step_edit"),
    path("mijlpalen/nieuw/", views_plan.milestone_form, name="milestone_create"),
    path("mijlpalen/<uuid:part_uuid>/bewerken/", views_plan.milestone_form, name="milestone_edit"),
    path("uitgangspunten/nieuw/", views_plan.principle_form, name="principle_create"),
    path("uitgangspunten/<uuid:part_uuid>/bewerken/", views_plan.principle_form, name="principle_edit"),
    path("participatie/nieuw/", views_plan.participation_form, name="participation_create"),
    path("participatie/<uuid:part_uuid>/bewerken/", views_plan.participation_form, name="participation_edit"),
    path("raadsbesluiten/nieuw/", views_plan.plan_decision_form, name="plan_decision_create"),
    path("raadsbesluiten/<uuid:part_uuid>/bewerken/", views_plan.plan_decision_form, name="plan_decision_edit"),
    path(
        "raadsbesluiten/<uuid:decision_uuid>/raadsbesluit.pdf",
        views_plan.plan_decision_document,
        name="plan_decision_document",
    ),
    path("<slug:part>/<uuid:part_uuid>/verwijderen/", views_plan.plan_part_remove, name="plan_part_remove"),
    path("importeren/", views_plan.plan_import, name="plan_import"),
    path("importeren/bevestigen/", views_plan.plan_import_confirm, name="plan_import_confirm"),
    path("importeren/voorbeeld-<slug:kind>.csv", views_plan.plan_import_template, name="plan_import_template"),
]

urlpatterns = [
    path("", views.municipality_home, name="municipality_home"),
    path("veiligheidsplannen/<uuid:plan_uuid>/", include(plan_patterns)),
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
