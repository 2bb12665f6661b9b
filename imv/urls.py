"""The region's IMV pages, included under /regio/ by portal.urls (namespace "imv")."""

from django.urls import path

from imv import views, views_dashboard, views_opinions

app_name = "imv"

urlpatterns = [
    path("imv/", views.overview, name="overview"),
    path("imv/cycli/<uuid:cycle_uuid>/ronde-openen/", views.round_open, name="round_open"),
    path("imv/themas/<uuid:theme_uuid>/bewerken/", views.theme_edit, name="theme_edit"),
    path("imv/cycli/<uuid:cycle_uuid>/conceptversie-toevoegen/", views.draft_version_add, name="draft_version_add"),
    path(
        "imv/conceptversies/<uuid:draft_uuid>/document.pdf", views.draft_version_document, name="draft_version_document"
    ),
    path("imv/rondes/<uuid:round_uuid>/", views.board, name="board"),
    path("imv/rondes/<uuid:round_uuid>/tabel", views.board_table, name="board_table"),
    path("imv/rondes/<uuid:round_uuid>/herinneren/", views.reminders_send, name="reminders_send"),
    path("imv/rondes/<uuid:round_uuid>/export.csv", views.export_csv, name="export_csv"),
    path("imv/rondes/<uuid:round_uuid>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("imv/rondes/<uuid:round_uuid>/bestuurspakket.pdf", views.export_pdf, name="export_pdf"),
    path("imv/rondes/<uuid:round_uuid>/zienswijzen/", views_opinions.opinions, name="opinions"),
    path(
        "imv/rondes/<uuid:round_uuid>/zienswijzen/<uuid:participation_uuid>/",
        views_opinions.opinion_detail,
        name="opinion_detail",
    ),
    path("imv/uitstelverzoeken/<uuid:request_uuid>/", views.extension_decide, name="extension_decide"),
    # The RBOP dashboard (read-only; GET filters imv, district, thema) and its downloads.
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("dashboard/dekking-per-thema.csv", views_dashboard.coverage_csv, name="dashboard_coverage_csv"),
    path("dashboard/heatmap.csv", views_dashboard.heatmap_csv, name="dashboard_heatmap_csv"),
    path("dashboard/dashboard.xlsx", views_dashboard.dashboard_xlsx, name="dashboard_xlsx"),
    path("dashboard/bestuurspakket.pdf", views_dashboard.dashboard_pdf, name="dashboard_pdf"),
]
