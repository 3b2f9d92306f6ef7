"""The models and the migrations agree: a change to a model (a new audit action, a new
field) without its migration fails here rather than on a deployment's `migrate`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # makemigrations --check exits 1 when one is missing
        pytest.fail(f"A model change has no migration (exit {exc.code}):\n{out.getvalue()}")
