"""The standard set-up steps: ``manage.py migrate`` makes every table the site needs
(the database cache's too), and ``make run`` serves links for the port it runs on."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent
CACHE_TABLE = settings.CACHES["default"]["LOCATION"]


def _manage(tmp: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        PORTAL_ENV="test",
        PORTAL_VAR_DIR=str(tmp / "var"),
        DATABASE_URL=f"sqlite:///{tmp / 'fresh.sqlite3'}",
    )
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _tables(tmp: Path) -> set[str]:
    with sqlite3.connect(tmp / "fresh.sqlite3") as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_migrate_alone_creates_the_cache_table_and_runs_again_when_it_exists(
    tmp_path: Path,
) -> None:
    _manage(tmp_path, "migrate", "--noinput")
    assert CACHE_TABLE in _tables(tmp_path)
    # Unapplying the migration keeps the table (the cache still uses it); applying it
    # again on a database that already has the table changes nothing.
    _manage(tmp_path, "migrate", "--noinput", "appeals", "0020")
    assert CACHE_TABLE in _tables(tmp_path)
    _manage(tmp_path, "migrate", "--noinput")
    out = _manage(
        tmp_path,
        "shell",
        "-c",
        "from django.core.cache import cache; cache.set('k', 'v'); print(cache.get('k'))",
    )
    assert out.splitlines()[-1] == "v"


def _make_run(tmp: Path, *args: str, env: dict[str, str] | None = None) -> str:
    require_tool(shutil.which("make") is not None, "make is not installed")
    # A stand-in Python: records what runserver would start with, and does nothing else.
    stub = tmp / "python"
    stub.write_text(
        "#!/bin/sh\n"
        'if [ "$2" = runserver ]; then\n'
        f'  echo "$3 $PORTAL_BASE_URL $ALLOWED_HOSTS" > {tmp / "runserver.txt"}\n'
        "fi\n"
    )
    stub.chmod(0o755)
    base = {k: v for k, v in os.environ.items() if k not in {"PORTAL_BASE_URL", "ALLOWED_HOSTS"}}
    make = shutil.which("make")
    assert make is not None
    done = subprocess.run(
        [make, "--no-print-directory", "-o", "install", "run", f"PY={stub}", *args],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        # The recipe ends with `kill 0` for its own process group (make included, so its
        # exit status says nothing here): keep it off ours.
        start_new_session=True,
    )
    assert (tmp / "runserver.txt").exists(), done.stdout + done.stderr
    return (tmp / "runserver.txt").read_text().strip()


def test_make_run_points_email_links_at_its_own_port_and_accepts_its_host(
    tmp_path: Path,
) -> None:
    assert _make_run(tmp_path, "PORT=8101") == (
        "127.0.0.1:8101 http://127.0.0.1:8101 127.0.0.1,localhost,127.0.0.1"
    )
    assert _make_run(tmp_path, "HOST=portal.test", "PORT=8102") == (
        "portal.test:8102 http://portal.test:8102 127.0.0.1,localhost,portal.test"
    )


def test_make_run_keeps_an_address_set_in_the_environment(tmp_path: Path) -> None:
    env = {"PORTAL_BASE_URL": "https://demo.example.org", "ALLOWED_HOSTS": "demo.example.org"}
    assert _make_run(tmp_path, "PORT=8101", env=env) == (
        "127.0.0.1:8101 https://demo.example.org demo.example.org"
    )
