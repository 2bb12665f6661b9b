"""API v1: the yearly implementation plans (``yearly_plans``: uitvoeringsplannen) and their actions
(``actions``: acties) of a municipality's safety plans."""

from api.v1.implementation.actions import ActionViewSet
from api.v1.implementation.yearly_plans import ImplementationPlanViewSet

__all__ = ["ActionViewSet", "ImplementationPlanViewSet"]
