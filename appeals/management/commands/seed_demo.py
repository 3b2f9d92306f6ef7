from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from appeals.demo.accounts import DEMO_TOTP_SECRET, DEMO_USERS
from appeals.demo.seed import DemoDataRefused, demo_seed


class Command(BaseCommand):
    help = "Load demo jurisdictions, platforms and one account per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = demo_seed()
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{count} {noun}" for noun, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (new: {summary})."))
        self.stdout.write("Demo sign-ins (password, or a code sent by email):")
        for demo in DEMO_USERS:
            roles = ", ".join(r.value for r in demo.roles) or (
                "admin" if demo.is_superuser else "appellant"
            )
            self.stdout.write(f"  {demo.email:<26} {demo.password:<22} {roles}")
        self.stdout.write(
            f"Staff accounts ask for a TOTP code: secret {DEMO_TOTP_SECRET}, "
            "or run `make totp` for the current code."
        )
