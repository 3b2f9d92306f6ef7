"""What the portal holds about one person, for them to download."""

from __future__ import annotations

from typing import Any

from appeals.models import Appeal, AppealMessage, HarmReport, Membership, Sanction, User


def personal_data_for(user: User) -> dict[str, Any]:
    appeals = Appeal.objects.filter(appellant=user).select_related(
        "takedown__platform", "jurisdiction"
    )
    return {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "appeals": [
            {
                "reference": a.reference,
                "status": a.status,
                "platform": a.takedown.platform.name,
                "jurisdiction": a.jurisdiction.code,
                "filed_at": a.filed_at.isoformat(),
                "informed_on": a.informed_on.isoformat(),
                "grounds": a.grounds,
                "late_reason": a.late_reason,
                "remedies": a.remedies,
                "language": a.language,
                "content_url": a.takedown.content_url,
            }
            for a in appeals.order_by("filed_at")
        ],
        "messages_written": [
            {"appeal": m.appeal.reference, "at": m.created_at.isoformat(), "body": m.body}
            for m in AppealMessage.objects.filter(author=user)
            .select_related("appeal")
            .order_by("created_at")
        ],
        "reports_filed": [
            {
                "reference": r.reference,
                "filed_at": r.filed_at.isoformat(),
                "categories": r.categories,
                "victim_reference": r.victim_reference,
                "explanation": r.explanation,
                "addresses": list(r.locations.values_list("url", flat=True)),
            }
            for r in HarmReport.objects.filter(filed_by=user).order_by("filed_at")
        ],
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role}
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "sanctions": [
            {
                "kind": s.kind,
                "reasons": s.reasons,
                "from": s.starts_at.isoformat(),
                "until": s.ends_at.isoformat() if s.ends_at else None,
            }
            for s in Sanction.objects.filter(user=user)
        ],
    }
