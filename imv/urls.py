"""The region's IMV pages, included under /regio/ by portal.urls (namespace "imv")."""

from django.urls import path

from imv import views

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
    path("imv/rondes/<uuid:round_uuid>/zienswijzen/", views.opinions, name="opinions"),
    path(
        "imv/rondes/<uuid:round_uuid>/zienswijzen/<uuid:participation_uuid>/",
        views.opinion_detail,
        name="opinion_detail",
    ),
    path("imv/uitstelverzoeken/<uuid:request_uuid>/", views.extension_decide, name="extension_decide"),
]
