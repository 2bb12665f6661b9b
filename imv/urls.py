"""The region's IMV pages, included under /regio/ by portal.urls (namespace "imv")."""

from django.urls import path

from imv.views import dashboard, opinions, rounds

app_name = "imv"

urlpatterns = [
    path("imv/", rounds.overview, name="overview"),
    path("imv/cycli/<uuid:cycle_uuid>/ronde-openen/", rounds.round_open, name="round_open"),
    path("imv/themas/<uuid:theme_uuid>/bewerken/", rounds.theme_edit, name="theme_edit"),
    path("imv/cycli/<uuid:cycle_uuid>/conceptversie-toevoegen/", rounds.draft_version_add, name="draft_version_add"),
    path(
        "imv/conceptversies/<uuid:draft_uuid>/document.pdf",
        rounds.draft_version_document,
        name="draft_version_document",
    ),
    path("imv/rondes/<uuid:round_uuid>/", rounds.board, name="board"),
    path("imv/rondes/<uuid:round_uuid>/tabel", rounds.board_table, name="board_table"),
    path("imv/rondes/<uuid:round_uuid>/herinneren/", rounds.reminders_send, name="reminders_send"),
    path("imv/rondes/<uuid:round_uuid>/export.csv", rounds.export_csv, name="export_csv"),
    path("imv/rondes/<uuid:round_uuid>/wijzigingen/", rounds.audit_page, name="audit"),
    path("imv/rondes/<uuid:round_uuid>/wijzigingen.csv", rounds.export_audit_csv, name="export_audit_csv"),
    path("imv/rondes/<uuid:round_uuid>/export.xlsx", rounds.export_xlsx, name="export_xlsx"),
    path("imv/rondes/<uuid:round_uuid>/bestuurspakket.pdf", rounds.export_pdf, name="export_pdf"),
    path("imv/rondes/<uuid:round_uuid>/zienswijzen/", opinions.opinions, name="opinions"),
    path(
        "imv/rondes/<uuid:round_uuid>/zienswijzen/<uuid:participation_uuid>/",
        opinions.opinion_detail,
        name="opinion_detail",
    ),
    path("imv/uitstelverzoeken/<uuid:request_uuid>/", rounds.extension_decide, name="extension_decide"),
    # The RBOP dashboard (read-only; GET filters imv, district, thema) and its downloads.
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/dekking-per-thema.csv", dashboard.coverage_csv, name="dashboard_coverage_csv"),
    path("dashboard/heatmap.csv", dashboard.heatmap_csv, name="dashboard_heatmap_csv"),
    path("dashboard/dashboard.xlsx", dashboard.dashboard_xlsx, name="dashboard_xlsx"),
    path("dashboard/bestuurspakket.pdf", dashboard.dashboard_pdf, name="dashboard_pdf"),
]
