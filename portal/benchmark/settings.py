"""Settings for ``make bench``: the portal's own settings, plus the two reference pages
of ../shared/PERFORMANCE.md served by the same server (portal/benchmark/urls.py)."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "portal.benchmark.urls"
