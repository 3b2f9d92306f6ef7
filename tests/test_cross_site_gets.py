"""GETs that record something are refused when another site starts them (issue 18,
finding 11): a link or an image elsewhere must not open evidence or export data in a
signed-in person's name. Browsers say where a request came from in Sec-Fetch-Site."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from appeals.models import AuditEvent
from tests.test_census import _client, world  # noqa: F401  (world: a fixture)

pytestmark = pytest.mark.django_db

# Each GET that writes an audit event (or hands out an export), and who may use it.
SIDE_EFFECTING_GETS = [
    ("reviewer_de", "review_evidence"),
    ("auditor", "audit_export"),
    ("appellant_a", "my_data"),
    ("advocate_a", "advocate_export"),
]


@pytest.mark.parametrize(("role", "name"), SIDE_EFFECTING_GETS)
@pytest.mark.parametrize("origin", ["cross-site", "same-site"])
def test_a_recording_get_started_by_another_site_is_refused_and_records_nothing(
    world: dict[str, Any],  # noqa: F811
    role: str,
    name: str,
    origin: str,
) -> None:
    client = _client(world, role)
    before = AuditEvent.objects.count()
    response = client.get(
        reverse(name, args=world["args"].get(name, [])), headers={"sec-fetch-site": origin}
    )
    assert response.status_code == 403
    assert "Open this from the portal" in response.content.decode()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(("role", "name"), SIDE_EFFECTING_GETS)
@pytest.mark.parametrize("origin", ["same-origin", "none", None])
def test_a_recording_get_from_the_portal_a_bookmark_or_an_old_browser_works(
    world: dict[str, Any],  # noqa: F811
    role: str,
    name: str,
    origin: str | None,
) -> None:
    client = _client(world, role)
    headers = {"sec-fetch-site": origin} if origin else {}
    response = client.get(reverse(name, args=world["args"].get(name, [])), headers=headers)
    assert response.status_code == 200


def test_the_refusal_is_in_the_persons_language(
    world: dict[str, Any],  # noqa: F811
) -> None:
    """Needs the de entries of /work/tr/acct.de.po merged into locale/."""
    client = _client(world, "auditor")
    response = client.get(
        reverse("audit_export"),
        headers={"sec-fetch-site": "cross-site", "accept-language": "de"},
    )
    assert response.status_code == 403
    assert "Öffnen Sie dies im Portal" in response.content.decode()


def test_reading_pages_still_open_from_links_elsewhere(
    world: dict[str, Any],  # noqa: F811
) -> None:
    """A link in an email or another site to a case page records nothing and works."""
    client = _client(world, "appellant_a")
    url = reverse("appeal_detail", args=world["args"]["appeal_detail"])
    assert client.get(url, headers={"sec-fetch-site": "cross-site"}).status_code == 200
