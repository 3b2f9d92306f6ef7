"""Write-path census: every door that writes a domain row leaves an audit event naming it.

The doors: every admin add, change and delete of every registered ModelAdmin (the
admin site's registry, so a new ModelAdmin without an entry here fails), every admin
action, the inlines, the admin's password form; every management command of the
appeals app; every endpoint of the platform API; every public service (wrapped, while
the demo is seeded and a case runs its whole course). What counts as a write, and what
is exempt and why, is in tests/write_census.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.core.management import call_command, get_commands
from django.db import connection, models
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone
from django_q.models import Failure, OrmQ, Schedule, Success

from appeals.models import (
    Appeal,
    AuditAction,
    AuditEvent,
    ConflictDeclaration,
    DeadlinePolicy,
    FourEyesRule,
    HarmReport,
    Jurisdiction,
    Letter,
    LiaisonProfile,
    Mandate,
    Membership,
    Organisation,
    OutboundEmail,
    OutOfCourtBody,
    Platform,
    Retraction,
    ReviewerProfile,
    Sanction,
    Takedown,
    TrustedFlaggerDesignation,
    User,
)
from appeals.roles import Role
from appeals.services.decisions import appeal_decide
from appeals.services.platform_api import platform_token_issue
from tests import write_census
from tests.admin_forms import form_data
from tests.conftest import sign_in
from tests.factories import chirp, claimed_appeal, decision_input, jurisdiction, known_takedown
from tests.write_census import OUTSIDE_DOMAIN, census

pytestmark = pytest.mark.django_db


def _url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# --- What each registered ModelAdmin is tested with -------------------------------------


@dataclass
class AdminCase:
    """``make`` builds a row to change and delete (and what the add form needs);
    ``add`` and ``change`` are the operator's entries, over what the page shows."""

    make: Callable[[], models.Model]
    add: Callable[[], dict[str, Any]] = field(default=lambda: {})
    change: Callable[[models.Model], dict[str, Any]] = field(default=lambda obj: {})
    read_only: bool = False


def _user(email: str) -> User:
    if User.objects.filter(email=email).exists():  # made again after a delete action
        email = f"{User.objects.count()}-{email}"
    return User.objects.create_user(email, "correct horse battery")


def _organisation() -> Organisation:
    return Organisation.objects.create(name="Safe Harbour", country=jurisdiction("DE"))


