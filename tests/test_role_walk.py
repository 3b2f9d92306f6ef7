"""A walk through the demo as every role (STYLE.md, "Tests": a role walk).

``seed_demo`` loads the demo data, then each demo account signs in (staff with
their password and the demo authenticator code) and follows every same-site
link its pages show, breadth-first from its landing page, until no link is new.
No page may answer 5xx, and no link the portal rendered may answer 404 (or
405, a link to an address that takes only a form's POST): the
seams between features (an escalation of a report on a page built for appeals,
a decided case hidden from its decider) break here first.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from appeals.demo.accounts import DEMO_USERS, DemoUser, demo_totp_code
from appeals.models import Decision, Escalation, Jurisdiction, Platform
from appeals.services.reports import Location, ReportSubmission, report_file

pytestmark = pytest.mark.django_db

# Far above what the demo shows (about a hundred pages for the busiest role);
# reaching it fails the walk instead of silently leaving pages out.
PAGE_LIMIT = 2500

# Query parameters that page through a list: every value is a page of its own.
PAGING_PARAMETERS = frozenset({"after", "before", "page", "p", "cursor"})

# Links the walk does not follow: signing out ends the walk, the language switch
# is a form, files under /static/ are not pages.
SKIPPED_PREFIXES = ("/static/", "/media/", "/i18n/")

# An admin object's pages (change, history, delete) are one template per model:
# the walk opens the first of each model rather than every row of every table.
ADMIN_OBJECT = re.compile(
    r"^/admin/(?P<model>[a-z_]+/[a-z_]+)/[^/]+/(?P<view>change|history|delete)/$"
)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def walk_key(path: str, query: str) -> str:
    """What makes a page new: its path, the values of paging parameters, and the
    names (not the values) of other parameters, so filter links do not multiply.
    In the admin, whose filters combine into every subset of themselves, only
    paging counts."""
    admin = ADMIN_OBJECT.match(path)
    if admin:
        return f"/admin/{admin['model']}/*/{admin['view']}/"
    pairs = parse_qsl(query, keep_blank_values=True)
    paging = sorted((k, v) for k, v in pairs if k in PAGING_PARAMETERS)
    others = sorted({k for k, _ in pairs if k not in PAGING_PARAMETERS})
    if path.startswith("/admin/"):
        others = []
        pairs = paging
    return f"{path}?{urlencode(paging)}&{','.join(others)}" if pairs else path


@dataclass
class WalkResult:
    role: str
    visited: dict[str, int] = field(default_factory=dict)  # url -> status
    problems: list[str] = field(default_factory=list)

    def report(self) -> str:
        pages = "\n  ".join(f"{status} {url}" for url, status in sorted(self.visited.items()))
        problems = "\n  ".join(self.problems)
        return (
            f"Walk as {self.role}: {len(self.visited)} pages.\nProblems:\n  {problems}\n"
            f"Pages visited:\n  {pages}"
        )


def _same_site(base: str, href: str, skipped: frozenset[str]) -> str | None:
    """The absolute path (with query) of a link to follow, or None."""
    href = href.strip()
    if href.startswith(("mailto:", "tel:", "javascript:", "data:")) or href.startswith("#"):
        return None
    url, _fragment = urldefrag(urljoin(base, href))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc not in ("testserver", ""):
        return None
    if parts.path.startswith(SKIPPED_PREFIXES) or parts.path in skipped:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def walk(client: Client, role: str, start: Iterable[str]) -> WalkResult:
    """Follow every same-site link breadth-first from ``start`` until none is new."""
    skipped = frozenset({reverse("account_logout"), reverse("admin:logout")})
    result = WalkResult(role)
    seen: set[str] = set()
    queue: deque[tuple[str, str]] = deque()
    for url in start:
        seen.add(walk_key(*_split(url)))
        queue.append((url, "(start)"))
    while queue:
        if len(result.visited) >= PAGE_LIMIT:
            result.problems.append(
                f"The walk reached its limit of {PAGE_LIMIT} pages with {len(queue)} "
                "links still to follow: raise PAGE_LIMIT or normalise the new links."
            )
            break
        url, found_on = queue.popleft()
        response = client.get(url)
        status = response.status_code
        result.visited[url] = status
        # 405: a link to an address that only takes a form's POST.
        if status >= 500 or status in (404, 405):
            result.problems.append(f"{status} {url} (linked from {found_on})")
            continue
        targets: list[str] = []
        if status in (301, 302, 303, 307, 308):
            targets = [response["Location"]]
        elif status == 200 and response.get("Content-Type", "").startswith("text/html"):
            targets = links_in(response.content.decode())
        for href in targets:
            target = _same_site("http://testserver" + url, href, skipped)
            if target is None:
                continue
            key = walk_key(*_split(target))
            if key not in seen:
                seen.add(key)
                queue.append((target, url))
    return result


def _split(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path, parts.query


def _signed_in(demo: DemoUser) -> tuple[Client, str]:
    """Sign in as a person would (password, then the authenticator code for staff);
    the client and the page the sign-in lands on."""
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("account_login"), {"login": demo.email, "password": demo.password}
    )
    assert response.status_code == 302, f"{demo.email} could not sign in"
    if demo.needs_mfa:
        assert response.url == reverse("mfa_authenticate")
        for _attempt in range(2):  # a code taken just before the 30 s step may expire
            response = client.post(reverse("mfa_authenticate"), {"code": demo_totp_code()})
            if response.status_code == 302:
                break
        assert response.status_code == 302, f"{demo.email}: the authenticator code was refused"
    return client, response.url


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", verbosity=0)


def _start(demo: DemoUser) -> tuple[Client, list[str]]:
    """Where a demo account's walk starts: the page its sign-in lands on, the home
    page, their cases and, for staff, the staff area."""
    client, landing = _signed_in(demo)
    start = [landing, reverse("home"), reverse("my_cases")]
    if demo.needs_mfa:
        start.append(reverse("staff_home"))
    return client, list(dict.fromkeys(start))


def test_every_demo_account_and_the_anonymous_visitor_follow_every_link_without_an_error(
    demo: None,
) -> None:
    """One seeding for every walk (it is the slow part); the failure names each
    role with its problems and the pages it visited."""
    walks = []
    for account in DEMO_USERS:
        client, start = _start(account)
        walks.append(walk(client, account.email, start))
    walks.append(
        walk(Client(raise_request_exception=False), "an anonymous visitor", [reverse("home")])
    )
    failed = [result for result in walks if result.problems]
    assert not failed, "\n\n".join(result.report() for result in failed)
    # The seams the demo holds are on the pages the walks reached.
    by_role = {result.role: result.visited for result in walks}
    assert reverse("supervisor_deadlines") in by_role["supervisor@example.org"]
    reviewer = by_role["reviewer@example.org"]
    decided = Decision.objects.filter(decided_by__email="reviewer@example.org")
    assert any(reverse("review_case", args=[d.appeal.reference]) in reviewer for d in decided), (
        "the reviewer's walk reached none of the cases they decided"
    )
    supervisor = by_role["supervisor@example.org"]
    for escalation in Escalation.objects.filter(handled_at__isnull=True).select_related(
        "appeal", "report"
    ):
        if escalation.appeal:
            assert reverse("review_case", args=[escalation.appeal.reference]) in supervisor
        elif escalation.report:
            assert reverse("staff_report", args=[escalation.report.reference]) in supervisor


def test_an_anonymous_victim_follows_their_report_by_its_link(demo: None) -> None:
    """A threat to life reported without an account: the victim follows it by the
    secret link, and the supervisors' escalations page still opens."""
    chirp = Platform.objects.get(slug="chirp")
    filed = report_file(
        submission=ReportSubmission(
            categories=["doxxing"],
            explanation="My address is posted with a threat to come to my house.",
            locations=[Location(url="https://chirp.example/p/walk", platform=chirp)],
            jurisdictions=[Jurisdiction.objects.get(code="DE")],
            victim_reference="",
            consent_given_by="victim",
            consent_scope="Reporting to the platform and the police.",
            requested_actions=["removal"],
            good_faith=True,
            threat_to_life=True,
            reporter_name="Jo Doe",
            reporter_email="jo@example.net",
        ),
        filed_by=None,
    )
    assert filed.link_token
    link = reverse("report_track_link", args=[filed.link_token])
    result = walk(Client(raise_request_exception=False), "an anonymous victim", [link])
    assert not result.problems, result.report()
    assert reverse("report_status", args=[filed.report.reference]) in result.visited

    supervisor = next(d for d in DEMO_USERS if d.email.startswith("supervisor@"))
    page = _signed_in(supervisor)[0].get(reverse("supervisor_deadlines"))
    assert page.status_code == 200
    assert filed.report.reference in page.content.decode()
