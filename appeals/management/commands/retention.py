from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from appeals.services.retention import retention_run


class Command(BaseCommand):
    help = "Anonymise cases past their retention period (--dry-run lists them only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would go.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = retention_run(dry_run=options["dry_run"])
        verb = "Would anonymise" if options["dry_run"] else "Anonymised"
        self.stdout.write(f"{verb} {len(result.appeals)} appeals, {len(result.reports)} reports.")
        for reference in [*result.appeals, *result.reports]:
            self.stdout.write(f"  {reference}")
