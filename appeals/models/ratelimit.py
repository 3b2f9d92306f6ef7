from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Attempts counted per key in a fixed window, shared by every process.

    The key is a keyed hash (never the address or case number itself). A request
    counts itself with one UPDATE ... SET count = count + 1 and reads its own
    count back in the same transaction, so concurrent requests each get a
    different number (appeals/services/ratelimit.py).
    """

    key = models.CharField(max_length=64, primary_key=True)
    scope = models.CharField(max_length=32)
    count = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.scope}: {self.count}"
