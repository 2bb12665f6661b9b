from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from api.docs import api_docs
from api.v1.alignment import AlignmentByThemeView, MunicipalityAlignmentView
from api.v1.common import CBS_CODE_REGEX, UUID_REGEX
from api.v1.implementation import ActionViewSet, ImplementationPlanViewSet
from api.v1.imv import (
    CycleViewSet,
    ExtensionViewSet,
    OpinionViewSet,
    ParticipationViewSet,
    ReactionViewSet,
    RoundParticipationViewSet,
    RoundViewSet,
)
from api.v1.indicators import IndicatorViewSet
from api.v1.opinion_drafts import OpinionDraftViewSet
from api.v1.plans import ParticipationEventViewSet, PlanDecisionViewSet, SafetyPlanViewSet
from api.v1.priorities import PriorityViewSet
from api.v1.views import MunicipalityViewSet

# No trailing slashes (ADR /core/no-trailing-slash): a path with one is a 404, never a redirect.
router = SimpleRouter(trailing_slash=False)
router.register("gemeenten", MunicipalityViewSet, basename="gemeente")
# One municipality's own plan (its schema): nested under the municipality, objects by UUID.
MUNICIPALITY = rf"gemeenten/(?P<cbs_code>{CBS_CODE_REGEX})"
router.register(rf"{MUNICIPALITY}/veiligheidsplannen", SafetyPlanViewSet, basename="veiligheidsplan")
PLAN = rf"{MUNICIPALITY}/veiligheidsplannen/(?P<veiligheidsplan_uuid>{UUID_REGEX})"
router.register(rf"{PLAN}/participatiemomenten", ParticipationEventViewSet, basename="participatiemoment")
router.register(rf"{PLAN}/raadsbesluiten", PlanDecisionViewSet, basename="plan-raadsbesluit")
router.register(rf"{MUNICIPALITY}/prioriteiten", PriorityViewSet, basename="prioriteit")
router.register(rf"{MUNICIPALITY}/indicatoren", IndicatorViewSet, basename="indicator")
router.register(rf"{MUNICIPALITY}/uitvoeringsplannen", ImplementationPlanViewSet, basename="uitvoeringsplan")
router.register(
    rf"{MUNICIPALITY}/uitvoeringsplannen/(?P<uitvoeringsplan_uuid>{UUID_REGEX})/acties",
    ActionViewSet,
    basename="actie",
)
# The municipality's private draft zienswijze of a round: one per round, so the round's UUID names it.
router.register(rf"{MUNICIPALITY}/concept-zienswijzen", OpinionDraftViewSet, basename="concept-zienswijze")
# The IMV consultation (shared schema): objects by UUID.
router.register("imv-cycli", CycleViewSet, basename="imv-cyclus")
router.register("consultatierondes", RoundViewSet, basename="consultatieronde")
router.register(
    rf"consultatierondes/(?P<uuid>{UUID_REGEX})/deelnames", RoundParticipationViewSet, basename="ronde-deelname"
)
router.register("deelnames", ParticipationViewSet, basename="deelname")
router.register("zienswijzen", OpinionViewSet, basename="zienswijze")
router.register("reacties", ReactionViewSet, basename="reactie")
router.register("uitstelverzoeken", ExtensionViewSet, basename="uitstelverzoek")

urlpatterns = [
    # JSON, not drf-spectacular's default YAML, at the standard location (ADR /core/publish-openapi).
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    # The documentation for people: a page of the portal, read from the same document (api.docs).
    path("docs", api_docs, name="api_docs"),
    # Alignment of local priorities with the IMV (shared-schema projection): reads only.
    path("afstemming", AlignmentByThemeView.as_view(), name="afstemming"),
    re_path(
        rf"^afstemming/gemeenten/(?P<cbs_code>{CBS_CODE_REGEX})$",
        MunicipalityAlignmentView.as_view(),
        name="afstemming-gemeente",
    ),
    *router.urls,
]
