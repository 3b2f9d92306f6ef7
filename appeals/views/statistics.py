"""Public transparency statistics: no sign-in, small counts suppressed."""

from __future__ import annotations

import io
import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from appeals.forms.statistics import StatisticsForm
from appeals.selectors.statistics import (
    Filters,
    Period,
    flatten,
    published_statistics,
    transparency_report_published,
    transparency_reports_published,
)
from appeals.views.files import attachment, csv_writer


def _figures(request: HttpRequest) -> tuple[StatisticsForm, dict[str, Any]]:
    form = StatisticsForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    period = Period.parse(data.get("period", ""), today=timezone.localdate())
    filters = Filters(
        jurisdiction=data.get("jurisdiction", ""),
        platform=data.get("platform", ""),
        category=data.get("category", ""),
    )
    return form, published_statistics(period, filters)


def _chart(
    title: str, counts: dict[str, int | None], labels: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Bars for an accessible SVG chart; suppressed values are left out of the bars
    and named in the table beside it."""
    labels = labels or {}
    shown = {k: v for k, v in counts.items() if v}
    top = max(shown.values(), default=0)
    bars = [
        {
            "label": str(labels.get(key, key or _("Not stated"))),
            "value": value,
            "width": round(300 * value / top) if top else 0,
            "y": 10 + index * 28,
        }
        for index, (key, value) in enumerate(sorted(shown.items(), key=lambda kv: -kv[1]))
    ]
    rows = [
        {"label": str(labels.get(key, key or _("Not stated"))), "value": value}
        for key, value in sorted(counts.items())
    ]
    return {"title": title, "bars": bars, "rows": rows, "height": 20 + 28 * max(len(bars), 1)}


@require_safe
def statistics_page(request: HttpRequest) -> HttpResponse:
    from appeals.models import Outcome

    form, figures = _figures(request)
    charts = [
        _chart(
            str(_("Appeals decided, by outcome")),
            figures["appeals"]["outcomes"],
            dict(Outcome.choices),
        ),
        _chart(
            str(_("Appeals received, by jurisdiction")),
            figures["appeals"]["received_by_jurisdiction"],
        ),
        _chart(str(_("Harm reports received, by category")), figures["reports"]["by_category"]),
    ]
    return render(
        request,
        "public/statistics.html",
        {
            "form": form,
            "figures": figures,
            "charts": charts,
            "query": request.GET.urlencode(),
            "reports": transparency_reports_published()[:20],
        },
    )


@require_safe
def statistics_json(request: HttpRequest) -> JsonResponse:
    _form, figures = _figures(request)
    response = JsonResponse(figures, json_dumps_params={"ensure_ascii": False, "indent": 1})
    return attachment(response, "statistics.json")


def _csv(rows: list[tuple[str, Any]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["figure", "value"])
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return attachment(response, filename)


@require_safe
def statistics_csv(request: HttpRequest) -> HttpResponse:
    _form, figures = _figures(request)
    return _csv(flatten(figures), "statistics.csv")


@require_safe
def transparency_report_download(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    report = transparency_report_published(report_id)
    if report is None or fmt not in ("json", "csv"):
        raise Http404
    name = f"transparency-{report.period_start}-{report.period_end}.{fmt}"
    if fmt == "csv":
        return _csv(flatten(report.result or {}), name)
    response = HttpResponse(
        json.dumps(report.result, ensure_ascii=False, indent=1), content_type="application/json"
    )
    return attachment(response, name)
