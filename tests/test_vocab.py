"""The vocabularies are defined once (rebound/vocab.py) and every consumer follows them."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from rebound import dates, vocab

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "rebound").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), ROOT / "app.py"])
WORDS = set(vocab.STATUSES) | set(vocab.EVENT_KINDS)
# Named orders that are a preference, not a vocabulary (each says so where it is defined).
PREFERENCE_ORDERS = {"INVITED_TO"}


def _string_lists(tree):
    """Every literal tuple/list/set of three or more vocabulary words (a pair like ("offer", "accepted") is a
    condition, not a vocabulary), and every SQL string naming them in IN (...) or a CASE over stages."""
    allowed = {
        id(n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id in PREFERENCE_ORDERS for t in n.targets)
    }
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        if (
            isinstance(node, (ast.Tuple, ast.List, ast.Set))
            and len(node.elts) >= 3
            and all(isinstance(e, ast.Constant) and e.value in WORDS for e in node.elts)
        ):
            yield node.lineno, [e.value for e in node.elts]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for match in re.finditer(r"IN \(('[a-z_ ]+'(?:, '[a-z_ ]+')+)\)", node.value):
                words = re.findall(r"'([a-z_ ]+)'", match.group(1))
                if set(words) <= WORDS:
                    yield node.lineno, words
            if re.search(r"WHEN '(screen|interview|final|offer)' THEN \d", node.value):
                yield node.lineno, ["CASE over stages"]


def test_no_module_retypes_a_stage_or_status_list():
    found = []
    for path in SOURCES:
        if path == ROOT / "rebound" / "vocab.py":
            continue
        for line, words in _string_lists(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{path.relative_to(ROOT)}:{line} {words}")
    assert found == [], "use rebound.vocab (or vocab.sql_in / sql_rank) instead:\n" + "\n".join(found)


def test_vocabularies_fit_together():
    assert vocab.STATUSES == vocab.PROGRESS_STAGES + vocab.CLOSED_STATUSES
    assert set(vocab.STATUS_EVENTS) <= set(vocab.STATUSES)
    assert set(vocab.RESPONSE_EVENTS) <= set(vocab.STATUS_EVENTS)
    assert set(vocab.GHOSTABLE_STATUSES) <= set(vocab.OPEN_STATUSES)
    assert set(vocab.FUNNEL_LEVEL) == set(vocab.PROGRESS_STAGES)
    assert [vocab.FUNNEL_NODES[vocab.FUNNEL_LEVEL[s]] for s in vocab.FUNNEL_NODES] == list(vocab.FUNNEL_NODES)
    assert set(vocab.EVENT_LABELS) == set(vocab.STATUSES) | set(vocab.EVENT_KINDS)
    assert set(vocab.STATUS_ICONS) == set(vocab.STATUSES)


def test_responded_has_one_meaning_an_employer_answer():
    assert set(vocab.RESPONSE_EVENTS) == {"screen", "interview", "final", "offer", "accepted", "rejected"}
    for not_an_answer in ("ghosted", "withdrawn", "followed_up", "reopened"):
        assert not_an_answer not in vocab.RESPONSE_EVENTS


def test_every_consumer_counts_the_same_responses(store):
    """The funnel, the role rates, `rebound stats`' weekly responses and the burnout check's replies
    once disagreed (one counted an accepted-only application as a response, the others did not)."""
    day = dt.date(2026, 3, 2)
    answered = {"screen": None, "rejected": "applied", "accepted": None, "offer": None}
    for kind, stage in answered.items():
        app_id = store.applications.add(f"Answered {kind}", "Analyst", "referral", day)
        store.applications.add_event(app_id, kind, day + dt.timedelta(days=3), stage=stage)
    for kind in ("ghosted", "withdrawn", "followed_up", None):
        app_id = store.applications.add(f"Silent {kind}", "Analyst", "job board", day)
        if kind:
            store.applications.add_event(app_id, kind, day + dt.timedelta(days=3))
    paths = store.insights.funnel_path_counts()
    assert int(paths.loc[paths["responded"], "n"].sum()) == len(answered)
    assert int(store.insights.role_outcomes()["responses"].sum()) == len(answered)
    assert int(store.insights.weekly_outcomes()["responses"].sum()) == len(answered)
    pressure = store.goals.weekly_pressure(day, day + dt.timedelta(days=7))
    assert sum(int(r["replies"]) for r in pressure) == len(answered)


def test_sql_fragments_follow_the_vocabulary():
    con = duckdb.connect()
    stages = vocab.sql_in(vocab.STAGE_EVENTS)
    assert con.sql(f"SELECT 'final' IN {stages}, 'ghosted' IN {stages}").fetchone() == (True, False)
    rank = vocab.sql_rank("k", vocab.FUNNEL_LEVEL)
    for stage, level in vocab.FUNNEL_LEVEL.items():
        assert con.sql(f"SELECT {rank} FROM (SELECT '{stage}' AS k)").fetchone()[0] == level
    assert con.sql(f"SELECT {vocab.sql_rank('k', vocab.FUNNEL_LEVEL)} FROM (SELECT NULL AS k)").fetchone()[0] == 0
    assert con.sql(f"SELECT {vocab.sql_stage('s')} FROM (VALUES ('final'), ('bogus'), (NULL)) t(s)").fetchall() == [
        ("final",),
        ("applied",),
        ("applied",),
    ]
    assert vocab.sql_literal("it's") == "'it''s'"


@pytest.mark.parametrize(
    "dates_set",
    [
        (),
        ("sent_on",),
        ("sent_on", "closed_on"),
        ("closed_on",),
        ("sent_on", "answered_on"),
        ("sent_on", "answered_on", "closed_on"),
        ("answered_on",),
    ],
)
def test_feedback_status_python_and_sql_agree(dates_set):
    day = dt.date(2026, 3, 2)
    values = {c: (day if c in dates_set else None) for c in ("sent_on", "answered_on", "closed_on")}
    python = vocab.feedback_status(**values)
    sql = (
        duckdb.connect()
        .execute(
            f"SELECT {vocab.feedback_status_sql('f')} FROM (SELECT $sent_on::DATE AS sent_on,"
            " $answered_on::DATE AS answered_on, $closed_on::DATE AS closed_on) f",
            values,
        )
        .fetchone()[0]
    )
    assert python == sql and python in vocab.FEEDBACK_STATUSES


def test_week_of_is_the_monday_and_defined_once():
    assert dates.week_of(dt.date(2026, 12, 3)) == dt.date(2026, 11, 30)
    assert dates.week_of(dt.datetime(2026, 11, 30, 23, 59)) == dt.date(2026, 11, 30)
    assert dates.week_of(dt.date(2026, 12, 6)) == dt.date(2026, 11, 30)
    defined = [
        str(p.relative_to(ROOT))
        for p in SOURCES
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name == "week_of"
    ]
    assert defined == ["rebound/dates.py"]


def test_application_label_is_one_naming():
    assert vocab.application_label("Acme", "Analyst") == "Acme — Analyst"
    labelled = vocab.application_label("Acme", "Analyst", dt.date(2025, 8, 5), "rejected")
    assert labelled == "Acme — Analyst · applied 5 Aug 2025 · Rejected"
    assert vocab.application_label(None, "Analyst") == "" and vocab.application_label(float("nan"), "x") == ""


def test_application_labels_are_unique_even_for_identical_rows():
    """Imports make rows alike in everything shown; a select box maps the label it sends back to the
    LAST option with it, so each label must name one application."""
    day = dt.date(2025, 8, 5)
    rows = [(7, "Stark", "Analyst", day, "applied"), (3, "Stark", "Analyst", day, "applied")]
    rows.append((5, "Stark", "Analyst", dt.date(2025, 9, 1), "applied"))
    labels = vocab.application_labels(rows)
    assert list(labels) == [7, 3, 5]  # the order given (newest first from the repositories)
    assert labels == {
        7: "Stark — Analyst · applied 5 Aug 2025 · Applied · #7",
        3: "Stark — Analyst · applied 5 Aug 2025 · Applied · #3",
        5: "Stark — Analyst · applied 1 Sep 2025 · Applied",
    }


def test_every_application_picker_labels_through_the_one_function(store):
    from rebound import ui
    from rebound.ui import wellbeing as uw

    old = store.applications.add("Kōwhai & Co", "Data Analyst", "referral", dt.date(2025, 8, 5))
    new = store.applications.add("Kōwhai & Co", "Data Analyst", "referral", dt.date(2026, 1, 3))
    store.applications.add_event(old, "rejected", dt.date(2025, 9, 1), stage="applied")
    options = ui.application_options(store)
    assert options == {
        new: "Kōwhai & Co — Data Analyst · applied 3 Jan 2026 · Applied",
        old: "Kōwhai & Co — Data Analyst · applied 5 Aug 2025 · Rejected",
    }
    assert list(options) == [new, old]  # newest first
    assert uw.application_options(store) == {uw.NONE_APP: "— none —", **options}
    # No page or widget module spells an application's label itself: they read ui.application_options
    # (or, for Outcomes' few hundred offered, vocab.application_labels, the same labelling).
    for path in [*ROOT.joinpath("pages").glob("*.py"), *ROOT.joinpath("rebound", "ui").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "— {r.role}" not in text and "['role']} (" not in text, path


def test_progress_and_data_export_the_same_sankey(store):
    """One Sankey: the Progress page's SankeyMATIC text (insights.load_funnel) and the Data page's
    export (exporting.export 'sankey') are the same flows with the same node names."""
    from rebound import exporting, insights

    day = dt.date(2026, 3, 2)
    for i, (channel, kind) in enumerate(
        [
            ("referral", "offer"),
            ("job board", "ghosted"),
            ("recruiter", "screen"),
            ("referral", "withdrawn"),
            ("job board", None),
        ]
    ):
        app_id = store.applications.add(f"Firm {i}", "Analyst", channel, day)
        if kind:
            store.applications.add_event(app_id, kind, day + dt.timedelta(days=4))
    progress = insights.load_funnel(store)["sankeymatic"]
    data, _, _ = exporting.export(store, "sankey")
    flows = [line for line in data.decode("utf-8").splitlines() if line and not line.startswith("//")]
    assert progress and flows == progress.splitlines()
    assert "Referral [2] Applied" in flows and "Applied [1] Ghosted" in flows
    # and the pages take exactly these paths
    assert "ins.load_funnel" in (ROOT / "pages" / "progress.py").read_text(encoding="utf-8")
    assert "from rebound.exporting import" in (ROOT / "pages" / "data.py").read_text(encoding="utf-8")


def test_event_label_is_one_wording_for_the_timeline_and_the_exports():
    import numpy as np

    assert vocab.event_label("interview", np.int64(2)) == "Interview (round 2)"
    assert vocab.event_label("interview", float("nan")) == "Interview"
    assert vocab.event_label("rejected", None, "final") == "Rejected (at final round)"
    with_reason = vocab.event_label("rejected", None, "interview", "Domain experience")
    assert with_reason == "Rejected (at interview; Domain experience)"
    assert vocab.event_label("followed_up") == "Followed up" and vocab.event_label("rejected") == "Rejected"


def test_maps_keyed_by_the_vocabulary_cover_it():
    from rebound import insights, vega
    from rebound.importing.mapped import STATUS_WORDS

    assert set(insights.REJECTION_STAGE_LABELS) == set(vocab.REJECTION_STAGES)
    assert list(insights.REJECTION_STAGE_ORDER) == list(vocab.REJECTION_STAGES)
    assert set(vega.STAGE_COLORS) == set(vocab.PROGRESS_STAGES)
    assert set(STATUS_WORDS.values()) <= set(vocab.STATUS_EVENTS) | {"", None}
    assert all(STATUS_WORDS[s] == s for s in vocab.STATUS_EVENTS)  # every Rebound status imports as itself


def test_the_store_derives_feedback_status_by_the_one_rule(store):
    """The request list, one request and the status counts once each spelled the rule out again."""
    day = dt.date(2026, 3, 2)
    app_id = store.applications.add("Acme", "Analyst", "referral", day)
    ids = [store.feedback_requests.save(app_id, "technical", "brief", ["Q?"], today=day) for _ in range(4)]
    store.feedback_requests.mark_sent(ids[1], day, today=day)
    store.feedback_requests.mark_sent(ids[2], day, today=day)
    store.feedback_requests.close(ids[2], today=day)
    store.feedback_requests.save_received(ids[3], "Good SQL.", [], day, today=day)
    rows = store.feedback_requests.all()
    assert sorted(rows["status"]) == sorted(vocab.FEEDBACK_STATUSES)
    for row in rows.itertuples():
        dates = {
            c: (None if getattr(row, c) is None or getattr(row, c) != getattr(row, c) else getattr(row, c))
            for c in ("sent_on", "answered_on", "closed_on")
        }
        assert row.status == vocab.feedback_status(**dates) == store.feedback_requests.get(int(row.id))["status"]
    assert store.feedback_requests.status_counts() == {s: 1 for s in vocab.FEEDBACK_STATUSES}


def test_fill_never_doubles_a_sentences_full_stop():
    from rebound.vocab import fill

    assert fill("Saved for {company}.", company="Acme, Inc.") == "Saved for Acme, Inc."
    assert fill("Saved for {company}.", company="Yahoo!") == "Saved for Yahoo!"
    assert fill("Saved for {company}.", company="Acme") == "Saved for Acme."
    assert fill("{company}, hi.", company="Acme, Inc.") == "Acme, Inc., hi."


def test_a_flashed_message_never_doubles_a_full_stop():
    from rebound.ui.text import literal

    assert literal("Saved for {company}.", company="Acme, Inc.") == r"Saved for Acme, Inc\."
