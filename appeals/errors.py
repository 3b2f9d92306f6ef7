"""Refusals a person should read.

A service that will not do what it was asked raises ``Refused`` (or a subclass named
for its noun) with ``message``: a whole sentence in the person's language, saying what
is wrong and, where it helps, what to do. Views catch this one type and show
``message``; nothing internal (a status code, a primary key) reaches the page.
``code`` is a short stable name for programs (the platform API, logs, tests).
"""

from __future__ import annotations

from django.utils.translation import gettext as _


class Refused(Exception):
    """The request was understood and refused; ``message`` says why, for the person."""

    code = "refused"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class IllegalTransition(Refused):
    """The change is not in the state machine's table from the current state.

    ``machine``, ``current`` and ``target`` are kept for logs and tests; the person
    reads only ``message``."""

    code = "illegal_transition"

    def __init__(self, *, machine: str, current: str, target: str) -> None:
        super().__init__(
            _("This cannot be done at this stage. Reload the page to see where things stand.")
        )
        self.machine, self.current, self.target = machine, current, target

    def __repr__(self) -> str:
        return f"IllegalTransition({self.machine}: {self.current} → {self.target})"


class StaleState(Refused):
    """Someone else changed the row first (compare-and-set found another status)."""

    code = "stale_state"

    def __init__(self, *, machine: str, pk: object, expected: str) -> None:
        super().__init__(_("Someone else changed this meanwhile. Reload the page and try again."))
        self.machine, self.pk, self.expected = machine, pk, expected

    def __repr__(self) -> str:
        return f"StaleState({self.machine} {self.pk}: no longer {self.expected})"
