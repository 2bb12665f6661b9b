"""The Celery application: tasks take primitive arguments and enter the tenant themselves."""

from celery import Celery

# DJANGO_SETTINGS_MODULE comes from the environment (portal.dev, docker-compose): importing the
# project package must not choose settings for whoever imports it (pytest picks the test settings).

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
