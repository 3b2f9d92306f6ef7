"""The service census over the whole test suite (on in every run: pyproject's addopts).

Every public service is wrapped for the session (tests/write_census.py); at the end, any
service call that wrote a domain row and added no audit event fails the run, and the
summary lists which services the suite called.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

_tracker: Any = None


@pytest.fixture(autouse=True, scope="session")
def _write_census_of_services() -> Iterator[None]:
    global _tracker
    from tests.write_census import FOR_AN_AUDITED_CALLER, KNOWN_GAPS, ServiceTracker

    _tracker = ServiceTracker(
        for_an_audited_caller=frozenset(FOR_AN_AUDITED_CALLER), known_gaps=frozenset(KNOWN_GAPS)
    )
    _tracker.install()
    yield
    _tracker.uninstall()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _tracker is None:
        return
    terminalreporter.section("write census of services")
    terminalreporter.write_line(f"{len(_tracker.called)} public services called")
    for name, tables in sorted(_tracker.silent.items()):
        terminalreporter.write_line(f"WROTE WITHOUT AN AUDIT EVENT: {name}: {', '.join(tables)}")
    for name in sorted(_tracker.gaps_closed):
        terminalreporter.write_line(
            f"NOW AUDITED: {name}: remove it from KNOWN_GAPS in tests/write_census.py"
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _tracker is not None and (_tracker.silent or _tracker.gaps_closed):
        session.exitstatus = 1
