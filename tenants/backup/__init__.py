"""Back up one municipality (its schema's rows and its files) to a zip archive, and restore it.

The archive holds ``manifest.json`` (format version, tenant migration state, the municipality's
own data and domains, row counts, SHA-256 of every member), ``data/<app>.<model>.json`` (Django's
JSON serializer, natural dependency order, primary keys and UUIDs kept) and ``media/<name>`` for
every file a FileField in the schema refers to.

Rows of the shared schema that tenant rows point at (imv.ConsultationRound and imv.Theme from
opinion drafts, tenants.User from ``updated_by``) are not copied: the archive names them by
UUID, and a restore maps each UUID to the target database's id. A draft row whose round or
theme does not exist there is dropped (with the rows that depend on it), a missing user becomes
empty; the restore report lists both.
"""

from tenants.backup.archive import FORMAT_VERSION, MANIFEST, tenant_migration_state, tenant_models
from tenants.backup.export import municipality_export
from tenants.backup.restore import RestorePlan, RestoreReport, municipality_restore, restore_plan, restore_steps

__all__ = [
    "FORMAT_VERSION",
    "MANIFEST",
    "RestorePlan",
    "RestoreReport",
    "municipality_export",
    "municipality_restore",
    "restore_plan",
    "restore_steps",
    "tenant_migration_state",
    "tenant_models",
]
