"""Importing statements of reasons: rows of the Transparency Database's daily dumps and our
own JSON API bodies (tests/data/statements-of-reasons), and small fixtures for resumption
and bad rows."""

from __future__ import annotations

import gzip
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from appeals.importers import (
    DELETED_CATEGORIES,
    DELETED_KEYWORDS,
    RENAMED_CATEGORIES,
    RENAMED_KEYWORDS,
    Statement,
    normalise,
)
from appeals.models import ImportRun, Platform, Takedown, User
from appeals.selectors.appeals import takedown_find
from appeals.services import imports
from appeals.services.imports import import_statements
from appeals.vocabulary import AutomatedDecision, Category, ContentType, DecisionGround, Measure

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent / "data" / "statements-of-reasons"


def sample(name: str) -> Path:
    return SAMPLES / name


def test_the_current_daily_dump_imports_with_platform_ids_as_text() -> None:
    run = import_statements(sample("sor-global-2025-07-01-excerpt.csv"))
    assert (run.rows_read, run.created, run.errors) == (6, 6, 0)
    takedown = Takedown.objects.get(platform_reference="f1e5d3be-e95d-4e51-bb38-6cf13225b2af")
    assert takedown.platform.name == "Wallapop"
    assert takedown.category == "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS"
    assert takedown.measures == ["DECISION_VISIBILITY_CONTENT_DISABLED"]
    assert len(takedown.territorial_scope) == 27
    assert Takedown.objects.filter(
        platform_item_id="user-e5638212-ac0f-4879-b54d-a194bcb0ae72"
    ).exists()


def test_the_v1_dump_maps_old_categories_keeps_leading_zeros_and_drops_the_duplicate() -> None:
    run = import_statements(sample("sor-global-2024-03-14-v1-excerpt.csv"))
    assert (run.rows_read, run.created, run.duplicates) == (5, 4, 1)
    assert Takedown.objects.filter(platform_item_id="08329314168").exists()
    renamed = Takedown.objects.filter(platform__name="Google Shopping").values_list(
        "category", flat=True
    )
    assert set(renamed) == {"STATEMENT_CATEGORY_OTHER_VIOLATION_TC"}
    assert any("no longer exists" in p["message"] for p in run.problems)


def test_reimporting_a_file_changes_nothing() -> None:
    path = sample("sor-global-2025-07-01-excerpt.csv")
    import_statements(path)
    again = import_statements(path)
    assert again.created == 0 and again.duplicates == 6
    assert Takedown.objects.count() == 6


def test_json_bodies_import_and_date_inconsistencies_only_warn() -> None:
    single = import_statements(sample("statement.json"))
    many = import_statements(sample("statements-bulk.json"))
    assert (single.created, many.created) == (1, 10)
    assert single.warnings >= 1 and single.errors == 0


def _vocabulary() -> dict[str, Any]:
    return json.loads(sample("vocabulary.json").read_text(encoding="utf-8"))


def test_every_allowed_value_of_the_database_is_known_to_the_portal() -> None:
    fields = _vocabulary()["fields"]
    decisions = (
        "decision_visibility",
        "decision_monetary",
        "decision_provision",
        "decision_account",
    )
    assert {value for name in decisions for value in fields[name]} <= set(Measure.values)
    assert set(fields["decision_ground"]) == set(DecisionGround.values)
    assert set(fields["content_type"]) <= set(ContentType.values)
    assert set(fields["category"]) == set(Category.values)
    assert set(fields["automated_decision"]) <= set(AutomatedDecision.values)


def test_each_allowed_value_imports_without_a_problem() -> None:
    fields = _vocabulary()["fields"]
    base = {"puid": "p", "platform_name": "Chirp", "application_date": "2026-11-02"}
    ground = fields["decision_ground"][0]
    for name in (
        "decision_visibility",
        "decision_monetary",
        "decision_provision",
        "decision_account",
    ):
        for value in fields[name]:
            row = {**base, "decision_ground": ground, name: [value]}
            statement = normalise(row, 1)
            assert isinstance(statement, Statement) and statement.measures == [value]
            assert statement.warnings == []
    measure = {"decision_visibility": [fields["decision_visibility"][0]]}
    for category in fields["category"]:
        statement = normalise(
            {**base, **measure, "decision_ground": ground, "category": category}, 1
        )
        assert isinstance(statement, Statement) and statement.category == category
        assert statement.warnings == []
    for keyword in fields["category_specification"]:
        row = {**base, **measure, "decision_ground": ground, "category_specification": [keyword]}
        statement = normalise(row, 1)
        assert isinstance(statement, Statement) and statement.warnings == []
    for value in fields["automated_decision"]:
        row = {**base, **measure, "decision_ground": ground, "automated_decision": value}
        statement = normalise(row, 1)
        assert isinstance(statement, Statement) and statement.automated_decision == value


def test_v1_categories_and_keywords_are_renamed_or_flagged_as_the_database_changed_them() -> None:
    changes = _vocabulary()["since_v1"]
    assert changes["category"]["renamed"] == RENAMED_CATEGORIES
    assert set(DELETED_CATEGORIES) == set(changes["category"]["deleted"])
    assert changes["category_specification"]["renamed"] == RENAMED_KEYWORDS
    assert set(DELETED_KEYWORDS) == set(changes["category_specification"]["deleted"])
    base = {
        "puid": "p",
        "platform_name": "Chirp",
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
    }
    for old, new in changes["category"]["renamed"].items():
        statement = normalise({**base, "category": old}, 1)
        assert isinstance(statement, Statement)
        assert (statement.category, statement.warnings) == (new, [])
    for old in changes["category"]["deleted"]:
        statement = normalise({**base, "category": old}, 1)
        assert isinstance(statement, Statement) and statement.category in Category.values
        assert statement.warnings == [
            f"category {old} no longer exists; mapped to {statement.category}"
        ]
    for old in changes["category_specification"]["deleted"]:
        statement = normalise({**base, "category_specification": [old]}, 1)
        assert isinstance(statement, Statement)
        assert statement.warnings == [f"keywords no longer used: {old}"]


