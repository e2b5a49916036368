"""Wellbeing rules: content, validation, acknowledgements, coping suggestions, isolation nudge, the flow."""

import datetime as dt
import tomllib

import pytest

from rebound import flow
from rebound import wellbeing as wb
from rebound.errors import ValidationError

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 18, 0)


# -- content --------------------------------------------------------------------
def test_after_rejection_template_has_the_nine_prompts_in_order():
    t = wb.templates()["after_rejection"]
    assert [p.id for p in t.prompts] == [
        "went_well",
        "improve",
        "struggled_questions",
        "unprepared",
        "culture_fit",
        "highlighted",
        "outside_control",
        "reframe",
        "next_step",
    ]
    assert t.link_application and t.next_step_prompt == "next_step"


def test_required_templates_exist_and_are_well_formed():
    ts = wb.templates()
    assert {"after_rejection", "after_interview", "weekly_review", "journal"} <= set(ts)
    assert list(ts) == sorted(ts, key=lambda i: (ts[i].order, ts[i].title))
    for t in ts.values():
        assert t.prompts and len({p.id for p in t.prompts}) == len(t.prompts)


def test_a_new_template_file_is_parsed_without_code_changes():
    text = """
id = "after_networking"
title = "After a coffee chat"
[[prompts]]
id = "learned"
label = "What did I learn?"
"""
    t = wb.parse_template(tomllib.loads(text))
    assert t.id == "after_networking" and t.prompts[0].label == "What did I learn?" and t.prompts[0].lines == 4


@pytest.mark.parametrize(
    "text",
    [
        'id = "x"\ntitle = "X"\nprompts = []',
        'id = "x"\ntitle = "X"\n[[prompts]]\nid = "a"\nlabel = "A"\n[[prompts]]\nid = "a"\nlabel = "B"',
        'title = "X"\n[[prompts]]\nid = "a"\nlabel = "A"',
        'id = "x"\ntitle = "X"\nnext_step_prompt = "nope"\n[[prompts]]\nid = "a"\nlabel = "A"',
    ],
)
def test_malformed_templates_are_refused(text):
    with pytest.raises(ValueError):
        wb.parse_template(tomllib.loads(text))


def test_removed_template_still_reads_old_answers():
    t = wb.template("gone_template")
    assert t.title == "Gone template" and t.label_for("what_now") == "What now"


def test_vocabularies_come_from_content():
    names = wb.emotion_names()
    for required in [
        "frustration",
        "sadness",
        "disappointment",
        "self-doubt",
        "anxiety",
        "anger",
        "relief",
        "hope",
        "motivation",
    ]:
        assert required in names
    kinds = wb.coping_kinds()
    assert {"friend", "family", "mentor", "exercise", "hobby", "nature", "rest", "creative", "other"} <= set(kinds)
    assert wb.social_kinds() == {"friend", "family", "mentor"}
    for theme in ["technical depth", "storytelling", "salary", "culture fit", "seniority", "preparation"]:
        assert theme in wb.default_themes()
    assert all(i["target"] >= 1 for i in wb.small_goal_ideas())


# -- validation -------------------------------------------------------------------
def test_checkin_validation_cleans_and_refuses():
    f = wb.validate_checkin(4, 6, [" self-doubt ", "Self-Doubt", "", "my own   feeling"], "  ", None, NOW)
    assert f["mood"] == 4 and f["energy"] == 6
    assert f["emotions"] == ["self-doubt", "my own feeling"]
    assert f["note"] is None and f["checked_at"] == NOW
    assert wb.validate_checkin(5, None, [], "x", TODAY - dt.timedelta(days=2), NOW)["checked_at"] == dt.datetime(
        2026, 11, 23, 12
    )
    for bad in [
        dict(mood=0),
        dict(mood=11),
        dict(mood=None),
        dict(mood="five"),
        dict(mood=4.5),
        dict(mood=5, energy=12),
        dict(mood=5, note="x" * (wb.MAX_TEXT + 1)),
        dict(mood=5, emotions_=["e"] * 0 + [f"e{i}" for i in range(13)]),
        dict(mood=5, checked_at=TODAY + dt.timedelta(days=1)),
    ]:
        with pytest.raises(ValidationError):
            wb.validate_checkin(**{"now": NOW, **bad})


