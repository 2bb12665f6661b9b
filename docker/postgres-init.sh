#!/bin/sh
# Runs once, when the postgres volume is new (the image runs /docker-entrypoint-initdb.d as the superuser).
# The portal gets a role of its own that owns its database but is neither superuser nor BYPASSRLS:
# only such a role is bound by the row-level security in the municipalities' schemas (tenants/rls.py).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v password="$PORTAL_DB_PASSWORD" <<'SQL'
CREATE ROLE portal LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD :'password';
CREATE DATABASE portal OWNER portal;
SQL
