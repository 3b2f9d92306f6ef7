"""In-process timings at the benchmark's size: a decision letter and the deadline sweep."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from typing import Any


def time_letters(samples: int = 10) -> dict[str, float]:
    """A decision letter, as the worker makes it (render, sign, store, audit), then
    the rendering alone (HTML and PDF) for the same letters."""
    from django.db import transaction

    from appeals.models import Decision, Letter
    from appeals.pdf import render_pdf
    from appeals.services.letters import letter_html, letter_render, letter_request

    run = int(time.time())
    decisions = list(Decision.objects.select_related("appeal").order_by("-id")[:samples])
    with transaction.atomic():
        letters = [
            letter_request(
                appeal=d.appeal,
                kind=Letter.Kind.DECISION,
                subject_key=f"bench-{run}-{d.pk}",
                decision=d,
            )
            for d in decisions
        ]
    whole, rendering = [], []
    for letter in letters:
        started = time.perf_counter()
        if not letter_render(letter_id=str(letter.pk)):
            raise RuntimeError(f"letter {letter.pk} was issued already")
        whole.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        render_pdf(letter_html(letter))
        rendering.append((time.perf_counter() - started) * 1000)
    return {
        "first_ms": whole[0],
        "median_ms": statistics.median(whole[1:]),
        "render_only_median_ms": statistics.median(rendering[1:]),
        "samples": len(whole),
    }


def time_sweep(due: int = 1000) -> dict[str, Any]:
    """The deadline sweep with ``due`` reminders due among all the open cases, each
    assigned to a reviewer (so each gets an email): first a sweep catches up with
    what fell due while the benchmark ran, as the five-minute schedule would have."""
    from django.utils import timezone

    from appeals.models import Appeal, User
    from appeals.models.appeal import OPEN_STATUSES, RUNNING_STATUSES
    from appeals.services.deadlines import deadline_emails_send, deadlines_sweep

    deadlines_sweep()
    now = timezone.now()
    ids = list(
        Appeal.objects.filter(
            status__in=RUNNING_STATUSES, reminded_at__isnull=True, remind_at__gt=now
        )
        .order_by("remind_at")
        .values_list("pk", flat=True)[:due]
    )
    reviewer = User.objects.get(email="reviewer@example.org")
    Appeal.objects.filter(pk__in=ids).update(
        remind_at=now - timedelta(minutes=1), assigned_to=reviewer, assigned_at=now
    )
    open_cases = Appeal.objects.filter(status__in=OPEN_STATUSES).count()
    started = time.perf_counter()
    result = deadlines_sweep(now=now)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    emails = deadline_emails_send(template="deadline_reminder", appeal_ids=ids)
    email_seconds = time.perf_counter() - started
    started = time.perf_counter()
    idle = deadlines_sweep(now=now)
    idle_seconds = time.perf_counter() - started
    return {
        "open_cases": open_cases,
        "due": len(ids),
        "reminded": result.reminded,
        "breached": result.breached,
        "sweep_ms": seconds * 1000,
        "emails_written": emails,
        "email_task_ms": email_seconds * 1000,
        "idle_sweep_ms": idle_seconds * 1000,
        "idle_reminded": idle.reminded,
    }