def test_the_bulk_body_maps_its_v1_values() -> None:
    run = import_statements(sample("statements-bulk.json"))
    assert (run.created, run.errors) == (10, 0)
    categories = set(Takedown.objects.values_list("category", flat=True))
    assert categories <= set(Category.values)
    assert "STATEMENT_CATEGORY_OTHER_VIOLATION_TC" in categories
    assert "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS" in categories
    messages = [p["message"] for p in run.problems if p["kind"] == "warning"]
    assert any("NON_CONSENSUAL_BEHAVIOUR no longer exists" in m for m in messages)
    assert "keywords no longer used: KEYWORD_FOREIGN_INFORMATION_MANIPULATION" in messages


def test_an_imported_statement_is_found_when_filing(tmp_path: Path) -> None:
    import_statements(sample("sor-global-2025-07-01-excerpt.csv"))
    platform = Platform.objects.get(name="Kleinanzeigen")
    assert takedown_find(platform, "71a159b9-b26c-4a2e-9d26-f4e2fdf1e6d5".upper()) or takedown_find(
        platform, "ad-5f6d8e2f-7fe0-41bb-b75e-ce579d751892"
    )


def _rows(n: int) -> list[dict[str, object]]:
    return [
        {
            "puid": f"{i:08d}",
            "platform_name": "Chirp",
            "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
            "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
            "category": "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
            "application_date": "2026-11-01",
        }
        for i in range(n)
    ]


def test_zip_and_gzip_files_import_and_bad_rows_are_reported(tmp_path: Path) -> None:
    rows = [*_rows(3), {"platform_name": "Chirp", "decision_ground": "X"}, {"puid": "z"}]
    gz = tmp_path / "batch.json.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as handle:
        json.dump({"statements": rows}, handle)
    run = import_statements(gz)
    assert (run.created, run.errors) == (3, 2)
    assert {p["message"][:20] for p in run.problems if p["kind"] == "error"} == {
        "no uuid and no puid:",
        "no platform_name",
    }
    zipped = tmp_path / "dump.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(sample("sor-global-2025-07-01-excerpt.csv"), "part-1.csv")
    assert import_statements(zipped).created == 6


def test_an_interrupted_import_resumes_after_the_last_committed_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "BATCH", 10)
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"statements": _rows(35)}))
    calls = {"n": 0}
    real_commit = imports._commit

    def failing_commit(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the process is stopped mid-file
        real_commit(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(imports, "_commit", failing_commit)
    with pytest.raises(KeyboardInterrupt):
        import_statements(path)
    run = ImportRun.objects.get()
    assert run.rows_committed == 20 and Takedown.objects.count() == 20
    monkeypatch.setattr(imports, "_commit", real_commit)
    resumed = import_statements(path)
    assert resumed.pk == run.pk and resumed.status == "done"
    assert Takedown.objects.count() == 35 and resumed.duplicates == 0


def test_the_command_prints_a_report(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import_statements", str(sample("sor-global-2024-03-14-v1-excerpt.csv")))
    out = capsys.readouterr().out
    assert "5 rows, 4 takedowns created, 1 duplicates" in out


def test_a_user_appeal_finds_an_imported_takedown_by_the_platform_item_id(
    make_user: Callable[..., User],
) -> None:
    import_statements(sample("sor-global-2024-03-14-v1-excerpt.csv"))
    platform = Platform.objects.get(name="Google Shopping")
    assert takedown_find(platform, "08329314168") is not None


def test_a_supervisor_uploads_a_file_and_sees_the_report(
    make_user: Callable[..., User], django_capture_on_commit_callbacks: Callable
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from appeals.roles import Role
    from tests.conftest import sign_in

    supervisor = make_user("sup@example.org", roles=(Role.SUPERVISOR,), mfa=True)
    client = sign_in(Client(), supervisor, with_mfa=True)
    content = sample("sor-global-2024-03-14-v1-excerpt.csv").read_bytes()
    bad = client.post(reverse("staff_imports"), {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 400 and ".csv" in bad.content.decode()
    with __import__("django.test", fromlist=["TestCase"]).TestCase.captureOnCommitCallbacks(
        execute=True
    ):
        response = client.post(
            reverse("staff_imports"), {"file": SimpleUploadedFile("dump.csv", content, "text/csv")}
        )
    run = ImportRun.objects.get()
    assert response.url == reverse("staff_import", args=[run.pk])
    run.refresh_from_db()
    assert run.status == "done" and run.created == 4  # the worker's task ran after commit
    page = client.get(response.url).content.decode()
    assert "Done" in page and "no longer exists" in page


def test_nul_and_lone_surrogates_in_a_file_are_dropped_not_a_failed_import(
    tmp_path: Path,
) -> None:
    # PostgreSQL text cannot hold NUL; UTF-8 cannot hold a lone surrogate.
    row = {**_rows(1)[0], "decision_facts": "before\x00after \ud800 end"}
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"statements": [row]}), encoding="utf-8")
    run = import_statements(path)
    assert (run.created, run.errors) == (1, 0)
    assert Takedown.objects.get().statement_text == "beforeafter ? end"
