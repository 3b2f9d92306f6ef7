"""Sentences about a case, written in Python because list pages show one per row
(a template include per row cost more than the rest of the list, see make bench)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from appeals.models import Appeal

register = template.Library()


def _day(moment: datetime | None, zone: str) -> str:
    if moment is None:
        return ""
    return date_format(timezone.localtime(moment, ZoneInfo(zone)), "j F Y")


@register.filter
def status_sentence(appeal: Appeal) -> str:
    """Where the appeal stands, in words, with the date the appellant can expect
    (in the case's jurisdiction's time zone)."""
    zone = appeal.jurisdiction.time_zone
    due = _day(appeal.due_at, zone)
    status = appeal.status
    if status == "submitted":
        return _(
            "We have your appeal. A reviewer will look at it soon. "
            "You will have our decision by %(due)s."
        ) % {"due": due}
    if status == "under_review":
        return _("A reviewer is looking at your appeal. You will have our decision by %(due)s.") % {
            "due": due
        }
    if status == "awaiting_second_review":
        return _(
            "A second reviewer is checking the decision on your appeal. "
            "You will have our decision by %(due)s."
        ) % {"due": due}
    if status == "awaiting_appellant":
        return _(
            "We asked you a question. Answer it so that we can continue. "
            "The time we take is paused until you answer."
        )
    if status == "decided":
        return _("We decided your appeal on %(day)s.") % {"day": _day(appeal.decided_at, zone)}
    if status == "withdrawn":
        return _("You withdrew this appeal on %(day)s.") % {"day": _day(appeal.closed_at, zone)}
    return ""
