"""API v1: a municipality's safety plans and the parts of a plan that are resources of their own.

``safety_plans``: /gemeenten/{cbs_code}/veiligheidsplannen[/{uuid}]; under a plan
(/veiligheidsplannen/{veiligheidsplan_uuid}/…) ``participation_events`` (participatiemomenten) and
``decisions`` (raadsbesluiten, with the PDF's download); ``common`` what they share.
"""

from api.v1.plans.decisions import PlanDecisionViewSet
from api.v1.plans.participation_events import ParticipationEventViewSet
from api.v1.plans.safety_plans import SafetyPlanViewSet

__all__ = ["ParticipationEventViewSet", "PlanDecisionViewSet", "SafetyPlanViewSet"]
