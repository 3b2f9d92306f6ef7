from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from appeals.models import Platform
from appeals.services.platform_api import platform_token_issue


class Command(BaseCommand):
    help = "Issue an API key for a platform. The key is printed once and never stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("platform", help="The platform's short name (slug).")
        parser.add_argument("name", help="What the key is for, e.g. 'moderation backend'.")

    def handle(self, *args: Any, **options: Any) -> None:
        platform = Platform.objects.filter(slug=options["platform"]).first()
        if platform is None:
            raise CommandError(f"No platform with the short name {options['platform']!r}.")
        token, row = platform_token_issue(platform=platform, name=options["name"], by=None)
        self.stdout.write(f"API key for {platform} ({row.prefix}…), shown once:\n{token}")
