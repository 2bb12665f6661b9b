from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import SimpleRouter

from api.v1.views import MunicipalityViewSet

router = SimpleRouter(trailing_slash=False)
router.register("gemeenten", MunicipalityViewSet, basename="gemeente")

urlpatterns = [
    path("openapi.json", SpectacularAPIView.as_view(), name="openapi"),
    path("docs", SpectacularRedocView.as_view(url_name="openapi"), name="api_docs"),
    *router.urls,
]
