from __future__ import annotations

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from appeals.schedules import SCHEDULES, schedules_sync

pytestmark = pytest.mark.django_db


def test_sync_schedules_is_idempotent_and_removes_what_the_code_no_longer_declares() -> None:
    Schedule.objects.create(name="old", func="appeals.tasks.gone", schedule_type=Schedule.HOURLY)
    Schedule.objects.create(name="theirs", func="other.app.task", schedule_type=Schedule.HOURLY)
    first = schedules_sync()
    assert first["created"] == len(SCHEDULES) and first["removed"] == 1
    call_command("sync_schedules", verbosity=0)
    names = set(Schedule.objects.values_list("name", flat=True))
    assert names == {p.name for p in SCHEDULES} | {"theirs"}
    assert schedules_sync() == {"created": 0, "updated": len(SCHEDULES), "removed": 0}
