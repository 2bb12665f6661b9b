"""What export and restore share: the archive's format, the tenant models and their labels, the
foreign keys into the shared schema, the file fields, and the checksum of every member."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import connection, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import schema_context

FORMAT_VERSION = 1
MANIFEST = "manifest.json"

Progress = Callable[[str], object]


def tenant_models() -> list[type[models.Model]]:
    """The models of the tenant apps, each after the models it refers to (as dumpdata orders them)."""
    configs = [apps.get_app_config(label.rsplit(".", 1)[-1]) for label in settings.TENANT_APPS]
    return serializers.sort_dependencies([(config, None) for config in configs])


def tenant_labels() -> set[str]:
    return {model._meta.app_label for model in tenant_models()}


def model_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def shared_foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    """Foreign keys from a tenant model to a shared-schema model."""
    labels = tenant_labels()
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model._meta.app_label not in labels
    ]


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def media_prefix(schema_name: str) -> str:
    return f"gemeenten/{schema_name}/"


def tenant_migration_state(*, schema_name: str | None = None) -> list[str]:
    """Applied tenant-app migrations ("app.name"): of a schema, or (None) those this code would apply."""
    labels = tenant_labels()
    if schema_name is None:
        loader = MigrationLoader(None, ignore_no_migrations=True)
        return sorted(f"{app}.{name}" for app, name in loader.disk_migrations if app in labels)
    with schema_context(schema_name):
        applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied if app in labels)
