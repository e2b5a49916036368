"""Which version of the CV and cover letter gets answers: the answer rate and the interview rate
of the applications sent with each version, side by side with their 95% intervals, and whether two
versions can be told apart yet (Progress, the versions section on Outcomes, `rebound diagnose`).

Pure (no SQL, no Streamlit, no pandas): it reads the path rows of
InsightsRepository.funnel_paths_by_age (each with the application's cv_version_id and
letter_version_id) and the versions of store.materials.all(include_deleted=True). Rates are counted
as the diagnosis counts its first step (rebound.insights.diagnosis.step_rate, one implementation,
with its Wilson interval): an application counts once its answer is known, or once it has had
SETTLE_DAYS without one; one the user withdrew before an answer is not a "no".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rebound.insights.diagnosis import MIN_STEP, SETTLE_DAYS, StepRate, step_rate

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Mapping, Sequence

KIND_NAMES = {"cv": "CV", "cover_letter": "cover letter"}
_COLUMN = {"cv": "cv_version_id", "cover_letter": "letter_version_id"}


@dataclass(frozen=True)
class VersionRate:
    version_id: int
    kind: str  # cv, cover_letter
    label: str  # as the user wrote it (shown literally)
    made_on: dt.date | None
    deleted: bool
    applications: int  # every application sent with it, answered or not
    answer: StepRate  # got any answer, of those whose answer is known
    interview: StepRate  # reached an interview, of the same

    @property
    def name(self) -> str:
        """The label as shown everywhere: a deleted version says so."""
        return f"deleted version: {self.label}" if self.deleted else self.label

    def as_json(self) -> dict[str, Any]:
        """One entry of `rebound diagnose --json`'s by_version."""

        def num(value: float) -> float | None:
            return None if math.isnan(value) else round(value, 4)

        return {
            "version": self.label,
            "kind": self.kind,
            "deleted": self.deleted,
            "made_on": self.made_on.isoformat() if self.made_on else None,
            "applications": self.applications,
            "known": self.answer.of,
            "answered": self.answer.through,
            "answer_rate": num(self.answer.rate),
            "answer_low": num(self.answer.low),
            "answer_high": num(self.answer.high),
            "interviews": self.interview.through,
            "interview_rate": num(self.interview.rate),
            "interview_low": num(self.interview.low),
            "interview_high": num(self.interview.high),
        }


def version_rates(paths: Sequence[Mapping[str, Any]], versions: Iterable[Mapping[str, Any]]) -> list[VersionRate]:
    """Each version's rates (CVs first, then cover letters, each oldest first), over the paths given."""
    rates = []
    ordered = sorted(versions, key=lambda v: (list(_COLUMN).index(str(v["kind"])), v["made_on"], v["id"]))
    for v in ordered:
        column = _COLUMN[str(v["kind"])]
        mine = [p for p in paths if p.get(column) == v["id"]]
        rates.append(
            VersionRate(
                int(v["id"]),
                str(v["kind"]),
                str(v["label"]),
                v.get("made_on"),
                bool(v.get("deleted")),
                sum(int(p["n"]) for p in mine),
                step_rate(mine, "response", "Applied → Answer"),
                step_rate(mine, "interviewed", "Applied → Interview"),
            )
        )
    return rates


def unrecorded(paths: Sequence[Mapping[str, Any]], kind: str) -> int:
    """How many applications have no version of `kind` recorded (imports, the demo, mail, or older ones)."""
    return sum(int(p["n"]) for p in paths if p.get(_COLUMN[kind]) is None)


def _pct(s: StepRate) -> str:
    return f"{s.low * 100:.0f}–{s.high:.0%}"


def _overlap(a: StepRate, b: StepRate) -> bool:
    return a.low <= b.high and b.low <= a.high


def compare(a: VersionRate, b: VersionRate) -> str:
    """Whether versions `a` and `b` (of one kind) can be told apart yet, in one sentence."""
    names = f"“{a.name}” and “{b.name}”"
    if a.answer.of < MIN_STEP or b.answer.of < MIN_STEP:
        return (
            f"{names} cannot be told apart yet: too few applications with an answer or {SETTLE_DAYS} days "
            f"old ({a.answer.of} and {b.answer.of}; at least {MIN_STEP} each to compare)."
        )
    for what, x, y in (("answers", a.answer, b.answer), ("interviews", a.interview, b.interview)):
        if not _overlap(x, y):
            better, worse = (a, b) if x.rate > y.rate else (b, a)
            bx, wx = (x, y) if x.rate > y.rate else (y, x)
            return (
                f"“{better.name}” gets {what} more often than “{worse.name}” ({bx.rate:.0%}, likely {_pct(bx)}, "
                f"against {wx.rate:.0%}, likely {_pct(wx)}): more than chance would explain."
            )
    return (
        f"{names} cannot be told apart yet: their likely answer rates overlap ({_pct(a.answer)} and "
        f"{_pct(b.answer)}), so the difference could be chance."
    )


def notes(rates: Sequence[VersionRate]) -> list[str]:
    """For each kind, each version against the one before it (by date): can they be told apart yet?
    One version of a kind: how to start comparing."""
    said = []
    for kind, name in KIND_NAMES.items():
        mine = [r for r in rates if r.kind == kind]
        if len(mine) == 1:
            said.append(f"One {name} version so far: when you change your {name}, add the new version to compare them.")
        said.extend(compare(before, after) for before, after in zip(mine, mine[1:]))
    return said
