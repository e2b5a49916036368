"""Answer and interview rate per CV version (rebound.insights.materials) and `rebound diagnose --json`'s by_version."""

import datetime as dt
import json
import math

import pytest

from rebound.cli import main
from rebound.insights.diagnosis import diagnose, wilson
from rebound.insights.materials import compare, notes, version_rates

D = dt.date(2026, 1, 1)
NAMES = ("channel", "reached", "responded", "outcome", "settled", "recent", "cv_version_id", "letter_version_id", "n")


def path(reached, responded, outcome, n, cv=None, letter=None, settled=True):
    return dict(zip(NAMES, ("job board", reached, responded, outcome, settled, False, cv, letter, n)))


def version(vid, label, kind="cv", made_on=D, deleted=False):
    return {"id": vid, "kind": kind, "label": label, "made_on": made_on, "deleted": deleted}


def test_each_version_counts_only_its_applications_with_the_diagnosis_interval():
    paths = [
        path(0, False, "ghosted", 10, cv=1),
        path(1, True, "rejected", 2, cv=1, letter=9),
        path(2, True, "open", 3, cv=2, letter=9),  # interviewing now
        path(0, False, "open", 5, cv=2, settled=False),  # sent last week: waiting, not lost
        path(0, False, "withdrawn", 1, cv=2),  # withdrawn before an answer: not a "no"
        path(0, True, "rejected", 7),  # imported, no version: in no version's rate
    ]
    v1, v2, letter = version_rates(
        paths, [version(2, "v2", made_on=D.replace(day=9)), version(9, "A", "cover_letter"), version(1, "v1")]
    )
    assert (v1.label, v2.label, letter.label) == ("v1", "v2", "A")  # CVs first, oldest first
    assert (v1.applications, v1.answer.of, v1.answer.through, v1.interview.through) == (12, 12, 2, 0)
    assert (v1.answer.low, v1.answer.high) == wilson(2, 12)  # the one interval implementation
    assert (v2.applications, v2.answer.of, v2.answer.through, v2.interview.through) == (9, 3, 3, 3)
    assert (letter.applications, letter.answer.of, letter.interview.through) == (5, 5, 3)


def test_no_applications_divides_by_nothing_and_says_too_few():
    (v,) = version_rates([], [version(1, "v1")])
    assert v.applications == 0 and v.answer.shown() == "0 of 0" and math.isnan(v.answer.rate)
    assert v.as_json()["answer_rate"] is None and v.as_json()["interview_low"] is None
    assert notes([v]) == ["One CV version so far: when you change your CV, add the new version to compare them."]
    assert version_rates([path(0, True, "rejected", 4)], []) == []  # no versions: nothing, no error


def test_every_application_on_one_version():
    (v,) = version_rates([path(1, True, "rejected", 30, cv=1), path(0, False, "ghosted", 30, cv=1)], [version(1, "v1")])
    assert (v.answer.through, v.answer.of) == (30, 60)
    assert v.answer.low < 0.5 < v.answer.high


def test_two_versions_with_few_applications_cannot_be_told_apart():
    a, b = version_rates(
        [path(0, False, "ghosted", 3, cv=1), path(1, True, "rejected", 4, cv=2)], [version(1, "v1"), version(2, "v2")]
    )
    assert "cannot be told apart yet: too few applications" in compare(a, b)
    assert "(3 and 4; at least 5 each to compare)" in compare(a, b)


def test_overlapping_intervals_cannot_be_told_apart_and_separate_ones_can():
    paths = [
        path(0, False, "ghosted", 8, cv=1),
        path(1, True, "rejected", 2, cv=1),  # v1: 2 of 10
        path(0, False, "ghosted", 6, cv=2),
        path(1, True, "rejected", 4, cv=2),  # v2: 4 of 10: overlaps
        path(0, False, "ghosted", 2, cv=3),
        path(2, True, "rejected", 18, cv=3),  # v3: 18 of 20
    ]
    v1, v2, v3 = version_rates(paths, [version(i, f"v{i}", made_on=D.replace(day=i)) for i in (1, 2, 3)])
    assert "“v1” and “v2” cannot be told apart yet: their likely answer rates overlap" in compare(v1, v2)
    said = compare(v2, v3)
    assert said.startswith("“v3” gets answers more often than “v2” (90%, likely 70–97%, against 40%")
    assert notes([v1, v2, v3]) == [compare(v1, v2), compare(v2, v3)]


def test_a_deleted_version_is_named_so_and_hostile_labels_stay_as_written():
    (v,) = version_rates([path(1, True, "rejected", 1, cv=1)], [version(1, "<b>v1</b> **x**", deleted=True)])
    assert v.name == "deleted version: <b>v1</b> **x**"
    assert v.as_json()["version"] == "<b>v1</b> **x**" and v.as_json()["deleted"] is True


def test_the_diagnosis_carries_the_versions_even_before_it_has_a_verdict():
    found = diagnose([path(1, True, "rejected", 3, cv=1)], [version(1, "v1")])
    assert found.stage is None
    (entry,) = found.as_json()["by_version"]
    assert entry == {
        "version": "v1",
        "kind": "cv",
        "deleted": False,
        "made_on": "2026-01-01",
        "applications": 3,
        "known": 3,
        "answered": 3,
        "answer_rate": 1.0,
        "answer_low": pytest.approx(wilson(3, 3)[0], abs=1e-4),
        "answer_high": 1.0,
        "interviews": 0,
        "interview_rate": 0.0,
        "interview_low": 0.0,
        "interview_high": pytest.approx(wilson(0, 3)[1], abs=1e-4),
    }


def test_cli_diagnose_json_fills_by_version_from_the_store(store, db, db_path, capsys, today):
    cv = store.materials.add("cv", "v1 — after Initech", today - dt.timedelta(days=90), today=today)
    for i in range(6):
        app = store.applications.add(
            f"Firm {i}", "Analyst", "referral", today - dt.timedelta(days=60), cv_version_id=cv
        )
        if i < 2:
            store.applications.add_event(app, "screen", today - dt.timedelta(days=50))
    store.applications.add("Imported", "Analyst", "referral", today - dt.timedelta(days=60))  # no version
    db.close()
    assert main(["diagnose", "--json", "--db", db_path]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["by_version"]
    assert (entry["version"], entry["applications"], entry["known"], entry["answered"]) == (
        "v1 — after Initech",
        6,
        6,
        2,
    )
    assert entry["answer_low"] < entry["answer_rate"] < entry["answer_high"]
    assert main(["diagnose", "--db", db_path]) == 0
    assert "v1 — after Initech" in capsys.readouterr().out
