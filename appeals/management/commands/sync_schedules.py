from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from appeals.schedules import schedules_sync


class Command(BaseCommand):
    help = "Synchronise the periodic tasks declared in appeals/schedules.py into django-q2."

    def handle(self, *args: Any, **options: Any) -> None:
        result = schedules_sync()
        self.stdout.write(self.style.SUCCESS(f"Schedules in place: {result}"))
