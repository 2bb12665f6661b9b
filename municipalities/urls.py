"""URLs inside one municipality: included under /gemeenten/<gemeente>/ by portal.urls."""

from django.urls import path

from municipalities import views

urlpatterns = [
    path("", views.municipality_home, name="municipality_home"),
    path("veiligheidsplannen/<uuid:plan_uuid>/bewerken/", views.safety_plan_edit, name="safety_plan_edit"),
]
