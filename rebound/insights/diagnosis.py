"""The diagnosis of a search: which step of the funnel loses the user most, said in one sentence
with its numbers and how sure it is, and the lever it points to (Progress, `rebound diagnose`).

Pure, and without pandas (Today shows it, and Today loads no pandas): it reads the path rows of
InsightsRepository.funnel_paths_by_age (channel, reached, responded, outcome, settled, recent, n) and the steps in rebound/content/diagnosis.toml.

A step's rate counts only applications whose answer at that step is known: an application still
open there is waiting, not lost (and for the first step, one sent in the last SETTLE_DAYS has not
had time for an answer), and one the user withdrew was not turned down. Each rate carries a 95%
Wilson interval, so 1 of 4 reads as "likely 5–70%", never as a bare 25%. Steps differ in what is
normal, so the step that loses most is the one furthest below its reference rate.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from rebound import content

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from rebound.insights.materials import VersionRate

    PathRow = Mapping[str, Any]  # one row of funnel_paths_by_age

SETTLE_DAYS = 21  # an application younger than this has not had time for an answer
RECENT_DAYS = 91  # "your last three months", against everything before
MIN_APPLICATIONS = 10  # below this many answered-or-settled applications, no diagnosis
MIN_STEP = 5  # a step is judged only with at least this many known answers
Z = 1.959964  # 95%

# What reaching a step means, by its stage: the level an application must have reached before it
# (None: every application) and the test of getting through it. `reached` levels: 0 applied,
# 1 screen, 2 interview, 3 offer (rebound.vocab.FUNNEL_NODES).
# "interviewed" is not a step of the funnel: applications that reached an interview, of all whose first
# answer is known (counted like "response"), the interview rate per CV version (rebound.insights.materials).
_FROM: dict[str, str | int | None] = {
    "response": None,
    "screen": "responded",
    "interview": 1,
    "offer": 2,
    "interviewed": None,
}
_THROUGH: dict[str, str | int] = {"response": "responded", "screen": 1, "interview": 2, "offer": 3, "interviewed": 2}


@dataclass(frozen=True)
class StepRate:
    stage: str
    step: str  # "Applied → Response"
    of: int  # applications whose answer at this step is known
    through: int  # … of which got through
    low: float
    high: float

    @property
    def rate(self) -> float:
        return self.through / self.of if self.of else math.nan

    def as_json(self) -> dict:
        nan = math.isnan
        return {
            "step": self.step,
            "from": self.of,
            "to": self.through,
            "rate": None if nan(self.rate) else round(self.rate, 4),
            "low": None if nan(self.low) else round(self.low, 4),
            "high": None if nan(self.high) else round(self.high, 4),
        }

    def shown(self) -> str:
        """'12 of 140 (9%, likely 5–14%)' (the 95% interval); '0 of 0' when nothing is known yet."""
        if not self.of:
            return "0 of 0"
        return f"{self.through:,} of {self.of:,} ({self.rate:.0%}, likely {self.low * 100:.0f}–{self.high:.0%})"


@dataclass(frozen=True)
class Diagnosis:
    stage: str | None  # the step that loses most, None until there is enough to say
    verdict: str
    funnel: list[StepRate]
    by_channel: list[tuple[str, StepRate]] = field(default_factory=list)  # the diagnosed step, per channel
    by_period: list[tuple[str, StepRate]] = field(default_factory=list)  # … recent months and before
    lever: str = ""
    page: str = ""  # a rebound.ui.nav page key, where the lever is worked on
    link: str = ""
    sure: bool = False  # the step is below its reference beyond its interval
    by_version: list[VersionRate] = field(default_factory=list)  # answer and interview rates per CV version

    def as_json(self) -> dict:
        """The object `rebound diagnose --json` prints."""
        return {
            "stage": self.stage,
            "verdict": self.verdict,
            "lever": self.lever or None,
            "funnel": [s.as_json() for s in self.funnel],
            "by_channel": [{"channel": c, **s.as_json()} for c, s in self.by_channel],
            "by_period": [{"period": p, **s.as_json()} for p, s in self.by_period],
            "by_version": [v.as_json() for v in self.by_version],  # rebound.insights.materials.VersionRate
        }


@functools.cache
def steps() -> tuple[dict, ...]:
    return tuple(content.load("diagnosis.toml")["steps"])


def wilson(through: int, of: int) -> tuple[float, float]:
    """The 95% Wilson score interval of through/of: honest at 0, at 1 and on a handful of cases."""
    if of <= 0:
        return math.nan, math.nan
    p = through / of
    centre = p + Z * Z / (2 * of)
    half = Z * math.sqrt(p * (1 - p) / of + Z * Z / (4 * of * of))
    scale = 1 + Z * Z / of
    return max(0.0, (centre - half) / scale), min(1.0, (centre + half) / scale)


def _passed(path: PathRow, test: str | int | None) -> bool:
    if test is None:
        return True
    if test == "responded":
        return bool(path["responded"])
    return int(path["reached"]) >= int(test)


def step_rate(paths: Sequence[PathRow], stage: str, step: str) -> StepRate:
    """One step's rate over the paths given: only applications whose answer at the step is known."""
    of = through = 0
    for path in paths:
        if not _passed(path, _FROM[stage]):
            continue
        got = _passed(path, _THROUGH[stage])
        pending = path["outcome"] == "open"
        if stage in ("response", "interviewed"):  # open and unanswered: lost once it has had time for an answer
            pending = pending and not path["settled"]
        if got or (not pending and path["outcome"] != "withdrawn"):
            of += int(path["n"])
            through += int(path["n"]) if got else 0
    return StepRate(stage, step, of, through, *wilson(through, of))


