"""Staff roles. Each is a Django group, created by a data migration.

Affected users need no role: anyone signed in may appeal. Advocates are
members of a verified organisation, not holders of a role.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REVIEWER = "reviewer", _("Reviewer")
    SUPERVISOR = "supervisor", _("Supervisor")
    AUDITOR = "auditor", _("Auditor")
    PLATFORM_LIAISON = "platform_liaison", _("Platform liaison")


STAFF_ROLES: frozenset[str] = frozenset(Role.values)
