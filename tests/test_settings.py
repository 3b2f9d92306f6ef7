"""The settings read the environment and refuse unsafe production setups."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The production variables the README documents.
PRODUCTION_ENV = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "k" * 20 + "Zq9-example-production-secret-0123456789abcdefXYZ",
    "DATABASE_URL": "postgresql://portal@127.0.0.1:5432/portal",
    "ALLOWED_HOSTS": "redress.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://redress.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "Redress portal <no-reply@redress.example.org>",
    "LETTER_SIGNING_KEY_FILE": "/etc/redress/letter-signing-key.pem",
    "LETTER_SIGNING_CERT_FILE": "/etc/redress/letter-signing-cert.pem",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    dropped = {"DATABASE_URL", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_variables() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is required"),
        ({"SECRET_KEY": "dev-" + "x" * 60}, "looks like a development key"),
        ({"DATABASE_URL": ""}, "DATABASE_URL is required"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is required"),
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG must be off"),
        ({"LETTER_SIGNING_KEY_FILE": ""}, "LETTER_SIGNING_KEY_FILE and LETTER_SIGNING_CERT_FILE"),
    ],
)
def test_production_refuses_to_start_with_an_unsafe_setting(
    change: dict[str, str], message: str
) -> None:
    result = _manage("check", env={**PRODUCTION_ENV, **change})
    assert result.returncode != 0
    assert message in result.stderr


def test_demo_data_cannot_be_loaded_in_production() -> None:
    result = _manage("seed_demo", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "never loaded" in result.stderr


def test_debug_is_off_unless_set() -> None:
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env={}
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr
