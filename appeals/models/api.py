from __future__ import annotations

from django.conf import settings
from django.db import models


class PlatformToken(models.Model):
    """A platform's key to the API. Only its SHA-256 is stored; the key is shown once."""

    platform = models.ForeignKey(
        "appeals.Platform", on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.platform}: {self.name} ({self.prefix}…)"
