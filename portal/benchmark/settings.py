"""Settings for ``make bench``: the portal's own settings, plus the two reference pages
(a framework's-ceiling page and a list page's ceiling) served by the same server
(portal/benchmark/urls.py). Their templates live beside the benchmark, outside the
product's template tree."""

from pathlib import Path
from typing import cast

from portal.settings import *  # noqa: F403
from portal.settings import TEMPLATES

_PORTAL_DIRS = cast(list[Path], TEMPLATES[0]["DIRS"])
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*_PORTAL_DIRS, Path(__file__).resolve().parent / "templates"]},
    *TEMPLATES[1:],
]

ROOT_URLCONF = "portal.benchmark.urls"

# The benchmark's database is not the development one: its audit checkpoints
# (signed by the schedule, if a worker runs) must not land beside those of var/.
AUDIT_CHECKPOINT_FILE = VAR_DIR / "bench" / "audit-checkpoints.jsonl"  # noqa: F405
