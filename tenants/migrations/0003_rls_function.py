"""The database function that puts row-level security on a municipality's schema (see tenants/rls.py)."""

from django.db import migrations

ENABLE = r"""
CREATE OR REPLACE FUNCTION portal_rls_enable(target text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    changed integer := 0;
    visible text := format('current_setting(%L, true) IN (%L, %L)', 'portal.tenant', target, '*');
BEGIN
    IF target = 'public' OR target NOT IN (SELECT nspname FROM pg_namespace) THEN
        RAISE EXCEPTION 'not a municipality schema: %', target;
    END IF;
    FOR t IN
        SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity AS secured,
               EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'portal_tenant') AS has_policy
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = target AND c.relkind IN ('r', 'p') AND c.relname <> 'django_migrations'
    LOOP
        -- Only tables that lack something are altered: ALTER TABLE locks the table, and a
        -- migrate_schemas with nothing to do must not queue behind (or block) live requests.
        IF NOT t.secured THEN
            EXECUTE format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', target, t.relname);
            changed := changed + 1;
        END IF;
        IF NOT t.has_policy THEN
            EXECUTE format('CREATE POLICY portal_tenant ON %I.%I USING (%s) WITH CHECK (%s)',
                           target, t.relname, visible, visible);
            changed := changed + 1;
        END IF;
    END LOOP;
    RETURN changed;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_auditevent")]

    operations = [
        migrations.RunSQL(ENABLE, reverse_sql="DROP FUNCTION IF EXISTS portal_rls_enable(text);"),
    ]
