"""Settings for ``make bench``: the portal's own settings, plus the two reference pages
of ../shared/PERFORMANCE.md served by the same server (portal/benchmark/urls.py)."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "portal.benchmark.urls"

# The benchmark's database is not the development one: its audit checkpoints
# (signed by the schedule, if a worker runs) must not land beside those of var/.
AUDIT_CHECKPOINT_FILE = VAR_DIR / "bench" / "audit-checkpoints.jsonl"  # noqa: F405
