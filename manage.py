#!/usr/bin/env python
"""Django's command-line utility. Starts embedded PostgreSQL/Redis when DATABASE_URL/REDIS_URL are unset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("PORTAL_ENV", "development")
    # Commands work across municipalities on purpose (migrate, demo, backup): row-level security
    # lets them see every schema; the web server starts with none (tenants/rls.py).
    os.environ.setdefault("PORTAL_DB_TENANT", "*")
    from django.core.management import execute_from_command_line

    if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        execute_from_command_line(sys.argv)
        return
    from portal.dev import servers

    with servers():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
