"""Patterns behind a job search, computed from the store's small aggregated frames.

Pure pandas over the frames that rebound/store/analytics_store.py returns (no SQL, no
Streamlit), so every number on the Progress page can be checked by hand in a test.
Small samples are flagged rather than hidden, and sentences are only written when the
sample is large enough to mean something.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import pandas as pd

from rebound.vocab import CHANNELS, FUNNEL_NODES, REJECTION_STAGES

if TYPE_CHECKING:
    from collections.abc import Iterable

# Below this many applications a rate is shown but flagged as a small sample.
SMALL_SAMPLE = 10
# Coping kinds need this many rated sessions before they are ranked without a flag.
MIN_RATED = 3
# Bounce-back needs this many check-ins in the 30 days before a rejection to know the baseline.
MIN_BASELINE_CHECKINS = 3

STAGE_NAMES = dict(enumerate(FUNNEL_NODES))  # a path's `reached` level -> its stage
FUNNEL_STAGES = ["Applied", "Response", "Screen", "Interview", "Offer"]
OUTFLOWS = ["rejected", "ghosted", "withdrawn", "open"]
REJECTION_STAGE_ORDER = list(REJECTION_STAGES)
REJECTION_STAGE_LABELS = {
    "applied": "After applying",
    "screen": "After a screen",
    "interview": "After an interview",
    "final": "After a final round",
    "offer": "At offer",
}


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def _paths(paths: pd.DataFrame) -> pd.DataFrame:
    p = paths.copy()
    if p.empty:
        return pd.DataFrame(
            {
                "channel": pd.Series(dtype=str),
                "reached": pd.Series(dtype=int),
                "responded": pd.Series(dtype=bool),
                "outcome": pd.Series(dtype=str),
                "n": pd.Series(dtype=int),
            }
        )
    p["reached"] = p["reached"].astype(int)
    p["responded"] = p["responded"].astype(bool) | (p["reached"] > 0)
    p["n"] = p["n"].astype(int)
    return p


def rate(part: float, whole: float) -> float:
    """part / whole, or NaN when there is nothing to divide by."""
    return float(part) / float(whole) if whole else math.nan


def pct(value: float) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.0%}"


# -- funnel ---------------------------------------------------------------------------
def funnel(paths: pd.DataFrame) -> pd.DataFrame:
    """The funnel Applied → Response → Screen → Interview → Offer with where applications stopped.

    Each stage counts the applications that reached it (reaching a later stage implies the earlier
    ones). The outflow columns count applications whose path *ended* at that stage, by outcome:
    rejected, ghosted, withdrawn (a declined offer too: the Sankey says Withdrawn as well), open (still waiting), and accepted
    (offers only). `of_previous` is the share of the previous stage that got this far.
    """
    p = _paths(paths)
    masks = {
        "Applied": pd.Series(True, index=p.index),
        "Response": p["responded"],
        "Screen": p["reached"] >= 1,
        "Interview": p["reached"] >= 2,
        "Offer": p["reached"] >= 3,
    }
    ended = {
        "Applied": ~p["responded"],
        "Response": p["responded"] & (p["reached"] == 0),
        "Screen": p["reached"] == 1,
        "Interview": p["reached"] == 2,
        "Offer": p["reached"] == 3,
    }
    rows, total, previous = [], int(p["n"].sum()), None
    for stage in FUNNEL_STAGES:
        count = int(p.loc[masks[stage], "n"].sum())
        row = {
            "stage": stage,
            "count": count,
            "of_applied": rate(count, total),
            "of_previous": rate(count, previous) if previous is not None else math.nan,
        }
        stop = p[ended[stage]]
        for outcome in OUTFLOWS + ["accepted"]:
            row[outcome] = int(stop.loc[stop["outcome"] == outcome, "n"].sum())
        rows.append(row)
        previous = count
    return pd.DataFrame(rows)


# One naming for where an application ended, shared by the funnel table, the Sankey and both
# SankeyMATIC exports (Progress and Data): a declined offer is "Withdrawn" everywhere.
SANKEY_END = {"rejected": "Rejected", "ghosted": "Ghosted", "withdrawn": "Withdrawn", "accepted": "Accepted"}
STILL_OPEN = {False: "No answer yet", True: "In progress"}  # open, before and after a first answer


# The funnel chart already labels each stage "count · share of all": the table adds the rest.
FUNNEL_TABLE_HEADER = ["Stage", "Reached", "Of the stage before", "Where they stopped"]
# Where applications stopped, in the Sankey's words (a declined offer is withdrawn there too).
_STOPPED = {k: SANKEY_END[k].lower() if k in SANKEY_END else "still waiting" for k in OUTFLOWS + ["accepted"]}


def funnel_table(f: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    """The funnel as a short table (FUNNEL_TABLE_HEADER): where applications stopped is one line of
    words without the zeros ("547 rejected · 28 ghosted"), so the table fits a phone."""
    rows = []
    for r in f.to_dict("records"):
        stopped = [f"{r[k]:,} {word}" for k, word in _STOPPED.items() if r.get(k)]
        rows.append(
            (
                str(r["stage"]),
                f"{r['count']:,}",
                pct(r["of_previous"]),
                " · ".join(stopped) or "–",
            )
        )
    return rows


def sankey_links(paths: pd.DataFrame, by_channel: bool = False) -> pd.DataFrame:
    """The flows of a Sankey diagram: source, target, value (zero flows left out).

    Applied splits into Response, Ghosted, Withdrawn and No answer yet; each later stage flows on to the
    next stage or ends in Rejected, Ghosted, Withdrawn, Accepted or In progress. With `by_channel`,
    each channel ("Referral", …) first flows into Applied.
    """
    p = _paths(paths)
    flows: dict[tuple[str, str], int] = {}

    def add(source: str, target: str, n: int) -> None:
        if n:
            flows[(source, target)] = flows.get((source, target), 0) + int(n)

    chain = ["Response", "Screen", "Interview", "Offer"]
    for row in p.itertuples(index=False):
        if by_channel:
            add(row.channel.capitalize() if row.channel in CHANNELS else "Other", "Applied", row.n)
        if not row.responded:
            add("Applied", SANKEY_END.get(row.outcome, STILL_OPEN[False]), row.n)
            continue
        add("Applied", "Response", row.n)
        last = chain[row.reached]  # reached 0 → ends at Response, 1 → Screen, …
        for a, b in zip(chain, chain[1:]):
            if a == last:
                break
            add(a, b, row.n)
        add(last, SANKEY_END.get(row.outcome, STILL_OPEN[True]), row.n)
    order = ["Applied", "Response", "Screen", "Interview", "Offer"]
    links = pd.DataFrame(
        [{"source": s, "target": t, "value": v} for (s, t), v in flows.items()], columns=["source", "target", "value"]
    )
    if links.empty:
        return links.astype({"value": int})
    links["_o"] = links["source"].map(lambda s: order.index(s) if s in order else -1)  # channels first
    return (
        links.sort_values(["_o", "value", "source"], ascending=[True, False, True])
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def _sankey_node(text: str) -> str:
    """SankeyMATIC reads `Source [n] Target`: keep names free of brackets and line breaks."""
    return re.sub(r"[\[\]\r\n]", " ", str(text)).strip().lstrip(":/").strip() or "Unknown"


def sankeymatic(links: pd.DataFrame) -> str:
    """SankeyMATIC text, one `Source [n] Target` line per flow, as job seekers post them (the one
    writer behind Progress's text and the Data page's export)."""
    return "\n".join(
        f"{_sankey_node(r.source)} [{int(r.value)}] {_sankey_node(r.target)}" for r in links.itertuples(index=False)
    )


# -- channels -------------------------------------------------------------------------
def channel_conversion(paths: pd.DataFrame, min_n: int = SMALL_SAMPLE) -> pd.DataFrame:
    """Per channel: applications, responses, interviews, offers, their rates, and a small-sample flag."""
    p = _paths(paths)
    cols = [
        "channel",
        "applications",
        "responses",
        "response_rate",
        "interviews",
        "interview_rate",
        "offers",
        "offer_rate",
        "share",
        "small_sample",
    ]
    if p.empty:
        return _empty(cols)
    p = p.assign(resp=p["n"] * p["responded"], intv=p["n"] * (p["reached"] >= 2), off=p["n"] * (p["reached"] >= 3))
    g = p.groupby("channel", as_index=False).agg(
        applications=("n", "sum"), responses=("resp", "sum"), interviews=("intv", "sum"), offers=("off", "sum")
    )
    total = g["applications"].sum()
    g["response_rate"] = g["responses"] / g["applications"]
    g["interview_rate"] = g["interviews"] / g["applications"]
    g["offer_rate"] = g["offers"] / g["applications"]
    g["share"] = g["applications"] / total
    g["small_sample"] = g["applications"] < min_n
    for c in ("applications", "responses", "interviews", "offers"):
        g[c] = g[c].astype(int)
    return g.sort_values(["applications", "channel"], ascending=[False, True])[cols].reset_index(drop=True)


def channel_mix(mix: pd.DataFrame) -> pd.DataFrame:
    """Month × channel counts, wide, with a share-of-month column per channel (`<channel> %`)."""
    if mix.empty:
        return pd.DataFrame(columns=["month"])
    wide = mix.pivot_table(index="month", columns="channel", values="n", aggfunc="sum", fill_value=0)
    wide = wide[wide.sum().sort_values(ascending=False).index]
    return wide.reset_index().rename_axis(columns=None)


# -- rejections, themes, roles ----------------------------------------------------------
def rejections_by_stage(monthly: pd.DataFrame) -> pd.DataFrame:
    """Month × stage counts of rejections (stages in funnel order, missing months as 0)."""
    if monthly.empty:
        return pd.DataFrame(columns=["month"] + REJECTION_STAGE_ORDER)
    wide = monthly.pivot_table(index="month", columns="stage", values="n", aggfunc="sum", fill_value=0)
    months = pd.date_range(wide.index.min(), wide.index.max(), freq="MS")
    wide.index = pd.to_datetime(wide.index)
    wide = wide.reindex(months, fill_value=0)
    for stage in REJECTION_STAGE_ORDER:
        if stage not in wide:
            wide[stage] = 0
    wide = wide[REJECTION_STAGE_ORDER].astype(int)
    wide.index.name = "month"
    return wide.reset_index().rename_axis(columns=None)


def rejection_stage_totals(monthly: pd.DataFrame) -> pd.DataFrame:
    """stage, rejections, share — across all time."""
    totals = monthly.groupby("stage")["n"].sum() if not monthly.empty else pd.Series(dtype=int)
    out = pd.DataFrame({"stage": REJECTION_STAGE_ORDER})
    out["rejections"] = out["stage"].map(totals).fillna(0).astype(int)
    all_ = out["rejections"].sum()
    out["share"] = out["rejections"] / all_ if all_ else math.nan
    return out


class _ThemeCounts(Protocol):
    """A row of theme_summary's grouped frame (itertuples)."""

    mentions: int
    recent: int
    earlier: int