def _below(s: StepRate, reference: float) -> float:
    """How far below its reference a step is: its rate ÷ the reference (lower loses more)."""
    return s.rate / reference


def diagnose(paths: Sequence[PathRow], versions: Sequence[Mapping[str, Any]] = ()) -> Diagnosis:
    """The diagnosis of the paths of InsightsRepository.funnel_paths_by_age; with `versions`
    (store.materials.all(include_deleted=True)) the rates per CV and cover-letter version too."""
    from rebound.insights.materials import version_rates  # it reads step_rate from here

    by_stage = {s["stage"]: s for s in steps()}
    funnel = [step_rate(paths, s["stage"], f"{s['from']} → {s['to']}") for s in steps()]
    by_version = version_rates(paths, versions)
    first = funnel[0]
    if first.of < MIN_APPLICATIONS:
        return Diagnosis(
            None,
            f"Not enough to say yet: {first.of} application{'s' if first.of != 1 else ''} "
            f"with an answer or at least {SETTLE_DAYS} days old. The diagnosis starts at {MIN_APPLICATIONS}.",
            funnel,
            by_version=by_version,
        )
    judged = [s for s in funnel if s.of >= MIN_STEP]
    worst = min(judged, key=lambda s: _below(s, by_stage[s.stage]["reference"]))
    step = by_stage[worst.stage]
    reference = float(step["reference"])
    sure = worst.high < reference
    counted = f"{worst.shown()} {step['through']}"
    if sure:
        verdict = (
            f"Your search loses most {step['lost']}. {counted}, clearly below the {reference:.0%} many "
            f"searches reach. The lever: {step['lever']}."
        )
    elif worst.rate < reference:
        verdict = (
            f"The weakest step may be {step['lost']}. {counted}, below a common {reference:.0%}, though on "
            f"{worst.of:,} it could still be chance. If it holds, the lever: {step['lever']}."
        )
    else:
        verdict = (
            f"No step stands out: each is at or above a rate many searches reach. The weakest, relatively, "
            f"is {step['lost']}: {counted}."
        )
    channels = sorted({str(p["channel"]) for p in paths if p["channel"] is not None})
    by_channel = [(c, step_rate([p for p in paths if p["channel"] == c], worst.stage, worst.step)) for c in channels]
    by_channel = [(c, s) for c, s in by_channel if s.of]
    by_period = [
        ("last 3 months", step_rate([p for p in paths if p["recent"]], worst.stage, worst.step)),
        ("before", step_rate([p for p in paths if not p["recent"]], worst.stage, worst.step)),
    ]
    return Diagnosis(
        worst.stage,
        verdict,
        funnel,
        by_channel,
        by_period,
        lever=str(step["lever"]),
        page=str(step["page"]),
        link=str(step["link"]),
        sure=sure,
        by_version=by_version,
    )


class _PathsByAge(Protocol):
    def funnel_paths_by_age(self, settled_by: dt.date, recent_from: dt.date) -> list[dict[str, Any]]: ...


class HasPathsByAge(Protocol):
    """A store (rebound.store.Store): the diagnosis reads its insights' paths (and, when it has them,
    its CV versions, store.materials)."""

    @property
    def insights(self) -> _PathsByAge: ...


def load_diagnosis(store: HasPathsByAge, today: dt.date) -> Diagnosis:
    """The diagnosis of the store's user on `today` (cacheable: store and day in, a value out)."""
    settled_by, recent_from = today - dt.timedelta(days=SETTLE_DAYS), today - dt.timedelta(days=RECENT_DAYS)
    paths = store.insights.funnel_paths_by_age(settled_by, recent_from)
    materials = getattr(store, "materials", None)  # a Store's; `rebound stats` reads only the funnel
    return diagnose(paths, materials.all(include_deleted=True) if materials is not None else ())
