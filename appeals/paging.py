"""Keyset paging cursors as they arrive in the address bar, parsed strictly.

``str.isdigit()`` is true for "²" and "٣", which ``int()`` then refuses or reads as
a number nobody typed; ``int()`` and ``float()`` also take spaces, underscores,
"nan" and "1e999". A cursor here is ASCII digits only, and bounded so that it fits
the column it is compared with: anything else is no cursor at all.
"""

from __future__ import annotations

import re

BIGINT_MAX = 2**63 - 1  # the largest primary key (BigAutoField) on every database
_DIGITS = re.compile(r"[0-9]{1,19}")


def ascii_number(raw: str, *, maximum: int = BIGINT_MAX) -> int | None:
    """``raw`` as a whole number from 0 to ``maximum``, or None if it is anything else."""
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if value <= maximum else None


def id_cursor(raw: str) -> int | None:
    """The id a page starts after (or before); None for the first page."""
    return ascii_number(raw)