def theme_summary(days: pd.DataFrame, today: dt.date, window_days: int = 90) -> pd.DataFrame:
    """Per theme: total mentions, mentions in the last `window_days` and in the window before, trend.

    trend is "rising", "falling" or "steady" (±1 mention counts as steady); "new" if it only
    appears recently.
    """
    cols = ["theme", "mentions", "recent", "earlier", "trend", "last_seen"]
    if days.empty:
        return _empty(cols)
    d = days.copy()
    d["day"] = pd.to_datetime(d["day"])
    t = pd.Timestamp(today)
    recent_from, earlier_from = t - pd.Timedelta(days=window_days), t - pd.Timedelta(days=2 * window_days)
    d["recent"] = d["n"].where(d["day"] > recent_from, 0)
    d["earlier"] = d["n"].where((d["day"] > earlier_from) & (d["day"] <= recent_from), 0)
    g = d.groupby("theme", as_index=False).agg(
        mentions=("n", "sum"), recent=("recent", "sum"), earlier=("earlier", "sum"), last_seen=("day", "max")
    )

    def trend(r: _ThemeCounts) -> str:
        if r.recent and not r.earlier and r.mentions == r.recent:
            return "new"
        if r.recent - r.earlier > 1:
            return "rising"
        if r.earlier - r.recent > 1:
            return "falling"
        return "steady"

    g["trend"] = [trend(r) for r in g.itertuples()]
    g["last_seen"] = g["last_seen"].dt.date
    return g.sort_values(["mentions", "theme"], ascending=[False, True])[cols].reset_index(drop=True)


