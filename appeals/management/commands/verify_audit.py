from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from appeals.services.audit import audit_verify_chain


class Command(BaseCommand):
    help = "Recompute the audit trail's hash chain; exit 1 naming the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify_chain()
        broken = report.first_break
        if broken is None:
            self.stdout.write(
                self.style.SUCCESS(f"Audit trail intact: {report.checked} events checked.")
            )
            return
        self.stderr.write(
            f"Audit trail broken at event #{broken.event_id}: "
            f"{broken.reason} ({report.checked} events checked)."
        )
        sys.exit(1)
