from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from appeals.management.commands import command_origin
from appeals.models import User
from appeals.services.imports import import_statements, print_progress


class Command(BaseCommand):
    help = (
        "Import statements of reasons (daily-dump CSV, v1 or v2, also .zip/.gz; or JSON API "
        "bodies). Re-running is harmless; an interrupted import resumes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--rows", type=int, help="Rows in the file, for time left.")
        parser.add_argument(
            "--by",
            metavar="EMAIL",
            help="The operator's portal account, named in the audit trail as who imported.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        by = None
        if options.get("by"):
            by = User.objects.filter(email__iexact=options["by"]).first()
            if by is None:
                raise CommandError(f"{options['by']}: no such account")
        # Who ran it, as far as the machine knows, besides any --by account.
        via = command_origin("import_statements")
        for path in options["files"]:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            progress = print_progress(options.get("rows")) if sys.stderr.isatty() else None
            run = import_statements(path, progress=progress, by=by, via=via)
            if progress:
                sys.stderr.write("\n")
            self.stdout.write(
                f"{path.name}: {run.rows_read} rows, {run.created} takedowns created, "
                f"{run.duplicates} duplicates, {run.errors} errors, {run.warnings} warnings"
            )
            for problem in run.problems[:20]:
                self.stdout.write(
                    f"  line {problem['line']}: {problem['kind']}: {problem['message']}"
                )
