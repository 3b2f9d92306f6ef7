from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from appeals.demo.accounts import demo_totp_code


class Command(BaseCommand):
    help = "Print the current TOTP code of the demo staff accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("There are no demo accounts in production.")
        self.stdout.write(demo_totp_code())