ADMIN_CASES: dict[type[models.Model], AdminCase] = {
    User: AdminCase(
        make=lambda: _user("someone@example.org"),
        add=lambda: {
            "email": "added@example.org",
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
        },
        change=lambda obj: {"full_name": "Renamed Person"},
    ),
    Jurisdiction: AdminCase(
        make=lambda: jurisdiction("GB"),
        add=lambda: {
            "code": "IT",
            "name": "Italy",
            "languages": '["it"]',
            "time_zone": "Europe/Rome",
            "holiday_calendar": "IT",
            "appeal_window_months": "6",
        },
        change=lambda obj: {"name": "Great Britain", "accepts_late_appeals": "on"},
    ),
    Platform: AdminCase(
        make=lambda: Platform.objects.create(slug="natter", name="Natter"),
        add=lambda: {"name": "Yodel", "slug": "yodel", "website": "https://yodel.example"},
        change=lambda obj: {"website": "https://natter.example", "dsa_platform_id": "007"},
    ),
    DeadlinePolicy: AdminCase(
        make=lambda: DeadlinePolicy.objects.create(
            jurisdiction=jurisdiction("FR"), case_type="retraction", amount=5, unit="calendar_days"
        ),
        add=lambda: {
            "jurisdiction": jurisdiction("IE").pk,
            "case_type": "appeal_decision",
            "priority": "standard",
            "amount": "10",
            "unit": "business_days",
        },
        change=lambda obj: {"amount": "7"},
    ),
    OutOfCourtBody: AdminCase(
        make=lambda: _out_of_court_body(),
        add=lambda: {
            "name": "Appeals Centre",
            "website": "https://centre.example",
            "jurisdictions": [jurisdiction("IE").pk],
            "languages": '["en"]',
        },
        change=lambda obj: {
            "jurisdictions": [jurisdiction("DE").pk, jurisdiction("FR").pk],
            "languages": '["de", "fr"]',
        },
    ),
    Organisation: AdminCase(
        make=_organisation,
        add=lambda: {"name": "Helpline", "country": jurisdiction("DE").pk},
        change=lambda obj: {"website": "https://harbour.example", "is_mandated_body": "on"},
    ),
    Mandate: AdminCase(
        make=lambda: Mandate.objects.create(
            organisation=_organisation(),
            principal=_user("principal@example.org"),
            scope="Appeals about my account",
            recorded_by=_user("recorder@example.org"),
        ),
        add=lambda: {
            "organisation": _organisation().pk,
            "principal": _user("other-principal@example.org").pk,
            "scope": "Every appeal",
        },
        change=lambda obj: {"scope": "Only the removal of 2 November"},
    ),
    ReviewerProfile: AdminCase(
        make=lambda: ReviewerProfile.objects.create(
            user=_user("profiled@example.org"), languages=["en"]
        ),
        add=lambda: {
            "user": _user("new-reviewer@example.org").pk,
            "jurisdictions": [jurisdiction("DE").pk],
            "languages": ["de"],
            "workload_cap": "10",
            "active": "on",
        },
        change=lambda obj: {"jurisdictions": [jurisdiction("FR").pk], "workload_cap": "5"},
    ),
    LiaisonProfile: AdminCase(
        make=lambda: LiaisonProfile.objects.create(user=_user("liaised@example.org")),
        add=lambda: {"user": _user("new-liaison@example.org").pk, "platforms": [chirp().pk]},
        change=lambda obj: {"platforms": [chirp().pk]},
    ),
    FourEyesRule: AdminCase(
        make=lambda: FourEyesRule.objects.create(name="Compensation", when_compensation=True),
        add=lambda: {"name": "Reinstatements", "outcomes": ["reversed"], "active": "on"},
        change=lambda obj: {"active": None, "categories": ["STATEMENT_CATEGORY_CYBER_VIOLENCE"]},
    ),
    ConflictDeclaration: AdminCase(
        make=lambda: ConflictDeclaration.objects.create(
            reviewer=_user("conflicted@example.org"), platform=chirp(), note="Shares"
        ),
        add=lambda: {"reviewer": _user("declarer@example.org").pk, "platform": chirp().pk},
        change=lambda obj: {"note": "Sold the shares in 2025"},
    ),
    # Read-only: cases, letters, reports and the trail change only through services.
    AuditEvent: AdminCase(make=lambda: AuditEvent.objects.first() or _an_event(), read_only=True),
    OutboundEmail: AdminCase(make=lambda: _an_email(), read_only=True),
    Takedown: AdminCase(make=known_takedown, read_only=True),
    Appeal: AdminCase(make=lambda: _an_appeal(), read_only=True),
    Letter: AdminCase(make=lambda: _a_letter(), read_only=True),
    HarmReport: AdminCase(make=lambda: _a_report(), read_only=True),
    Sanction: AdminCase(make=lambda: _a_sanction(), read_only=True),
}


def _out_of_court_body() -> OutOfCourtBody:
    body = OutOfCourtBody.objects.create(name="ADR Board", website="https://adr.example")
    body.jurisdictions.set([jurisdiction("DE")])
    return body


def _an_event() -> AuditEvent:
    from appeals.services.audit import audit_record

    return audit_record(action=AuditAction.DEMO_SEEDED)


def _an_email() -> OutboundEmail:
    from appeals.services.emails import email_send_template

    email_send_template(
        template="member_invited",
        to=["x@example.org"],
        context={"organisation": _organisation(), "membership": None},
        language="en",
    )
    return OutboundEmail.objects.get()


def _reviewer() -> User:
    user = _user("census-reviewer@example.org")
    from appeals.services.roles import role_grant

    role_grant(user=user, role=Role.REVIEWER, granted_by=None)
    profile = ReviewerProfile.objects.create(user=user, languages=["en", "de", "fr"])
    profile.jurisdictions.set([jurisdiction("DE")])
    return user


def _an_appeal() -> Appeal:
    return claimed_appeal(_user("census-appellant@example.org"), _reviewer())


def _a_letter() -> Letter:
    appeal = _an_appeal()
    return Letter.objects.filter(appeal=appeal).first() or Letter.objects.get()


def _a_report() -> HarmReport:
    from appeals.services.reports import Location, ReportSubmission, report_file

    return report_file(
        submission=ReportSubmission(
            categories=["hate"],
            explanation="Threats against me",
            locations=[Location(url="https://chirp.example/h/9", platform=chirp())],
            jurisdictions=[jurisdiction("DE")],
            victim_reference="V",
            consent_given_by="victim",
            consent_scope="Reporting",
            requested_actions=["removal"],
            good_faith=True,
            reporter_name="Sam",
            reporter_email="sam@example.org",
        ),
        filed_by=None,
    ).report


def _a_sanction() -> Sanction:
    user = _user("sanctioned@example.org")
    return Sanction.objects.create(user=user, kind="warning", starts_at=timezone.now())


@pytest.fixture
def operator(make_user: Callable[..., User]) -> User:
    return make_user("operator@example.org", is_superuser=True, mfa=True)