def theme_by_month(mentions: pd.DataFrame, top: int = 6) -> pd.DataFrame:
    """Month × theme mention counts for the `top` most mentioned themes (others summed as 'other')."""
    if mentions.empty:
        return pd.DataFrame(columns=["month"])
    totals = mentions.groupby("theme")["n"].sum().sort_values(ascending=False)
    keep = list(totals.index[:top])
    m = mentions.assign(theme=mentions["theme"].where(mentions["theme"].isin(keep), "other"))
    wide = m.pivot_table(index="month", columns="theme", values="n", aggfunc="sum", fill_value=0)
    order = [t for t in keep if t in wide] + (["other"] if "other" in wide else [])
    return wide[order].reset_index().rename_axis(columns=None)


# Most specific first; a title gets the first level whose pattern matches.
SENIORITY_LEVELS = [
    ("executive", r"\b(chief|c[etdo]o|vp|vice president|director|head)\b"),
    ("principal", r"\b(principal|distinguished|fellow|architect)\b"),
    ("lead", r"\b(lead|staff|manager|team lead|tech lead)\b"),
    ("senior", r"\b(senior|sr\.?|snr|iii|experienced)\b"),
    ("junior", r"\b(junior|jr\.?|graduate|grad|entry[- ]level|trainee|apprentice|intern|internship|associate)\b"),
]
SENIORITY_ORDER = ["junior", "mid-level", "senior", "lead", "principal", "executive"]
_ROLE_STOPWORDS = {
    "and",
    "or",
    "of",
    "the",
    "a",
    "an",
    "for",
    "in",
    "at",
    "to",
    "with",
    "on",
    "&",
    "-",
    "/",
    "i",
    "ii",
    "iii",
    "iv",
    "m",
    "f",
    "d",
    "w",
    "remote",
    "hybrid",
    "contract",
    "temporary",
    "part",
    "time",
    "full",
    "senior",
    "sr",
    "snr",
    "junior",
    "jr",
    "lead",
    "staff",
    "principal",
    "head",
    "chief",
    "director",
    "vp",
    "graduate",
    "grad",
    "entry",
    "level",
    "trainee",
    "apprentice",
    "intern",
    "internship",
    "associate",
    "experienced",
    "team",
    "tech",
    "vice",
    "president",
    "distinguished",
    "fellow",
}


