"""The mail-reading accuracy benchmark (benchmarks/mail_accuracy.py): its arithmetic on a corpus whose
answers are known, and the targets of issue 26 on the labelled corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks import mail_accuracy as bench

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mail"


def test_reason_is_right_when_either_contains_the_other_and_none_matches_empty():
    labelled = "the role required fluency in Japanese"
    assert bench.reason_right(labelled, "We went ahead because the role required  fluency\nin Japanese.")
    assert bench.reason_right(labelled, "fluency in Japanese")
    assert bench.reason_right(labelled, "the role required fluency…")  # a long quote is shortened with …
    assert not bench.reason_right(labelled, "We have decided to move forward with other candidates.")
    assert not bench.reason_right(labelled, "")
    assert not bench.reason_right("", "We have decided to move forward with other candidates.")
    assert bench.reason_right("", "")


def _mini_corpus(root: Path) -> Path:
    """Four fixture messages as a corpus part: two applications, one message labelled wrong on purpose."""
    part = root / "dev"
    part.mkdir(parents=True)
    names = ["greenhouse_rejection_en", "lever_phone_screen", "job_alert_unfortunately", "offer_en"]
    for i, name in enumerate(names):
        shutil.copy(FIXTURES / f"{name}.eml", part / f"{i:03d}-{name}.eml")
    (part / "applications.toml").write_text(
        '[[application]]\nid = "acme"\ncompany = "Acme, Inc."\nrole = "Data Analyst"\napplied_on = 2026-10-01\n'
        'channel = "company site"\n\n'
        '[[application]]\nid = "nimbus"\ncompany = "Nimbus Labs"\nrole = "Analyst"\napplied_on = 2026-10-02\n'
        'channel = "LinkedIn"\n',
        encoding="utf-8",
    )
    labels = [
        ("greenhouse_rejection_en", "rejection", "acme", ""),  # "whose experience more closely aligns": no reason
        ("lever_phone_screen", "interview", "nimbus", ""),
        ("job_alert_unfortunately", "none", "", ""),
        ("offer_en", "received", "", ""),  # wrong on purpose: Rebound reads an offer
    ]
    (part / "labels.toml").write_text(
        "".join(
            f'[[message]]\nfile = "{i:03d}-{n}.eml"\nkind = "{k}"\napplication = "{a}"\nreason = "{r}"\nlanguage = "en"\n\n'
            for i, (n, k, a, r) in enumerate(labels)
        ),
        encoding="utf-8",
    )
    return part


def test_benchmark_counts_kinds_matches_and_reasons_as_rebound_mail_reads_them(tmp_path, capsys):
    s = bench.summary(bench.run_part(_mini_corpus(tmp_path), "dev"))
    assert s["messages"] == 4 and s["problems"] == 0
    assert s["confusion"]["received"]["offer"] == 1 and s["confusion"]["none"]["none"] == 1
    assert s["per_kind"]["offer"] == {"precision": 0.0, "recall": None, "f1": 0.0, "support": 0, "predicted": 1}
    assert s["per_kind"]["received"]["recall"] == 0.0
    assert s["per_kind"]["rejection"]["precision"] == 1.0 and s["per_kind"]["rejection"]["f1"] == 1.0
    assert s["kind_accuracy"] == 0.75
    assert (s["matching"], s["matching_support"]) == (1.0, 2)
    assert (s["reason"], s["reason_support"]) == (1.0, 1)
    met = bench.targets_met(s)
    assert met["rejection precision ≥ 0.99"] and not met["every kind's F1 ≥ 0.9"]

    assert bench.main(["--corpus", str(tmp_path), "--part", "dev"]) == 0
    out = capsys.readouterr().out
    assert "== dev: 4 messages" in out and "matching: 1.000 of 2" in out


def test_every_part_is_reported_and_only_the_parts_tuned_on_list_their_misses(tmp_path, capsys):
    part = _mini_corpus(tmp_path)
    for other in ("dev2", "heldout"):
        shutil.copytree(part, tmp_path / other)
    assert bench.main(["--corpus", str(tmp_path), "--part", "all", "--misses"]) == 0
    captured = capsys.readouterr()
    assert all(f"== {name}: 4 messages" in captured.out for name in ("dev", "dev2", "held out"))
    # the message read wrong (an offer labelled "received") is listed for dev and dev2, never for held out
    assert captured.err.count("003-offer_en.eml") == 2
    assert bench.main(["--corpus", str(tmp_path), "--part", "heldout", "--misses"]) == 0
    captured = capsys.readouterr()
    assert "== held out: 4 messages" in captured.out and "offer_en" not in captured.err


# -- the targets of issue 26 on the labelled corpus (tests/fixtures/mail_corpus) -------------------
@pytest.fixture(scope="module")
def figures():
    return {part: bench.summary(bench.run_part(bench.CORPUS / part, part)) for part in bench.PARTS}


def test_the_corpus_is_large_and_spans_every_kind_and_language(figures):
    dev, dev2, held_out = figures["dev"], figures["dev2"], figures["heldout"]
    assert dev["messages"] + held_out["messages"] >= 300
    assert dev2["messages"] >= 160
    for s in (dev, dev2, held_out):
        assert s["problems"] == 0
        assert all(k["support"] for k in s["per_kind"].values()), s["per_kind"]
        languages = {lang.split("-")[0] for lang in s["by_language"]}
        assert {"en", "de", "fr", "es", "nl", "it", "ja"} <= languages


def test_dev_part_meets_every_target(figures):
    s = figures["dev"]
    rejection = s["per_kind"]["rejection"]
    assert rejection["precision"] >= 0.99 and rejection["recall"] >= 0.95, rejection
    assert min(k["f1"] for k in s["per_kind"].values()) >= 0.9, s["per_kind"]
    assert s["matching"] >= 0.95 and s["reason"] >= 0.85, (s["matching"], s["reason"])
    assert all(bench.targets_met(s).values())


def test_dev2_part_meets_every_target(figures):
    """dev2 was written after the rules, in other forms (threads, forwards, signatures, status-only mails,
    calendar parts, bulleted feedback). Before any change for it: kind right 0.81, rejection precision 0.93,
    recall 0.66, lowest F1 0.77, right application 0.82, reason 0.68 (README). It is tuned on now."""
    s = figures["dev2"]
    rejection = s["per_kind"]["rejection"]
    assert rejection["precision"] >= 0.99 and rejection["recall"] >= 0.95, rejection
    assert min(k["f1"] for k in s["per_kind"].values()) >= 0.9, s["per_kind"]
    assert s["matching"] >= 0.95 and s["reason"] >= 0.85, (s["matching"], s["reason"])
    assert s["kind_accuracy"] >= 0.97
    assert all(bench.targets_met(s).values())


def test_held_out_part_as_measured_on_mail_nobody_tuned_for(figures):
    """What holds on the part the rules were never developed on (figures in the README); the targets
    that do not hold there yet are not asserted."""
    s = figures["heldout"]
    rejection = s["per_kind"]["rejection"]
    assert rejection["precision"] >= 0.99  # no false "you were rejected"
    assert rejection["recall"] >= 0.85  # 0.87 after dev2 (0.83 before)
    assert s["kind_accuracy"] >= 0.93  # 0.94 (0.90)
    assert min(k["f1"] for k in s["per_kind"].values()) >= 0.88  # 0.89, received (0.81, interview)
    assert s["matching"] >= 0.95  # 0.96 (0.92): this target is met
    assert s["reason"] >= 0.8  # 0.80 (0.76)