@pytest.fixture
def admin_client(operator: User) -> Client:
    return sign_in(Client(), operator, with_mfa=True)


# Registered admin pages over tables outside the domain.
ADMIN_OUTSIDE_DOMAIN = {
    EmailAddress: "allauth's sign-in addresses: the admin's edits are audited as access "
    "changes of the account (test_operator_edits_of_sign_in_addresses_are_audited)",
    Authenticator: "allauth's second factors: listed and removed only, audited "
    "(test_an_operator_removing_a_second_factor_is_audited)",
    Schedule: "django-q2's schedules (exempt as django-q2's tables)",
    OrmQ: "django-q2's queue (exempt as django-q2's tables)",
    Success: "django-q2's results (exempt as django-q2's tables)",
    Failure: "django-q2's results (exempt as django-q2's tables)",
}


def test_every_registered_model_admin_has_a_census_case() -> None:
    registered = set(admin.site._registry)
    known = set(ADMIN_CASES) | set(ADMIN_OUTSIDE_DOMAIN)
    assert registered == known, (
        f"without a case: {sorted(m.__name__ for m in registered - known)}; "
        f"no longer registered: {sorted(m.__name__ for m in known - registered)}"
    )


@pytest.mark.parametrize("model", list(ADMIN_OUTSIDE_DOMAIN), ids=lambda m: m.__name__)
def test_admin_pages_outside_the_domain_open(
    model: type[models.Model], admin_client: Client
) -> None:
    assert admin_client.get(_url(model, "changelist")).status_code == 200


def test_operator_edits_of_sign_in_addresses_are_audited(
    admin_client: Client, operator: User
) -> None:
    person = _user("unverified@example.org")
    address = EmailAddress.objects.create(user=person, email=person.email, verified=False)
    admin_client.post(
        _url(EmailAddress, "changelist"),
        {"action": "make_verified", "_selected_action": [address.pk]},
    )
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_ACCESS_CHANGED, user=person)
    assert event.actor == operator and event.details["changes"] == {"verified": [False, True]}
    url = _url(EmailAddress, "change", address.pk)
    response = admin_client.post(url, form_data(admin_client, url, primary="on"))
    assert response.status_code == 302, _errors(response)
    changed = AuditEvent.objects.filter(user=person).order_by("-id").first()
    assert changed is not None and changed.details["changes"] == {"primary": [False, True]}
    response = admin_client.post(_url(EmailAddress, "delete", address.pk), {"post": "yes"})
    assert response.status_code == 302
    removed = AuditEvent.objects.filter(user=person).order_by("-id").first()
    assert removed is not None and removed.details["deleted"] is True