def seniority_of(title: str) -> str:
    """junior / mid-level / senior / lead / principal / executive, read from a job title."""
    t = (title or "").lower()
    for level, pattern in SENIORITY_LEVELS:
        if re.search(pattern, t):
            return level
    return "mid-level"


def role_keywords(title: str) -> list[str]:
    """The distinct words of a title that say what the job is (seniority and filler removed)."""
    words = re.findall(r"[\w+#.]+", (title or "").lower())
    seen = []
    for w in words:
        w = w.strip(".")
        if len(w) > 1 and w not in _ROLE_STOPWORDS and not w.isdigit() and w not in seen:
            seen.append(w)
    return seen


def _outcome_rates(g: pd.DataFrame, min_n: int) -> pd.DataFrame:
    g["response_rate"] = g["responses"] / g["applications"]
    g["interview_rate"] = g["interviews"] / g["applications"]
    g["small_sample"] = g["applications"] < min_n
    return g


def seniority_patterns(roles: pd.DataFrame, min_n: int = SMALL_SAMPLE) -> pd.DataFrame:
    """Per seniority level: applications, responses, interviews, offers, rates, small-sample flag."""
    cols = [
        "seniority",
        "applications",
        "responses",
        "interviews",
        "offers",
        "response_rate",
        "interview_rate",
        "small_sample",
    ]
    if roles.empty:
        return _empty(cols)
    r = roles.assign(seniority=roles["role"].map(seniority_of))
    g = r.groupby("seniority", as_index=False)[["applications", "responses", "interviews", "offers"]].sum()
    g = _outcome_rates(g, min_n)
    g["_o"] = g["seniority"].map(SENIORITY_ORDER.index)
    return g.sort_values("_o")[cols].reset_index(drop=True)


def keyword_patterns(roles: pd.DataFrame, min_n: int = SMALL_SAMPLE, top: int = 12) -> pd.DataFrame:
    """Per title keyword (each application counted once per keyword): the same counts and rates,
    the `top` keywords by applications."""
    cols = [
        "keyword",
        "applications",
        "responses",
        "interviews",
        "offers",
        "response_rate",
        "interview_rate",
        "small_sample",
    ]
    if roles.empty:
        return _empty(cols)
    r = roles.assign(keyword=roles["role"].map(role_keywords)).explode("keyword").dropna(subset=["keyword"])
    if r.empty:
        return _empty(cols)
    g = r.groupby("keyword", as_index=False)[["applications", "responses", "interviews", "offers"]].sum()
    g = _outcome_rates(g, min_n)
    return g.sort_values(["applications", "keyword"], ascending=[False, True]).head(top)[cols].reset_index(drop=True)


# -- days: calendar, mood, coping, activity --------------------------------------------------
def _daily(daily: pd.DataFrame) -> pd.DataFrame:
    d = daily.copy()
    d["day"] = pd.to_datetime(d["day"])
    for c in ("applications", "activities", "coping", "rejections", "checkins"):
        if c in d:
            d[c] = d[c].fillna(0).astype(int)
    d["mood"] = pd.to_numeric(d.get("mood"), errors="coerce")
    return d


def calendar(daily: pd.DataFrame, today: dt.date, days: int = 365) -> pd.DataFrame:
    """One row per day for the year ending today (gaps filled): day, week (Monday), weekday (0=Mon),
    applications, activities, coping, rejections, checkins, mood, actions (applications + activities + coping)."""
    end = pd.Timestamp(today)
    start = end - pd.Timedelta(days=days - 1)
    frame = pd.DataFrame({"day": pd.date_range(start, end, freq="D")})
    counts = ["applications", "activities", "coping", "rejections", "checkins"]
    if not daily.empty:
        frame = frame.merge(_daily(daily), on="day", how="left")
    for c in counts:
        if c not in frame:
            frame[c] = 0
        frame[c] = frame[c].fillna(0).astype(int)
    if "mood" not in frame:
        frame["mood"] = math.nan
    frame["mood"] = pd.to_numeric(frame["mood"], errors="coerce")
    frame["actions"] = frame["applications"] + frame["activities"] + frame["coping"]
    frame["weekday"] = frame["day"].dt.day_of_week
    frame["week"] = frame["day"] - pd.to_timedelta(frame["weekday"], unit="D")
    return frame[["day", "week", "weekday", "actions"] + counts + ["mood"]]


