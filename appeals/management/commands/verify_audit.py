from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from appeals.services.audit_checkpoints import CheckpointRefused, audit_verify, checkpoint_write


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chain and hold it against every signed "
        "checkpoint; exit 1 naming what does not match and where. When all is well, "
        "sign a new checkpoint of the trail's head."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints",
            action="append",
            default=[],
            type=Path,
            metavar="FILE",
            help=(
                "Also check against the checkpoints in FILE: a copy of the checkpoint "
                "file kept elsewhere, published checkpoints saved one JSON per line, "
                "or a downloaded transparency report (JSON). May be repeated."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        more: list[Path] = options["checkpoints"]
        for extra in more:
            if not extra.is_file():
                self.stderr.write(f"No such checkpoint file: {extra}")
                sys.exit(2)
        result = audit_verify(more_files=more)
        for line in result.bad_lines:
            self.stderr.write(
                f"Bad checkpoint on line {line.number} of {line.source}: {line.problem}."
            )
        broken = result.chain.first_break
        if broken is not None:
            self.stderr.write(
                f"Audit trail broken at event #{broken.event_id}: "
                f"{broken.reason} ({result.chain.checked} events checked)."
            )
        if not result.intact:
            sys.exit(1)
        signed = len(result.lines)
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {result.chain.checked} events checked, "
                f"against {signed} signed checkpoint{'s' if signed != 1 else ''}."
            )
        )
        if result.file_missing:
            self.stdout.write(
                "There was no checkpoint file yet: this run writes the first one. If there "
                "was one before, it has been removed: compare with the published heads."
            )
        try:
            checkpoint = checkpoint_write(by="verify_audit")
        except CheckpointRefused as exc:
            # The trail changed between the check and the checkpoint.
            self.stderr.write(str(exc))
            sys.exit(1)
        self.stdout.write(
            f"New checkpoint: event #{checkpoint.event_id}, {checkpoint.count} events, "
            f"head {checkpoint.head}, signed at {checkpoint.at_text}."
        )
