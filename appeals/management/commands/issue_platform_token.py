from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from appeals.management.commands import command_origin
from appeals.models import Platform
from appeals.services.platform_api import platform_token_issue, platform_token_revoke


class Command(BaseCommand):
    help = (
        "Issue an API key for a platform (printed once, never stored), "
        "or revoke one with --revoke <prefix>."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("platform", help="The platform's short name (slug).")
        parser.add_argument(
            "name", nargs="?", help="What the key is for, e.g. 'moderation backend'."
        )
        parser.add_argument(
            "--revoke", metavar="PREFIX", help="Revoke the key that starts with this prefix."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        platform = Platform.objects.filter(slug=options["platform"]).first()
        if platform is None:
            raise CommandError(f"No platform with the short name {options['platform']!r}.")
        if options["revoke"]:
            count = platform_token_revoke(
                platform=platform,
                prefix=options["revoke"],
                by=None,
                via=command_origin("issue_platform_token"),
            )
            if not count:
                raise CommandError(f"No live key of {platform} starts with {options['revoke']!r}.")
            self.stdout.write(f"Revoked {count} key(s) of {platform}.")
            return
        if not options["name"]:
            raise CommandError("Say what the key is for, e.g. 'moderation backend'.")
        token, row = platform_token_issue(
            platform=platform,
            name=options["name"],
            by=None,
            via=command_origin("issue_platform_token"),
        )
        self.stdout.write(f"API key for {platform} ({row.prefix}…), shown once:\n{token}")
