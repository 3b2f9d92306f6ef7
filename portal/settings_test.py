"""Settings for the test suite: the real settings with a few speed-ups.

The database is whatever ``DATABASE_URL`` names (SQLite by default). The
SQLite test database is a file, not memory, so that a real django-q2 worker
process started by a test can open it too.
"""

from __future__ import annotations

import os

os.environ.setdefault("PORTAL_ENV", "test")

from portal.settings import *  # noqa: F403
from portal.settings import DATABASES, Q_CLUSTER, VAR_DIR

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLITE_TEST_NAME lets two test runs share a checkout without sharing a file.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("SQLITE_TEST_NAME") or str(VAR_DIR / "test-portal.sqlite3")
    }

# Hashing is the slowest part of signing in; tests do not need argon2's cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Unit tests run tasks in-process; tests/test_worker.py starts a real worker.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True

# Tests see the figures of the facts they wrote; the cache has its own test.
STATS_CACHE_SECONDS = 0