def test_an_operator_removing_a_second_factor_is_audited(
    admin_client: Client, operator: User, make_user: Callable[..., User]
) -> None:
    staff = make_user("lost-phone@example.org", mfa=True)
    totp = Authenticator.objects.get(user=staff, type="totp")
    page = admin_client.get(_url(Authenticator, "change", totp.pk)).content.decode()
    assert str(totp.data.get("secret", "no secret")) not in page
    assert admin_client.post(_url(Authenticator, "change", totp.pk), {}).status_code == 403
    response = admin_client.post(_url(Authenticator, "delete", totp.pk), {"post": "yes"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_MFA_REMOVED, user=staff)
    assert event.actor == operator and event.details == {"type": "totp", "by_operator": True}


MODELS = sorted(ADMIN_CASES, key=lambda m: m.__name__)
WRITABLE = [m for m in MODELS if not ADMIN_CASES[m].read_only]


@pytest.mark.parametrize("model", WRITABLE, ids=lambda m: m.__name__)
def test_an_admin_add_leaves_an_event_naming_the_new_row(
    model: type[models.Model], admin_client: Client
) -> None:
    case = ADMIN_CASES[model]
    entries = case.add()
    data = form_data(admin_client, _url(model, "add"), **entries)
    with census(f"add {model.__name__}") as result:
        response = admin_client.post(_url(model, "add"), data)
        assert response.status_code == 302, _errors(response)
    assert any(w.model is model and w.kind == "created" for w in result.writes)


@pytest.mark.parametrize("model", WRITABLE, ids=lambda m: m.__name__)
def test_an_admin_change_leaves_an_event_with_old_and_new_values(
    model: type[models.Model], admin_client: Client
) -> None:
    case = ADMIN_CASES[model]
    obj = case.make()
    url = _url(model, "change", obj.pk)
    data = form_data(admin_client, url, **case.change(obj))
    with census(f"change {model.__name__}") as result:
        response = admin_client.post(url, data)
        assert response.status_code == 302, _errors(response)
    changes = [e.details.get("changes") for e in result.events]
    assert any(changes), f"no event lists what changed: {[e.details for e in result.events]}"


@pytest.mark.parametrize("model", WRITABLE, ids=lambda m: m.__name__)
def test_an_admin_delete_leaves_an_event_naming_the_deleted_row(
    model: type[models.Model], admin_client: Client
) -> None:
    obj = ADMIN_CASES[model].make()
    with census(f"delete {model.__name__}") as result:
        response = admin_client.post(_url(model, "delete", obj.pk), {"post": "yes"})
        assert response.status_code == 302, _errors(response)
    assert not model._base_manager.filter(pk=obj.pk).exists()
    assert any(w.kind == "deleted" for w in result.writes)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_admin_action_leaves_an_event(
    model: type[models.Model], admin_client: Client, operator: User, rf: Any
) -> None:
    obj = ADMIN_CASES[model].make()
    request = rf.get("/")
    request.user = operator
    actions = admin.site._registry[model].get_actions(request)
    for name in actions:
        with census(f"{model.__name__} action {name}", expect_writes=False):
            response = admin_client.post(
                _url(model, "changelist"),
                {"action": name, "_selected_action": [obj.pk], "post": "yes"},
            )
            assert response.status_code == 302, f"{name}: {response.status_code}"
        if not model._base_manager.filter(pk=obj.pk).exists():
            obj = ADMIN_CASES[model].make()


def test_the_admin_actions_write_what_they_say(admin_client: Client, operator: User) -> None:
    """The loop above allows an action that changes nothing; these ones must change."""
    person = _user("promoted@example.org")
    with census("grant a role") as result:
        admin_client.post(
            _url(User, "changelist"),
            {"action": "grant_auditor", "_selected_action": [person.pk]},
        )
    assert [e.action for e in result.events] == [AuditAction.ROLE_GRANTED]
    organisation = _organisation()
    with census("verify an organisation"):
        admin_client.post(
            _url(Organisation, "changelist"),
            {"action": "verify", "_selected_action": [organisation.pk]},
        )
    platforms = [Platform.objects.create(slug=f"p{i}", name=f"P{i}") for i in range(2)]
    with census("bulk delete") as result:
        admin_client.post(
            _url(Platform, "changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [p.pk for p in platforms],
                "post": "yes",
            },
        )
    assert len([e for e in result.events if e.action == AuditAction.REFERENCE_DELETED]) == 2


@pytest.mark.parametrize(
    "model", [m for m in MODELS if ADMIN_CASES[m].read_only], ids=lambda m: m.__name__
)
def test_read_only_admin_pages_open_and_refuse_every_write(
    model: type[models.Model], admin_client: Client
) -> None:
    obj = ADMIN_CASES[model].make()
    assert admin_client.get(_url(model, "changelist")).status_code == 200
    assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200
    with census(f"refused writes to {model.__name__}", expect_writes=False) as result:
        assert admin_client.post(_url(model, "add"), {}).status_code == 403
        assert admin_client.post(_url(model, "change", obj.pk), {}).status_code == 403
        assert admin_client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert not result.writes


def _errors(response: Any) -> str:
    context = getattr(response, "context", None)
    if context and "adminform" in context:
        form = context["adminform"].form
        inlines = [f.errors for f in context.get("inline_admin_formsets", [])]
        return f"{response.status_code}: {form.errors.as_json()} {inlines}"
    return f"{response.status_code}"


# --- Inlines and the password form --------------------------------------------------------


def test_organisation_inlines_invite_change_and_remove_members_and_designations(
    admin_client: Client,
) -> None:
    organisation = _organisation()
    url = _url(Organisation, "change", organisation.pk)
    data = form_data(admin_client, url)
    data.update(
        {
            "members-TOTAL_FORMS": "1",
            "members-0-email": "Advocate@Example.org",
            "members-0-role": "admin",
            "members-0-organisation": str(organisation.pk),
            "designations-TOTAL_FORMS": "1",
            "designations-0-jurisdiction": jurisdiction("DE").pk,
            "designations-0-expertise": "Intimate images",
            "designations-0-valid_from": "2026-01-01",
            "designations-0-organisation": str(organisation.pk),
        }
    )
    with census("add inline rows") as result:
        response = admin_client.post(url, data)
        assert response.status_code == 302, _errors(response)
    actions = {e.action for e in result.events}
    assert {AuditAction.MEMBER_INVITED, AuditAction.REFERENCE_CREATED} <= actions
    membership = Membership.objects.get(organisation=organisation)
    assert membership.email == "advocate@example.org"
    designation = TrustedFlaggerDesignation.objects.get(organisation=organisation)

    data = form_data(
        admin_client,
        url,
        **{"members-0-role": "member", "designations-0-valid_until": "2027-12-31"},
    )
    with census("change inline rows") as result:
        response = admin_client.post(url, data)
        assert response.status_code == 302, _errors(response)
    changed = {e.action: e.details for e in result.events}
    assert changed[AuditAction.MEMBER_CHANGED]["changes"] == {"role": ["admin", "member"]}
    assert changed[AuditAction.REFERENCE_CHANGED]["changes"] == {
        "valid_until": [None, "2027-12-31"]
    }

    data = form_data(admin_client, url, **{"members-0-DELETE": "on", "designations-0-DELETE": "on"})
    with census("delete inline rows") as result:
        response = admin_client.post(url, data)
        assert response.status_code == 302, _errors(response)
    assert {e.action for e in result.events} >= {
        AuditAction.MEMBER_REMOVED,
        AuditAction.REFERENCE_DELETED,
    }
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not TrustedFlaggerDesignation.objects.filter(pk=designation.pk).exists()


def test_the_admin_password_form_is_audited_and_never_records_the_password(
    admin_client: Client, operator: User
) -> None:
    appellant = _user("appellant@example.org")
    url = reverse("admin:auth_user_password_change", args=[appellant.pk])
    secret = "operator-chosen passphrase 42"
    with census("set a password") as result:
        response = admin_client.post(
            url, {"password1": secret, "password2": secret, "usable_password": "true"}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_PASSWORD_SET_BY_OPERATOR)
    assert event.actor == operator and event.user == appellant
    assert event.details == {"usable": True, "own_account": False}
    appellant.refresh_from_db()
    assert appellant.check_password(secret)
    assert secret not in json.dumps([e.details for e in result.events])
    assert not AuditEvent.objects.filter(details__icontains="pbkdf2").exists()

    with census("disable password sign-in"):
        response = admin_client.post(url, {"usable_password": "false", "unset-password": "1"})
        assert response.status_code == 302
    appellant.refresh_from_db()
    assert not appellant.has_usable_password()


def test_a_refused_password_form_writes_nothing(admin_client: Client) -> None:
    appellant = _user("appellant@example.org")
    url = reverse("admin:auth_user_password_change", args=[appellant.pk])
    with census("mismatched passwords", expect_writes=False) as result:
        response = admin_client.post(
            url, {"password1": "one long phrase", "password2": "another", "usable_password": "true"}
        )
        assert response.status_code == 200
    assert not result.writes


# --- Management commands -----------------------------------------------------------------


def _appeals_commands() -> set[str]:
    return {name for name, app in get_commands().items() if app == "appeals"}


def _statements_file(tmp_path: Path) -> Path:
    rows = [
        {
            "puid": f"C{i:07d}",
            "platform_name": "Brand New Platform",
            "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
            "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
            "category": "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
            "application_date": "2026-11-01",
        }
        for i in range(3)
    ]
    path = tmp_path / "statements.json"
    path.write_text(json.dumps({"statements": rows}))
    return path


def _run_import(tmp_path: Path, operator: User) -> None:
    call_command(
        "import_statements",
        str(_statements_file(tmp_path)),
        "--by",
        operator.email,
        stdout=StringIO(),
    )


def _run_issue_token(tmp_path: Path, operator: User) -> None:
    chirp()
    out = StringIO()
    call_command("issue_platform_token", "chirp", "moderation backend", stdout=out)
    prefix = out.getvalue().split("(")[1].split("…")[0]
    call_command("issue_platform_token", "chirp", "--revoke", prefix, stdout=StringIO())
    issued = AuditEvent.objects.get(action=AuditAction.API_TOKEN_ISSUED)
    assert issued.details["via"].startswith("manage.py issue_platform_token, as ")


def _run_retention(tmp_path: Path, operator: User) -> None:
    call_command("retention", stdout=StringIO())


def _run_verify_audit(tmp_path: Path, operator: User) -> None:
    call_command("verify_audit", stdout=StringIO())


def _run_sync_schedules(tmp_path: Path, operator: User) -> None:
    call_command("sync_schedules", stdout=StringIO())


def _run_demo_totp(tmp_path: Path, operator: User) -> None:
    call_command("demo_totp", stdout=StringIO())


COMMANDS: dict[str, tuple[Callable[[Path, User], None], bool]] = {
    # name: (how to run it, whether it must write)
    "import_statements": (_run_import, True),
    "issue_platform_token": (_run_issue_token, True),
    "retention": (_run_retention, False),
    "verify_audit": (_run_verify_audit, False),
    "sync_schedules": (_run_sync_schedules, False),
    "demo_totp": (_run_demo_totp, False),
}
# Commands the census does not run, and why.
COMMANDS_EXEMPT = {
    "seed_demo": "demo only (refused in production): it builds the demo world directly and "
    "records one demo.seeded event; its service calls are checked by "
    "test_every_public_service_that_writes_leaves_an_event",
}


def test_every_appeals_command_is_in_the_census() -> None:
    assert _appeals_commands() == set(COMMANDS) | set(COMMANDS_EXEMPT)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_that_writes_leaves_an_event(
    name: str, tmp_path: Path, operator: User
) -> None:
    run, writes = COMMANDS[name]
    with census(f"manage.py {name}", expect_writes=writes):
        run(tmp_path, operator)


def test_the_import_command_names_who_ran_it_and_the_file(tmp_path: Path, operator: User) -> None:
    _run_import(tmp_path, operator)
    started = AuditEvent.objects.get(action=AuditAction.IMPORT_STARTED)
    finished = AuditEvent.objects.get(action=AuditAction.IMPORT_FINISHED)
    assert started.actor == operator == finished.actor
    assert started.details["file"] == "statements.json" and len(started.details["sha256"]) == 64
    assert started.details["via"].startswith("manage.py import_statements, as ")
    assert finished.details["created"] == 3
    created = AuditEvent.objects.get(action=AuditAction.REFERENCE_CREATED)
    assert created.platform == Platform.objects.get(name="Brand New Platform")


def test_a_web_upload_names_the_supervisor_and_the_file(
    make_user: Callable[..., User], tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    supervisor = make_user("sup@example.org", roles=(Role.SUPERVISOR,), mfa=True)
    client = sign_in(Client(), supervisor, with_mfa=True)
    content = _statements_file(tmp_path).read_bytes()
    with census("web import"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff_imports"),
            {"file": SimpleUploadedFile("upload.json", content, "application/json")},
        )
        assert response.status_code == 302
    actions = list(
        AuditEvent.objects.filter(action__startswith="import.").values_list("action", "actor")
    )
    assert actions == [
        (AuditAction.IMPORT_REQUESTED, supervisor.pk),
        (AuditAction.IMPORT_STARTED, supervisor.pk),
        (AuditAction.IMPORT_FINISHED, supervisor.pk),
    ]
    requested = AuditEvent.objects.get(action=AuditAction.IMPORT_REQUESTED)
    assert requested.details["file"] == "upload.json" and requested.details["via"] == "web upload"


# --- The auditors' actions ------------------------------------------------------------------


def test_the_auditors_checks_reports_and_exports_leave_events_naming_them(
    make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    auditor = make_user("auditor@example.org", roles=(Role.AUDITOR,), mfa=True)
    client = sign_in(Client(), auditor, with_mfa=True)
    with census("audit check"), django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("audit_verify")).status_code == 302
    requested = AuditEvent.objects.get(action=AuditAction.AUDIT_CHECK_REQUESTED)
    finished = AuditEvent.objects.get(action=AuditAction.AUDIT_CHECK_FINISHED)
    assert requested.actor == auditor and finished.details["intact"] is True
    assert requested.details["id"] == finished.details["id"]
    today = timezone.localdate().isoformat()
    with census("transparency report"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("audit_request_report"), {"start": today, "end": today})
        assert response.status_code == 302
    assert AuditEvent.objects.get(action=AuditAction.TRANSPARENCY_REPORT_REQUESTED).actor == auditor
    assert AuditEvent.objects.filter(action=AuditAction.TRANSPARENCY_REPORT_BUILT).exists()
    with census("audit export", expect_writes=False) as result:
        response = client.get(reverse("audit_export"))
        b"".join(response.streaming_content)
    assert [e.action for e in result.events] == [AuditAction.AUDIT_EXPORTED]


def test_no_view_writes_the_trail_itself() -> None:
    """Views send what services recorded: the downloads recorded on GET (the trail's
    export, a person's own data, a file opened) go through a service too."""
    views = Path(__file__).resolve().parent.parent / "appeals" / "views"
    writers = sorted(p.name for p in views.glob("*.py") if "audit_record" in p.read_text())
    assert writers == []


# --- The platform API ----------------------------------------------------------------------


def _api_views() -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLPattern) and pattern.callback.__module__ == "appeals.views.api":
            names.add(str(pattern.name))
    return names


@pytest.fixture
def api_key() -> tuple[str, Any]:
    return platform_token_issue(platform=chirp(), name="census", by=None)


def _ordered(make_user: Callable[..., User]) -> Retraction:
    reviewer = make_user("api-reviewer@example.org", roles=(Role.REVIEWER,), mfa=True)
    appeal = claimed_appeal(make_user("api-appellant@example.org"), reviewer)
    appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    return Retraction.objects.get(appeal=appeal)


def _call(method: str, name: str, key: str, args: list[Any] | None = None, body: Any = None) -> Any:
    client = Client(enforce_csrf_checks=True)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = reverse(name, args=args or [])
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


API_CALLS: dict[str, tuple[str, bool]] = {
    # name: (method, whether it writes)
    "api_openapi": ("get", False),
    "api_appeals": ("get", False),
    "api_retractions": ("get", False),
    "api_confirm": ("post", True),
    "api_dispute": ("post", True),
    "api_statements": ("post", True),
}


def test_every_api_endpoint_is_in_the_census() -> None:
    assert _api_views() == set(API_CALLS)


@pytest.mark.parametrize("name", sorted(API_CALLS))
def test_every_api_endpoint_that_writes_names_the_platform_and_the_key(
    name: str, api_key: tuple[str, Any], make_user: Callable[..., User]
) -> None:
    key, token = api_key
    method, writes = API_CALLS[name]
    args: list[Any] = []
    body: Any = None
    if name in {"api_confirm", "api_dispute"}:
        args = [_ordered(make_user).pk]
        body = (
            {"proof": "https://chirp.example/p/1 is back"}
            if name == "api_confirm"
            else {"reason": "The content is still unlawful"}
        )
    elif name == "api_statements":
        body = {
            "puid": "API-1",
            "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
            "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
            "category": "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
            "application_date": "2026-11-01",
        }
    with census(f"API {name}", expect_writes=writes) as result:
        response = _call(method, name, key, args, body)
        assert response.status_code == 200, response.content
    if writes:
        (event,) = [e for e in result.events if e.details.get("via") == "api"]
        assert event.actor is None
        assert event.details["api_key"] == {
            "id": token.pk,
            "prefix": token.prefix,
            "name": "census",
        }
        assert event.details["platform"] == {"id": token.platform_id, "slug": "chirp"}


# --- Services --------------------------------------------------------------------------------


def _course_of_a_case(make_user: Callable[..., User]) -> None:
    """One appeal through its course, and the other staff work, by the services."""
    from appeals.services import appeals as appeal_services
    from appeals.services import retractions, transparency

    reviewer = make_user("course-reviewer@example.org", roles=(Role.REVIEWER,), mfa=True)
    liaison = make_user("course-liaison@example.org", roles=(Role.PLATFORM_LIAISON,), mfa=True)
    LiaisonProfile.objects.create(user=liaison).platforms.set([chirp()])
    appellant = make_user("course-appellant@example.org")
    appeal = claimed_appeal(appellant, reviewer)
    appeal_services.appeal_message_post(appeal=appeal, author=reviewer, body="A question")
    appeal_decide(appeal=appeal, reviewer=reviewer, decision=decision_input())
    retraction = Retraction.objects.get(appeal=appeal)
    retractions.retraction_confirm(
        retraction=retraction, liaison=liaison, proof="Restored", done_at=timezone.now()
    )
    auditor = make_user("course-auditor@example.org", roles=(Role.AUDITOR,), mfa=True)
    check = transparency.audit_check_request(by=auditor)
    transparency.audit_check_run(check_id=check.pk)
    today = timezone.localdate()
    report = transparency.transparency_report_request(start=today, end=today, by=auditor)
    transparency.transparency_report_build(report_id=report.pk)


@pytest.fixture
def tracker() -> Iterator[write_census.ServiceTracker]:
    tracker = write_census.ServiceTracker(
        for_an_audited_caller=frozenset(write_census.FOR_AN_AUDITED_CALLER)
    )
    tracker.install()
    try:
        yield tracker
    finally:
        tracker.uninstall()


def test_every_public_service_that_writes_leaves_an_event(
    tracker: write_census.ServiceTracker, make_user: Callable[..., User]
) -> None:
    call_command("seed_demo", stdout=StringIO())
    _course_of_a_case(make_user)
    assert not tracker.silent, f"services that wrote without an audit event: {tracker.silent}"
    assert {"decisions.appeal_decide", "transparency.audit_check_run"} <= tracker.called


def test_every_public_service_is_exercised_or_said_not_to_write() -> None:
    """A new public service either gets exercised by this module or gets a reason here."""
    known = set(write_census.SERVICES_NOT_WRITING) | WRITING_SERVICES
    unknown = set(write_census.public_services()) - known
    assert not unknown, f"public services the census does not know: {sorted(unknown)}"


# Public services that write: each call is checked by the service census, here while
# the demo is seeded and a case runs its course, and over the whole suite
# (tests/write_census_plugin.py, on in every pytest run).
WRITING_SERVICES = {
    "appeals.appeal_submit",
    "appeals.appeal_request_information",
    "appeals.appeal_message_post",
    "appeals.appeal_withdraw",
    "assignment.appeal_claim",
    "assignment.appeal_assign",
    "assignment.appeal_release",
    "assignment.appeal_auto_assign",
    "assignment.appeal_flag_for_second_review",
    "corrections.decision_correct",
    "deadlines.deadline_emails_send",
    "deadlines.deadlines_sweep",
    "deadlines.escalation_handle",
    "drafts.draft_start",
    "drafts.draft_save_step",
    "drafts.draft_forget_step",
    "drafts.draft_visit",
    "decisions.appeal_decide",
    "decisions.decision_approve",
    "decisions.decision_return",
    "evidence.evidence_add",
    "evidence.evidence_remove_from_draft",
    "evidence.evidence_record_opening",
    "audit.audit_export_record",
    "audit.data_export_record",
    "imports.import_request",
    "imports.import_statements",
    "letters.letter_request",
    "letters.letters_supersede",
    "letters.letter_retry_due",
    "letters.letter_render",
    "misuse.misuse_mark",
    "misuse.sanction_contest",
    "organisations.organisation_verify",
    "organisations.member_invite",
    "organisations.member_invite_by_operator",
    "organisations.member_change_by_operator",
    "organisations.member_remove_by_operator",
    "organisations.memberships_activate",
    "platform_api.platform_token_issue",
    "platform_api.platform_token_revoke",
    "platform_api.statements_receive",
    "platform_api.retraction_confirm_by_platform",
    "platform_api.retraction_dispute_by_platform",
    "reference_data.reference_save",
    "reference_data.reference_delete",
    "reports.report_file",
    "reports.report_link_revoke",
    "reports.referral_update",
    "reports.referral_contest",
    "retention.retention_run",
    "retractions.retractions_order",
    "retractions.retraction_confirm",
    "retractions.retraction_dispute",
    "retractions.compensation_offer",
    "retractions.compensation_accept",
    "retractions.compensation_paid",
    "retractions.retractions_cancel_for",
    "accounts.account_password_disable_unproven",  # with the pre-hijacking fix
    "roles.role_grant",
    "roles.role_revoke",
    "roles.user_save_from_admin",
    "roles.user_password_set_by_operator",
    "roles.users_delete_by_operator",
    "roles.email_address_save_by_operator",
    "roles.email_addresses_verify_by_operator",
    "roles.email_addresses_delete_by_operator",
    "roles.authenticators_remove_by_operator",
    "transparency.transparency_report_request",
    "transparency.transparency_report_build",
    "transparency.audit_check_request",
    "transparency.audit_check_run",
}


# --- Tables outside the domain --------------------------------------------------------------


def test_every_table_is_a_domain_table_or_exempt_with_a_reason() -> None:
    tables = set(connection.introspection.table_names())
    domain = set(write_census.DOMAIN_TABLES)
    outside = {t for t in tables - domain if not t.startswith(tuple(OUTSIDE_DOMAIN))}
    assert not outside, f"tables that are neither domain tables nor exempt: {sorted(outside)}"


# --- The instruments themselves ---------------------------------------------------------------


def test_the_census_fails_for_a_write_no_event_names() -> None:
    germany = jurisdiction("DE")
    from appeals.services.audit import audit_record

    with pytest.raises(AssertionError, match="and no audit event"), census("silent"):
        Jurisdiction.objects.filter(pk=germany.pk).update(name="Deutschland")
    platform = chirp()
    with pytest.raises(AssertionError, match=r"no audit event names appeals\.jurisdiction"):  # noqa: SIM117
        with census("an event about something else"):
            Jurisdiction.objects.filter(pk=germany.pk).update(name="Allemagne")
            audit_record(action=AuditAction.REFERENCE_CHANGED, target=platform)


def test_the_service_tracker_catches_a_service_that_writes_silently(
    tracker: write_census.ServiceTracker, make_user: Callable[..., User]
) -> None:
    from appeals.models import AuditCheck

    def silent(*, by: User) -> AuditCheck:
        return AuditCheck.objects.create(requested_by=by)

    tracker._wrap("tests.silent", silent)(by=make_user())
    assert tracker.silent == {"tests.silent": ["appeals_auditcheck"]}


def test_a_known_gap_that_is_now_audited_is_reported_for_removal(
    make_user: Callable[..., User],
) -> None:
    from appeals.models import AuditCheck
    from appeals.services.audit import audit_record

    def now_audited(*, by: User) -> None:
        AuditCheck.objects.create(requested_by=by)
        audit_record(action=AuditAction.AUDIT_CHECK_REQUESTED, actor=by)

    def still_silent(*, by: User) -> None:
        AuditCheck.objects.create(requested_by=by)

    tracker = write_census.ServiceTracker(known_gaps=frozenset({"gap.fixed", "gap.open"}))
    tracker._wrap("gap.fixed", now_audited)(by=make_user())
    tracker._wrap("gap.open", still_silent)(by=make_user())
    assert tracker.gaps_closed == {"gap.fixed"} and not tracker.silent
