"""URLs inside one municipality: included under /gemeenten/<gemeente>/ by portal.urls."""

from django.urls import include, path

from municipalities.views import home, plans, rounds

# The pages of one plan, under veiligheidsplannen/<plan_uuid>/: the plan itself, then one address
# per form (nieuw, bewerken, verwijderen) so that every write is a POST to its own address.
plan_patterns = [
    path("", plans.safety_plan, name="safety_plan"),
    path("bewerken/", plans.safety_plan_edit, name="safety_plan_edit"),
    path("verwijderen/", plans.safety_plan_remove, name="safety_plan_remove"),
    path("prioriteiten/nieuw/", plans.priority_create, name="priority_create"),
    path("prioriteiten/<uuid:priority_uuid>/bewerken/", plans.priority_edit, name="priority_edit"),
    path("prioriteiten/<uuid:priority_uuid>/verwijderen/", plans.priority_remove, name="priority_remove"),
    path("prioriteiten/<uuid:priority_uuid>/indicatoren/nieuw/", plans.kpi_create, name="kpi_create"),
    path("indicatoren/<uuid:kpi_uuid>/bewerken/", plans.kpi_edit, name="kpi_edit"),
    path("indicatoren/<uuid:kpi_uuid>/verwijderen/", plans.kpi_remove, name="kpi_remove"),
    path("uitvoeringsplannen/nieuw/", plans.implementation_plan_create, name="implementation_plan_create"),
    path(
        "uitvoeringsplannen/<uuid:year_uuid>/bewerken/",
        plans.implementation_plan_edit,
        name="implementation_plan_edit",
    ),
    path(
        "uitvoeringsplannen/<uuid:year_uuid>/verwijderen/",
        plans.implementation_plan_remove,
        name="implementation_plan_remove",
    ),
    path("uitvoeringsplannen/<uuid:year_uuid>/acties/nieuw/", plans.action_create, name="action_create"),
    path("acties/<uuid:action_uuid>/bewerken/", plans.action_edit, name="action_edit"),
    path("acties/<uuid:action_uuid>/verwijderen/", plans.action_remove, name="action_remove"),
    path("stappen/<slug:kind>/bewerken/", plans.plan_step_edit, name="plan_step_edit"),
    path("mijlpalen/nieuw/", plans.milestone_form, name="milestone_create"),
    path("mijlpalen/<uuid:part_uuid>/bewerken/", plans.milestone_form, name="milestone_edit"),
    path("uitgangspunten/nieuw/", plans.principle_form, name="principle_create"),
    path("uitgangspunten/<uuid:part_uuid>/bewerken/", plans.principle_form, name="principle_edit"),
    path("participatie/nieuw/", plans.participation_form, name="participation_create"),
    path("participatie/<uuid:part_uuid>/bewerken/", plans.participation_form, name="participation_edit"),
    path("raadsbesluiten/nieuw/", plans.plan_decision_form, name="plan_decision_create"),
    path("raadsbesluiten/<uuid:part_uuid>/bewerken/", plans.plan_decision_form, name="plan_decision_edit"),
    path(
        "raadsbesluiten/<uuid:decision_uuid>/raadsbesluit.pdf",
        plans.plan_decision_document,
        name="plan_decision_document",
    ),
    path("<slug:part>/<uuid:part_uuid>/verwijderen/", plans.plan_part_remove, name="plan_part_remove"),
    path("importeren/", plans.plan_import, name="plan_import"),
    path("importeren/bevestigen/", plans.plan_import_confirm, name="plan_import_confirm"),
    path("importeren/voorbeeld-<slug:kind>.csv", plans.plan_import_template, name="plan_import_template"),
]

urlpatterns = [
    path("", home.municipality_home, name="municipality_home"),
    path("veiligheidsplannen/nieuw/", plans.safety_plan_new, name="safety_plan_create"),
    path("veiligheidsplannen/<uuid:plan_uuid>/", include(plan_patterns)),
    # The IMV consultation: the rounds, one round's page, and one address per action on it.
    path("imv/", rounds.imv_round_list, name="imv_round_list"),
    path("imv/<uuid:round_uuid>/", rounds.imv_round, name="imv_round"),
    path("imv/<uuid:round_uuid>/vergaderdata/", rounds.imv_schedule, name="imv_schedule"),
    path("imv/<uuid:round_uuid>/geen-zienswijze/", rounds.imv_decline, name="imv_decline"),
    path("imv/<uuid:round_uuid>/raadsbesluit/", rounds.imv_adopt, name="imv_adopt"),
    path("imv/<uuid:round_uuid>/raadsbesluit.pdf", rounds.imv_decision_document, name="imv_decision_document"),
    path("imv/<uuid:round_uuid>/concept/", rounds.imv_draft, name="imv_draft"),
    path("imv/<uuid:round_uuid>/intrekken/", rounds.imv_withdraw, name="imv_withdraw"),
    path("imv/<uuid:round_uuid>/uitstel/", rounds.imv_extension, name="imv_extension"),
]
