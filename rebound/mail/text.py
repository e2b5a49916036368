"""One line per finding, the same in the CLI and the app:
"Rejected by Acme, Inc. (Data Analyst) on 22 Nov 2026 — reason they gave: '…'"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rebound.dates import fmt_date

if TYPE_CHECKING:
    import datetime as dt

KIND_LABELS = {
    "rejection": "Rejection",
    "interview": "Interview invitation",
    "assessment": "Assessment",
    "offer": "Offer",
    "received": "Application received",
}
KIND_ICONS = {"rejection": "🌧️", "interview": "🗣️", "assessment": "🧩", "offer": "🎉", "received": "📨"}
_STAGE_LABELS = {"screen": "Screen invitation", "final": "Final-round invitation"}


def headline(
    kind: str,
    company: str | None,
    role: str | None,
    day: dt.date | None = None,
    reason: str | None = None,
    stage: str | None = None,
) -> str:
    who = company or "an employer not named"
    what = f"{who} ({role})" if role else who
    when = f" on {fmt_date(day)}" if day is not None else ""
    if kind == "rejection":
        text = f"Rejected by {what}{when}"
        return text + (f" — reason they gave: ‘{reason}’" if reason else "")
    if kind == "interview":
        return f"{_STAGE_LABELS.get(stage or '', 'Interview invitation')} from {what}{when}"
    if kind == "assessment":
        return f"Assessment (test or take-home) from {what}{when}"
    if kind == "offer":
        return f"Offer from {what}{when}"
    return f"Application received by {what}{when}"
