"""The portal's pages live in appeals/urls.py, one group per audience; portal/urls.py
adds only the admin, the sign-in pages and the language switch."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from appeals import urls as appeals_urls

GROUPS = (
    "public",
    "filing",
    "appellant",
    "reports",
    "advocate",
    "review",
    "supervise",
    "liaison",
    "audit",
    "staff",
    "api",
)


def test_every_page_of_the_portal_is_in_one_audience_group() -> None:
    grouped = [p for g in GROUPS for p in getattr(appeals_urls, f"{g}_patterns")]
    assert grouped == appeals_urls.urlpatterns
    names = [p.name for p in grouped]
    assert len(names) == len(set(names)) and all(names)
    top = get_resolver().url_patterns
    assert [p for p in top if isinstance(p, URLPattern)] == appeals_urls.urlpatterns
    assert {str(p.pattern) for p in top if isinstance(p, URLResolver)} == {
        "accounts/",
        "i18n/",
        "admin/",
    }