def mood_series(daily: pd.DataFrame, window: int = 7) -> pd.DataFrame:
    """Days with a check-in: day, mood (that day's mean), rolling (mean of the check-in days in the last
    `window` calendar days), and rejections that day."""
    cols = ["day", "mood", "rolling", "rejections"]
    if daily.empty:
        return _empty(cols)
    d = _daily(daily)
    m = d.dropna(subset=["mood"]).set_index("day").sort_index()
    if m.empty:
        return _empty(cols)
    m["rolling"] = m["mood"].rolling(f"{window}D").mean()
    return m.reset_index()[cols]


def rejection_days(daily: pd.DataFrame) -> pd.DataFrame:
    """day, rejections — the days a rejection came."""
    if daily.empty:
        return _empty(["day", "rejections"])
    d = _daily(daily)
    return d.loc[d["rejections"] > 0, ["day", "rejections"]].reset_index(drop=True)


def recent_mood(checkins: pd.DataFrame, rejected_on: Iterable[dt.date]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A few weeks of check-ins (checked_at, mood) and rejection days, in the shapes Progress' mood
    chart takes: mood_series (each day's mean, the 7-day average) and rejection_days."""
    moods = checkins.assign(day=pd.to_datetime(checkins["checked_at"]).dt.normalize())
    moods = moods.groupby("day", as_index=False)["mood"].mean()
    hits = pd.DataFrame({"day": pd.to_datetime(pd.Series(list(rejected_on), dtype="object"))})
    hits = hits.groupby("day", as_index=False).size().rename(columns={"size": "rejections"})
    daily = moods.merge(hits, on="day", how="outer")
    return mood_series(daily), rejection_days(daily)


def coping_helpfulness(by_kind: pd.DataFrame, min_rated: int = MIN_RATED) -> pd.DataFrame:
    """kind, sessions, rated, helped (mean 1-5), minutes, small_sample — most helpful first, flagged
    kinds (fewer than `min_rated` ratings) after the rest."""
    cols = ["kind", "sessions", "rated", "helped", "minutes", "small_sample"]
    if by_kind.empty:
        return _empty(cols)
    k = by_kind.copy()
    k["helped"] = pd.to_numeric(k["helped"], errors="coerce")
    k["small_sample"] = k["rated"] < min_rated
    return k.sort_values(["small_sample", "helped", "sessions"], ascending=[True, False, False], na_position="last")[
        cols
    ].reset_index(drop=True)


def weekly_mood_activity(daily: pd.DataFrame) -> pd.DataFrame:
    """Per ISO week with at least one check-in: week, mood (mean of check-in days), actions
    (applications + activities + coping), applications, activities, coping, rejections."""
    cols = ["week", "mood", "actions", "applications", "activities", "coping", "rejections"]
    if daily.empty:
        return _empty(cols)
    d = _daily(daily)
    d["week"] = d["day"] - pd.to_timedelta(d["day"].dt.day_of_week, unit="D")
    g = d.groupby("week", as_index=False).agg(
        mood=("mood", "mean"),
        applications=("applications", "sum"),
        activities=("activities", "sum"),
        coping=("coping", "sum"),
        rejections=("rejections", "sum"),
    )
    g["actions"] = g["applications"] + g["activities"] + g["coping"]
    return g.dropna(subset=["mood"])[cols].reset_index(drop=True)


def correlation(x: pd.Series, y: pd.Series, min_n: int = 8) -> float:
    """Pearson correlation, or NaN with fewer than `min_n` pairs or no variation."""
    pair = pd.DataFrame({"x": x, "y": y}).dropna()
    if len(pair) < min_n or pair["x"].nunique() < 2 or pair["y"].nunique() < 2:
        return math.nan
    return float(pair["x"].corr(pair["y"]))


# -- resilience ---------------------------------------------------------------------------
class _Recovery(Protocol):
    """A row of bounce_back's frame (itertuples)."""

    day: dt.date
    n_baseline: int
    days_to_baseline: float
    checkins_after: int


def bounce_back(
    recovery: pd.DataFrame, today: dt.date, min_baseline: int = MIN_BASELINE_CHECKINS, horizon_days: int = 60
) -> pd.DataFrame:
    """Each rejection with its bounce-back in days and a plain status for the mood part.

    days_to_baseline is kept only when the baseline rests on at least `min_baseline` check-ins.
    mood_status: "back in N days", "not back yet", "not back within 60 days", or why it is unknown.
    """
    cols = [
        "day",
        "company",
        "role",
        "stage",
        "days_to_next_application",
        "baseline",
        "n_baseline",
        "days_to_baseline",
        "mood_status",
    ]
    if recovery.empty:
        return _empty(cols)
    r = recovery.copy()
    r["day"] = pd.to_datetime(r["day"]).dt.date

    def num(col: str) -> pd.Series:  # nullable DuckDB integers -> plain floats with NaN
        return pd.to_numeric(r[col], errors="coerce").astype("float64")

    r["days_to_next_application"] = num("days_to_next_application")
    r["baseline"] = num("baseline")
    r["n_baseline"] = num("n_baseline").fillna(0).astype(int)
    r["checkins_after"] = num("checkins_after").fillna(0).astype(int) if "checkins_after" in r else 0
    known = r["n_baseline"] >= min_baseline
    r["days_to_baseline"] = num("days_to_baseline").where(known)
    r.loc[~known, "baseline"] = math.nan

    def status(row: _Recovery) -> str:
        if row.n_baseline < min_baseline:
            return "too few check-ins before"
        if not math.isnan(row.days_to_baseline):
            return "same day" if row.days_to_baseline == 0 else f"back in {days_text(int(row.days_to_baseline))}"
        if (today - row.day).days > horizon_days:
            return f"not back within {horizon_days} days"
        return "not back yet" if row.checkins_after else "no check-ins since"

    r["mood_status"] = [status(row) for row in r.itertuples()]
    return r[cols].reset_index(drop=True)


def resilience_trend(bounce: pd.DataFrame, column: str, min_each: int = 3) -> dict | None:
    """Is the user bouncing back faster? Compares the median of `column` over the earlier and the later
    half of the rejections (in date order). None with fewer than `min_each` values in each half."""
    values = (
        pd.to_numeric(bounce.dropna(subset=[column]).sort_values("day")[column]).astype("float64")
        if not bounce.empty
        else pd.Series(dtype=float)
    )
    half = len(values) // 2
    if half < min_each:
        return None
    earlier, later = values.iloc[:half], values.iloc[len(values) - half :]
    before, after = float(earlier.median()), float(later.median())
    verdict = "faster" if after < before else "slower" if after > before else "about the same"
    return {"earlier": before, "later": after, "n_each": half, "verdict": verdict}


def rolling_median(bounce: pd.DataFrame, column: str, window: int = 5) -> pd.Series:
    """Median of `column` over the last `window` rejections that have a value (aligned to rows)."""
    s = pd.to_numeric(bounce[column], errors="coerce").astype("float64")
    valid = s.dropna()
    rolled = valid.rolling(window, min_periods=min(3, window)).median()
    return rolled.reindex(s.index)


# -- insights in words -------------------------------------------------------------------------
@dataclass
class Insight:
    text: str
    numbers: dict = field(default_factory=dict)
    kind: str = "info"  # info, good, care


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def days_text(value: float) -> str:
    return f"{value:g} day" + ("" if value == 1 else "s")


def change_text(change: float | None, unit: str, scale: float = 1.0, one: str | None = None) -> str | None:
    """A metric's delta as shown ("+3 points"; `one` is the unit for ±1), or None when it rounds to
    no change: a "+0" would still get a coloured arrow."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return None
    shown = round(float(change) * scale)
    return None if shown == 0 else f"{shown:+d} {one if one and abs(shown) == 1 else unit}"


def bounce_table(bounce: pd.DataFrame) -> pd.DataFrame:
    """The bounce-back frame as the table people read: words where a number is missing ("not yet"),
    never "None"; newest rejection first."""

    def days(v: float | None, missing: str) -> str:
        return missing if v is None or (isinstance(v, float) and math.isnan(v)) else days_text(v)

    return (
        pd.DataFrame(
            {
                "Rejected on": bounce["day"],
                "Company": bounce["company"],
                "Role": bounce["role"],
                "Stage": bounce["stage"].map(lambda s: REJECTION_STAGE_LABELS.get(s, s)),
                "Next application": [days(v, "not yet") for v in bounce["days_to_next_application"]],
                "Mood back": bounce["mood_status"],
                "Usual mood": [pct(math.nan) if v != v else f"{v:.1f}" for v in bounce["baseline"]],
            }
        )
        .iloc[::-1]
        .reset_index(drop=True)
    )


def bounce_measured(bounce: pd.DataFrame) -> bool:
    """Has any rejection a measured bounce-back (days to the next application or to the usual mood)?"""
    return not bounce.empty and bool(bounce[["days_to_next_application", "days_to_baseline"]].notna().any().any())


def insights(
    paths: pd.DataFrame,
    rejections: pd.DataFrame | None = None,
    bounce: pd.DataFrame | None = None,
    coping: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    weekly: pd.DataFrame | None = None,
    limit: int = 5,
    min_apps: int = 20,
) -> list[Insight]:
    """Up to `limit` plain-language findings, each backed by numbers and written only when its sample
    is large enough (e.g. at least `min_apps` applications for anything about channels)."""
    found: list[Insight] = []
    conv = channel_conversion(paths)
    total_apps = int(conv["applications"].sum()) if not conv.empty else 0
    total_int = int(conv["interviews"].sum()) if not conv.empty else 0

    # 1. The channel that brings most interviews relative to its share of applications.
    if total_apps >= min_apps and total_int >= 3:
        c = conv.assign(lift=conv["interviews"] / total_int - conv["share"])
        c = c[(c["interviews"] >= 2) & ~c["small_sample"]].sort_values("lift", ascending=False)
        if not c.empty and c.iloc[0]["lift"] > 0.1:
            best = c.iloc[0]
            found.append(
                Insight(
                    f"{best['channel'].capitalize()} brought {int(best['interviews'])} of your {total_int} interviews "
                    f"from {best['share']:.0%} of your applications ({int(best['applications'])} of {total_apps}).",
                    {
                        "channel": best["channel"],
                        "interviews": int(best["interviews"]),
                        "of_interviews": total_int,
                        "applications": int(best["applications"]),
                        "share": float(best["share"]),
                    },
                    "good",
                )
            )

    # 2. Response rate compared across the two biggest channels with enough applications.
    big = conv[~conv["small_sample"]] if not conv.empty else conv
    if len(big) >= 2:
        hi = big.sort_values("response_rate", ascending=False).iloc[0]
        lo = big.sort_values("response_rate").iloc[0]
        if hi["channel"] != lo["channel"] and hi["response_rate"] - lo["response_rate"] >= 0.15:
            found.append(
                Insight(
                    f"{hi['channel'].capitalize()} applications got an answer {hi['response_rate']:.0%} of the time "
                    f"({int(hi['responses'])} of {int(hi['applications'])}), {lo['channel']} {lo['response_rate']:.0%} "
                    f"({int(lo['responses'])} of {int(lo['applications'])}).",
                    {
                        "high": hi["channel"],
                        "high_rate": float(hi["response_rate"]),
                        "low": lo["channel"],
                        "low_rate": float(lo["response_rate"]),
                    },
                )
            )

    # 3. Where most rejections come.
    if rejections is not None and not rejections.empty:
        totals = rejection_stage_totals(rejections)
        n_rej = int(totals["rejections"].sum())
        if n_rej >= 10:
            top = totals.sort_values("rejections", ascending=False).iloc[0]
            if top["stage"] == "applied":
                text = (
                    f"{int(top['rejections'])} of your {n_rej} rejections ({top['share']:.0%}) came straight after "
                    "applying, before any conversation: that points at the application (CV, fit to the ad, "
                    "channel) rather than at how you interview."
                )
            else:
                text = (
                    f"{int(top['rejections'])} of your {n_rej} rejections ({top['share']:.0%}) came after "
                    f"{'an' if top['stage'] == 'interview' else 'a'} {top['stage'] if top['stage'] != 'final' else 'final round'}: "
                    "you are getting through the door; practice for that stage is where effort pays."
                )
            found.append(Insight(text, {"stage": top["stage"], "rejections": int(top["rejections"]), "of": n_rej}))

    # 4. Bouncing back faster?
    if bounce is not None and not bounce.empty:
        trend = resilience_trend(bounce, "days_to_next_application")
        if trend:
            if trend["verdict"] == "faster":
                text = (
                    f"You are getting back to applying faster: a median of {days_text(trend['later'])} after your "
                    f"last {trend['n_each']} rejections, down from {days_text(trend['earlier'])} after the first {trend['n_each']}."
                )
                kind = "good"
            elif trend["verdict"] == "slower":
                text = (
                    f"Getting back to applying takes longer lately: a median of {days_text(trend['later'])} after your "
                    f"last {trend['n_each']} rejections, up from {days_text(trend['earlier'])}. Rest counts too; a small step "
                    "is enough to restart."
                )
                kind = "care"
            else:
                text = (
                    f"You get back to applying a median of {days_text(trend['later'])} after a rejection, "
                    "as steady now as at the start."
                )
                kind = "info"
            found.append(Insight(text, trend, kind))
        mood = resilience_trend(bounce, "days_to_baseline")
        if mood and mood["verdict"] == "faster":
            found.append(
                Insight(
                    f"Your mood returns to your usual level faster: a median of {days_text(mood['later'])} after your last "
                    f"{mood['n_each']} rejections, compared with {days_text(mood['earlier'])} after the first {mood['n_each']}.",
                    mood,
                    "good",
                )
            )

    # 5. What helps.
    if coping is not None and not coping.empty:
        ranked = coping_helpfulness(coping)
        ok = ranked[~ranked["small_sample"] & ranked["helped"].notna()]
        if len(ok) >= 2:
            best = ok.iloc[0]
            found.append(
                Insight(
                    f"“{best['kind'].capitalize()}” is what helps you most: rated {best['helped']:.1f} of 5 over "
                    f"{_n(int(best['rated']), 'rated session')}.",
                    {"kind": best["kind"], "helped": float(best["helped"]), "rated": int(best["rated"])},
                    "good",
                )
            )

    # 6. A theme that keeps coming up.
    if themes is not None and not themes.empty:
        top = themes.iloc[0]
        if top["mentions"] >= 4:
            found.append(
                Insight(
                    f"“{top['theme']}” is the theme you note most often in reflections and feedback "
                    f"({_n(int(top['mentions']), 'mention')}, {int(top['recent'])} in the last 90 days).",
                    {"theme": top["theme"], "mentions": int(top["mentions"]), "recent": int(top["recent"])},
                )
            )

    # 7. Mood and activity.
    if weekly is not None and len(weekly) >= 8:
        r = correlation(weekly["actions"], weekly["mood"])
        if not math.isnan(r) and abs(r) >= 0.3:
            direction = "higher" if r > 0 else "lower"
            found.append(
                Insight(
                    f"In weeks when you did more (applications, activities, self-care), your mood was {direction} "
                    f"(correlation {r:+.2f} over {len(weekly)} weeks). That is a pattern, not proof of cause.",
                    {"r": r, "weeks": len(weekly)},
                )
            )
    return found[:limit]


# -- loaders: the store's SQL turned into the frames above (cache these by user + revision) ------------
class InsightsReads(Protocol):
    """What the loaders read from the insights repository (rebound.insights.repository.InsightsRepository)."""

    def funnel_path_counts(
        self, start: dt.date | None = None, end: dt.date | None = None, channels: list[str] | None = None
    ) -> pd.DataFrame: ...
    def application_span(self) -> tuple[dt.date | None, dt.date | None]: ...
    def monthly_channel_mix(
        self, start: dt.date | None = None, end: dt.date | None = None, channels: list[str] | None = None
    ) -> pd.DataFrame: ...
    def monthly_rejections(self) -> pd.DataFrame: ...
    def monthly_theme_mentions(self) -> pd.DataFrame: ...
    def theme_tag_days(self) -> pd.DataFrame: ...
    def role_outcomes(self) -> pd.DataFrame: ...
    def progress_days(self, since: dt.date | None = None) -> pd.DataFrame: ...
    def coping_ratings_by_kind(self) -> pd.DataFrame: ...
    def rejection_recovery(self, baseline_days: int = 30, horizon_days: int = 60) -> pd.DataFrame: ...


class HasInsights(Protocol):
    """A store with insights (rebound.store.Store): the loaders never see the rest of it."""

    @property
    def insights(self) -> InsightsReads: ...


def load_overview(store: HasInsights, today: dt.date) -> dict:
    """Everything the insight sentences need, in one cacheable call."""
    daily = store.insights.progress_days()
    rejections = store.insights.monthly_rejections()
    bounce = bounce_back(store.insights.rejection_recovery(), today)
    coping = store.insights.coping_ratings_by_kind()
    themes = theme_summary(store.insights.theme_tag_days(), today)
    weekly = weekly_mood_activity(daily)
    paths = store.insights.funnel_path_counts()
    return {
        "paths": paths,
        "rejections": rejections,
        "bounce": bounce,
        "coping": coping,
        "themes": themes,
        "weekly": weekly,
        "daily": daily,
        "insights": insights(paths, rejections, bounce, coping, themes, weekly),
        "has_checkins": bool(daily["checkins"].sum()) if not daily.empty else False,
        # derived once per data revision so a rerun only reads them
        "calendar": calendar(daily, today),
        "mood": mood_series(daily),
        "rejection_days": rejection_days(daily),
        "coping_ranked": coping_helpfulness(coping),
        "apps_trend": rolling_median(bounce, "days_to_next_application") if not bounce.empty else None,
        "mood_trend": rolling_median(bounce, "days_to_baseline") if not bounce.empty else None,
        "trends": {c: resilience_trend(bounce, c) for c in ("days_to_next_application", "days_to_baseline")},
        "span": store.insights.application_span(),
    }


def load_funnel(
    store: HasInsights, start: dt.date | None = None, end: dt.date | None = None, channels: tuple[str, ...] = ()
) -> dict:
    paths = store.insights.funnel_path_counts(start, end, list(channels) or None)
    links = sankey_links(paths)
    return {
        "paths": paths,
        "funnel": funnel(paths),
        "links": links,
        "sankeymatic": sankeymatic(sankey_links(paths, by_channel=True)),
    }


def load_channels(
    store: HasInsights, start: dt.date | None = None, end: dt.date | None = None, channels: tuple[str, ...] = ()
) -> dict:
    paths = store.insights.funnel_path_counts(start, end, list(channels) or None)
    return {
        "conversion": channel_conversion(paths),
        "mix": channel_mix(store.insights.monthly_channel_mix(start, end, list(channels) or None)),
    }


def load_patterns(store: HasInsights, today: dt.date) -> dict:
    monthly = store.insights.monthly_rejections()
    roles = store.insights.role_outcomes()
    return {
        "by_stage": rejections_by_stage(monthly),
        "stage_totals": rejection_stage_totals(monthly),
        "themes": theme_summary(store.insights.theme_tag_days(), today),
        "theme_months": theme_by_month(store.insights.monthly_theme_mentions()),
        "seniority": seniority_patterns(roles),
        "keywords": keyword_patterns(roles),
        "roles": roles,
    }
