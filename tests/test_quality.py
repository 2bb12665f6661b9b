"""The project's own gates: Django checks, migrations, production settings, dependencies, lint, types."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600, check=False
    )


def manage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "manage.py", *args, env=env)


PRODUCTION_ENV = {
    "PORTAL_ENV": "production",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    # A key of production strength made for this run only.
    "DJANGO_SECRET_KEY": "t3st-" + os.urandom(32).hex(),
    "DJANGO_ALLOWED_HOSTS": "regioportaal.example.nl",
}


def test_django_is_6_1():
    assert django.VERSION[:2] == (6, 1), django.get_version()


def test_pip_check_finds_no_broken_requirements():
    result = run(sys.executable, "-m", "pip", "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_manage_check_is_clean():
    result = manage("check", "--fail-level", "WARNING", env={"DJANGO_SETTINGS_MODULE": "portal.settings"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_missing_migrations():
    result = manage("makemigrations", "--check", "--dry-run", env={"DJANGO_SETTINGS_MODULE": "portal.settings"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_with_production_settings_has_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SECRET_KEY"] = ""
    result = run(sys.executable, "-c", "import django; django.setup()", env={**env, "DJANGO_SECRET_KEY": ""})
    # An empty key counts as set for os.environ; settings must still refuse it.
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_ruff_format_is_clean():
    result = run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_lint_is_clean():
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean():
    result = run(str(BIN / "mypy"), ".")
    assert result.returncode == 0, result.stdout + result.stderr
