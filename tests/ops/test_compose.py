"""docker/compose.yml and docker/Dockerfile stay correct without Docker: the services, their commands,
and the environment checked against what config/settings/production.py reads (both ways)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from .test_settings import probe

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker" / "compose.yml"
DOCKERFILE = ROOT / "docker" / "Dockerfile"
APP_SERVICES = ("web", "worker", "beat")
# Read by libraries rather than by the settings; allowed in the environment without a settings read.
NOT_SETTINGS = {
    "HF_HUB_OFFLINE",
    "TRANSFORMERS_OFFLINE",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED",
    "DJANGO_SETTINGS_MODULE",
}

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}")


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?error}``, ``${VAR?error}``."""

    def sub(m: re.Match) -> str:
        name, colon, op, arg = m.groups()
        present = name in env and (env[name] != "" or not colon)
        if present:
            return env[name]
        if op == "?":
            raise KeyError(f"{name}: {arg}")
        return arg or ""

    return _VAR.sub(sub, value.replace("$$", "\0")).replace("\0", "$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def dockerfile_env() -> dict[str, str]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    env: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            for part in shlex.split(line[4:]):
                key, _, value = part.partition("=")
                env[key] = value
    return env


def service_env(compose: dict, name: str, shell: dict[str, str]) -> dict[str, str]:
    raw = compose["services"][name].get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.partition("=")[::2] for item in raw)
    return {k: interpolate(str(v), shell) for k, v in raw.items()}


SHELL = {"DJANGO_SECRET_KEY": "x" * 60}  # what the operator exports before `docker compose up`


def test_services_are_all_there(compose):
    assert set(compose["services"]) >= {"web", "worker", "beat", "postgres", "redis"}


def test_app_services_share_the_image_built_from_the_dockerfile(compose):
    for name in APP_SERVICES:
        build = compose["services"][name]["build"]
        assert (COMPOSE.parent / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE.resolve()
    assert dockerfile_env()["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert (ROOT / ".dockerignore").exists() and ".venv" in (ROOT / ".dockerignore").read_text()


def test_commands(compose):
    services = compose["services"]
    web = services["web"]["command"]
    assert "manage.py migrate" in web and "gunicorn config.wsgi" in web and "0.0.0.0:8000" in web
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert services["beat"]["command"].startswith("celery -A config beat")
    # the image runs as a non-root user: beat's schedule file must go somewhere writable
    assert "--schedule /tmp/" in services["beat"]["command"]
    assert "USER tsumiki" in DOCKERFILE.read_text()
    assert "8000:8000" in services["web"]["ports"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_healthchecks_use_the_probes(compose):
    services = compose["services"]
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "/healthz" in DOCKERFILE.read_text()
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_secret_key_must_be_given_by_the_operator(compose):
    with pytest.raises(KeyError, match="DJANGO_SECRET_KEY"):
        service_env(compose, "web", {})


def test_app_services_point_at_the_compose_database_and_broker(compose):
    for name in APP_SERVICES:
        env = service_env(compose, name, SHELL)
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    pg = compose["services"]["postgres"]["environment"]
    assert f"{pg['POSTGRES_USER']}:{pg['POSTGRES_PASSWORD']}@postgres:5432/{pg['POSTGRES_DB']}" in env["DATABASE_URL"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_environment_matches_what_production_settings_read(compose, name):
    env = {**dockerfile_env(), **service_env(compose, name, SHELL)}
    result = probe(**{k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"})
    # 1. every variable the settings need is provided: with exactly this environment they import
    assert result["ok"], result["error"]
    assert result["settings"]["CELERY_TASK_ALWAYS_EAGER"] is False
    assert result["settings"]["LOG_FORMATTER"] == "json"
    # 2. every variable provided is read by the settings (no typos, no dead configuration)
    unread = set(env) - set(result["reads"]) - NOT_SETTINGS
    assert not unread, f"{name} sets variables production settings never read: {sorted(unread)}"


def test_every_required_variable_is_provided(compose):
    """Dropping any one provided variable that the settings require makes the import fail, and none of
    them is missing: the required set is exactly covered."""
    env = service_env(compose, "web", SHELL)
    required = {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"}
    assert required <= set(env)
    for name in required:
        result = probe(**{k: v for k, v in env.items() if k != name})
        assert not result["ok"] and name in result["error"]