def test_text_is_kept_exactly_as_typed():
    note = "  <script>alert(1)</script>\n**bold** שלום مرحبا 🌱  "
    assert wb.validate_checkin(5, note=note, now=NOW)["note"] == note
    long = "ä" * wb.MAX_TEXT
    assert wb.validate_reflection("journal", {"entry": long}, today=TODAY)["answers"]["entry"] == long


def test_coping_validation():
    f = wb.validate_coping(TODAY, "friend", " Sam ", 30, 5, "", today=TODAY)
    assert f["with_whom"] == " Sam " and f["minutes"] == 30 and f["helped"] == 5 and f["note"] is None
    assert wb.validate_coping(TODAY, "rest", today=TODAY)["helped"] is None
    for bad in [
        dict(kind="skydiving"),
        dict(helped=6),
        dict(helped=0),
        dict(minutes=0),
        dict(minutes=wb.MAX_MINUTES + 1),
        dict(day=TODAY + dt.timedelta(days=1)),
        dict(day="today"),
    ]:
        with pytest.raises(ValidationError):
            wb.validate_coping(**{"day": TODAY, "kind": "rest", "today": TODAY, **bad})


def test_reflection_validation_drops_empty_answers_but_needs_one():
    f = wb.validate_reflection(
        "after_rejection",
        {"went_well": "x", "improve": "  ", "reframe": ""},
        ["Preparation", "preparation", " my  own "],
        today=TODAY,
    )
    assert f["answers"] == {"went_well": "x"} and f["themes"] == ["Preparation", "my own"]
    with pytest.raises(ValidationError, match="at least one answer"):
        wb.validate_reflection("after_rejection", {"went_well": " "}, today=TODAY)
    with pytest.raises(ValidationError, match="Unknown"):
        wb.validate_reflection("nope", {"a": "b"}, today=TODAY)
    with pytest.raises(ValidationError):
        wb.validate_reflection("journal", {"entry": "x"}, [f"t{i}" for i in range(wb.MAX_THEMES + 1)], today=TODAY)
    with pytest.raises(ValidationError):
        wb.validate_reflection("journal", {"entry": "x"}, day=TODAY + dt.timedelta(days=1), today=TODAY)


# -- acknowledgements -----------------------------------------------------------------
def test_acknowledgement_fits_the_moment_and_is_stable():
    groups = wb.acknowledgements()["groups"]
    assert wb.acknowledgement(3, [], after_rejection=True, seed=1) in groups["rejection"]
    assert wb.acknowledgement(2, [], seed=1) in groups["low"]
    assert wb.acknowledgement(6, [], seed=1) in groups["middle"]
    assert wb.acknowledgement(9, [], seed=1) in groups["good"]
    assert wb.acknowledgement(3, [], True, seed=42) == wb.acknowledgement(3, [], True, seed=42)
    assert len({wb.acknowledgement(3, [], True, seed=s) for s in range(40)}) > 1  # variants rotate
    with_line = wb.acknowledgement(3, ["calm", "self-doubt"], True, seed=1)
    assert with_line.endswith(wb.acknowledgements()["emotion"]["self-doubt"])
    assert all("worth" in v or "measure" in v or "judgement" in v or "good enough" in v for v in groups["rejection"])


# -- coping suggestions -------------------------------------------------------------------
def test_suggestions_fall_back_to_defaults_in_content_order():
    got = wb.suggestions([], limit=3)
    ranks = [wb.coping_kinds()[s.kind]["default_rank"] for s in got]
    assert ranks == sorted(ranks) and len(got) == 3
    assert all(s.reason == "often helps people after a setback" for s in got)


