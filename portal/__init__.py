"""Regioportaal Veiligheid: project package (settings, URLs, ASGI and Celery entry points)."""

from portal.celery import app as celery_app

__all__ = ["celery_app"]
