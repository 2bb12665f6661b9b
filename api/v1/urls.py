from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api.v1.plans import CBS_CODE_REGEX, SafetyPlanViewSet
from api.v1.views import MunicipalityViewSet

# No trailing slashes (ADR /core/no-trailing-slash): a path with one is a 404, never a redirect.
router = SimpleRouter(trailing_slash=False)
router.register("gemeenten", MunicipalityViewSet, basename="gemeente")
router.register(
    rf"gemeenten/(?P<cbs_code>{CBS_CODE_REGEX})/veiligheidsplannen", SafetyPlanViewSet, basename="veiligheidsplan"
)

urlpatterns = [
    # JSON, not drf-spectacular's default YAML, at the standard location (ADR /core/publish-openapi).
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    # Swagger UI, served by the portal itself: the set-up script comes from docs?script, so the page
    # needs no inline script and works under the CSP (script-src 'self') and without a CDN.
    path(
        "docs",
        SpectacularSwaggerSplitView.as_view(url_name="openapi", template_name="api/docs.html"),
        name="api_docs",
    ),
    *router.urls,
]