def test_suggestions_rank_by_own_ratings_with_shrinkage():
    ratings = [("hobby", 6, 4.8, None), ("rest", 1, 5.0, None), ("creative", 4, 1.5, None), ("friend", 3, 4.0, "Sam")]
    got = wb.suggestions(ratings, limit=9)
    kinds = [s.kind for s in got]
    # 6 ratings of 4.8 beat a single 5; rated kinds come before the defaults
    assert kinds[:4] == ["hobby", "rest", "friend", "exercise"]
    assert "creative" not in kinds  # rated as not helping: never suggested
    assert got[0].reason == "helped you 4.8/5 on average (6 times)"
    assert next(s for s in got if s.kind == "friend").with_whom == "Sam"
    assert "other" not in kinds


def test_prefer_social_puts_someone_first():
    got = wb.suggestions([("hobby", 5, 5.0, None), ("family", 2, 4.0, None)], limit=3, prefer_social=True)
    assert got[0].kind == "family" and got[1].kind == "hobby"


# -- isolation nudge -------------------------------------------------------------------------
def test_isolation_nudge_only_in_the_week_after_a_rejection_without_social_contact():
    rej = [(TODAY - dt.timedelta(days=2), "Acme")]
    nudge = wb.isolation_nudge(rej, [], TODAY)
    assert nudge and nudge.days_since == 2 and "Acme" in nudge.message and "2 days ago" in nudge.message
    assert wb.isolation_nudge(rej, [TODAY - dt.timedelta(days=1)], TODAY) is None
    assert wb.isolation_nudge(rej, [TODAY - dt.timedelta(days=3)], TODAY)  # contact before the rejection
    assert wb.isolation_nudge([(TODAY - dt.timedelta(days=8), "Old")], [], TODAY) is None
    assert wb.isolation_nudge([(TODAY - dt.timedelta(days=7), "Edge")], [], TODAY)
    assert wb.isolation_nudge([], [], TODAY) is None
    # a newer rejection after the last contact nudges again
    two = [(TODAY - dt.timedelta(days=5), "Old"), (TODAY, "New")]
    assert wb.isolation_nudge(two, [TODAY - dt.timedelta(days=4)], TODAY).company == "New"
    assert "today" in wb.isolation_nudge(two, [], TODAY).message


# -- the rejection flow ------------------------------------------------------------------------
def test_flow_steps_can_be_done_skipped_and_revisited():
    state = flow.normalize({"application_id": 7})
    assert flow.current(state) == "checkin" and flow.progress(state) == 0 and flow.position(state) == 1
    flow.complete(state, "checkin", checkin_id=1)
    assert state["checkin_id"] == 1 and flow.current(state) == "coping"
    flow.skip(state, "coping")
    assert flow.current(state) == "reflection" and flow.progress(state) == 0.4
    flow.back(state)
    assert flow.current(state) == "coping"
    flow.complete(state, "coping")
    assert state["status"]["coping"] == flow.DONE and flow.current(state) == "reflection"
    flow.go_to(state, "next_step")
    flow.complete(state, "next_step")
    assert flow.current(state) == "reflection"  # wraps to the first open step
    flow.complete(state, "reflection")
    flow.skip(state, "feedback")
    assert flow.finished(state) and flow.current(state) == "finished" and flow.progress(state) == 1
    assert flow.position(state) == len(flow.STEPS)


def test_flow_normalize_tolerates_what_outcomes_sets():
    assert flow.normalize(None) is None
    state = flow.normalize({"application_id": 3, "offer_dismissed": True})
    assert state["step"] == "checkin" and state["offer_dismissed"]
    assert flow.normalize({"application_id": 3, "status": {"checkin": "done"}})["step"] == "coping"
    assert [s.id for s in flow.STEPS] == ["checkin", "coping", "reflection", "feedback", "next_step"]


def test_markdown_escaping_makes_user_text_inert():
    from rebound.ui.wellbeing import md

    assert md("**x** <b>y</b> [a](javascript:z) :red[c] $x$ # h") == (
        r"\*\*x\*\* \<b\>y\</b\> \[a\]\(javascript\:z\) \:red\[c\] \$x\$ \# h"
    )
    assert md("a\nb") == "a  \nb" and md(None) == ""
