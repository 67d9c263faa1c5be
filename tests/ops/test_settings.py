"""Production settings: `check --deploy` clean, secrets from the environment or `*_FILE`, loud failure
when one is missing; security and upload-limit settings in every mode."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("envprobe.py")


def _base_env(**extra: str) -> dict[str, str]:
    """A clean environment: only what Python needs, so nothing leaks in from the developer's shell."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "SYSTEMROOT") if k in os.environ}
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", **extra})
    return env


def probe(**env: str) -> dict:
    """Import the production settings in a fresh interpreter with exactly ``env``."""
    out = subprocess.run(
        [sys.executable, str(PROBE)], cwd=ROOT, env=_base_env(**env), capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


PROD = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "tsumiki.example.com",
    "DATABASE_URL": "postgres://tsumiki:pw@db.internal:5432/tsumiki",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
}


def test_check_deploy_passes_with_no_warnings():
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_base_env(DJANGO_SETTINGS_MODULE="config.settings.production", **PROD),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "no issues" in out.stdout


def test_production_imports_with_the_required_secrets():
    result = probe(**PROD)
    assert result["ok"], result["error"]
    assert result["settings"]["DEBUG"] is False
    assert result["settings"]["DB_ENGINE"].endswith("postgresql")
    assert result["settings"]["CELERY_TASK_ALWAYS_EAGER"] is False  # tasks go to the broker's workers


def test_in_process_tasks_only_when_asked_for():
    without_broker = {k: v for k, v in PROD.items() if k != "CELERY_BROKER_URL"}
    refused = probe(**without_broker)
    assert not refused["ok"] and "CELERY_BROKER_URL" in refused["error"]
    one_box = probe(TSUMIKI_INPROCESS_TASKS="true", **without_broker)
    assert one_box["ok"], one_box["error"]
    assert one_box["settings"]["CELERY_TASK_ALWAYS_EAGER"] is True


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "CELERY_BROKER_URL"])
def test_a_missing_secret_fails_loudly_naming_it(missing):
    env = {k: v for k, v in PROD.items() if k != missing}
    result = probe(**env)
    assert not result["ok"]
    assert "ImproperlyConfigured" in result["error"] and missing in result["error"]


def test_secrets_can_come_from_files(tmp_path):
    key = tmp_path / "secret_key"
    key.write_text(PROD["DJANGO_SECRET_KEY"] + "\n")
    db = tmp_path / "database_url"
    db.write_text(PROD["DATABASE_URL"])
    broker = tmp_path / "broker_url"
    broker.write_text("redis://:pw@redis.internal:6379/0")
    result = probe(
        DJANGO_SECRET_KEY_FILE=str(key),
        DATABASE_URL_FILE=str(db),
        CELERY_BROKER_URL_FILE=str(broker),
        DJANGO_ALLOWED_HOSTS="tsumiki.example.com",
    )
    assert result["ok"], result["error"]
    assert result["settings"]["SECRET_KEY_LEN"] == len(PROD["DJANGO_SECRET_KEY"])  # newline stripped
    assert result["settings"]["CELERY_TASK_ALWAYS_EAGER"] is False


def test_an_empty_or_unreadable_secret_file_fails_loudly(tmp_path):
    empty = tmp_path / "empty"
    empty.write_text("  \n")
    env = {k: v for k, v in PROD.items() if k != "DJANGO_SECRET_KEY"}
    result = probe(DJANGO_SECRET_KEY_FILE=str(empty), **env)
    assert not result["ok"] and "DJANGO_SECRET_KEY_FILE" in result["error"] and "empty" in result["error"]
    result = probe(DJANGO_SECRET_KEY_FILE=str(tmp_path / "nope"), **env)
    assert not result["ok"] and "cannot be read" in result["error"]


def test_json_logs_are_switched_on_by_environment():
    assert probe(**PROD)["settings"]["LOG_FORMATTER"] == "plain"
    assert probe(TSUMIKI_LOG_JSON="1", **PROD)["settings"]["LOG_FORMATTER"] == "json"


def test_json_formatter_writes_one_object_per_line():
    import logging

    from config.jsonlog import JsonFormatter

    record = logging.makeLogRecord(
        {"name": "apps.test", "levelname": "WARNING", "levelno": 30, "msg": "run %s failed", "args": (7,), "run_id": 7}
    )
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line  # the traceback is escaped inside the JSON string
    data = json.loads(line)
    assert data["message"] == "run 7 failed" and data["level"] == "WARNING" and data["logger"] == "apps.test"
    assert data["run_id"] == 7 and "ValueError: boom" in data["exc_info"]


def test_security_settings_in_every_mode():
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert settings.SECURE_CONTENT_TYPE_NOSNIFF is True
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert 0 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 50 * 1024 * 1024
    assert 0 < settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert settings.TSUMIKI_AUDIT_RETENTION_DAYS >= 183


def test_production_cookies_and_headers_are_secure():
    code = (
        "import config.settings.production as p, json;"
        "print(json.dumps([p.SESSION_COOKIE_SECURE, p.CSRF_COOKIE_SECURE, p.SECURE_HSTS_SECONDS, p.SECURE_SSL_REDIRECT,"
        " p.CSRF_COOKIE_HTTPONLY, p.SECURE_PROXY_SSL_HEADER]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_base_env(**PROD), capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    session, csrf, hsts, redirect, csrf_httponly, proxy = json.loads(out.stdout)
    assert session and csrf and csrf_httponly and redirect
    assert hsts >= 31536000
    assert proxy == ["HTTP_X_FORWARDED_PROTO", "https"]
