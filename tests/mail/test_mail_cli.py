"""`rebound mail` as a person runs it: a subprocess, its JSON contract, --apply, --yes and bad input."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.slow  # every test here runs Rebound in another process

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mail"
KEYS = {"message_id", "date", "from", "subject", "kind", "company", "role", "application_id", "reason", "status"}


def rebound(*args):
    return subprocess.run([sys.executable, "-m", "rebound", *args], capture_output=True, text=True, timeout=120)


def test_json_contract_and_apply_cycle(tmp_path):
    db = str(tmp_path / "r.duckdb")
    database = Database(db)
    acme = Store(database, "local").applications.add("Acme, Inc.", "Data Analyst", "referral", dt.date(2026, 11, 1))
    database.close()
    mbox = tmp_path / "takeout.mbox"
    mbox.write_bytes(
        b"".join(
            b"From x Mon Nov 23 10:00:00 2026\n" + (FIXTURES / f"{n}.eml").read_bytes() + b"\n\n"
            for n in ("greenhouse_rejection_en", "job_alert_unfortunately", "linkedin_sent")
        )
    )

    out = rebound("mail", str(mbox), "--json", "--db", db)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"messages", "findings"} and data["messages"] == 3
    assert [f["kind"] for f in data["findings"]] == ["rejection", "received"]
    for f in data["findings"]:
        assert set(f) == KEYS and f["status"] == "new"
    rejection, received = data["findings"]
    assert (rejection["application_id"], rejection["company"], rejection["date"]) == (acme, "Acme, Inc.", "2026-11-23")
    assert rejection["reason"] is None  # "other candidates whose experience more closely aligns" is no stated reason
    assert received["application_id"] is None and received["reason"] is None

    # without --apply nothing was written
    again = json.loads(rebound("mail", str(mbox), "--json", "--db", db).stdout)
    assert {f["status"] for f in again["findings"]} == {"new"}

    applied = json.loads(rebound("mail", str(mbox), "--json", "--apply", "--db", db).stdout)
    assert {f["status"] for f in applied["findings"]} == {"proposed"}
    confirmed = json.loads(rebound("mail", str(mbox), "--json", "--apply", "--yes", "--db", db).stdout)
    assert {f["status"] for f in confirmed["findings"]} == {"confirmed"}
    assert confirmed["findings"][1]["application_id"] is not None  # the application was created

    database = Database(db)
    store = Store(database, "local")
    assert store.applications.get(acme)["status"] == "rejected"
    assert sorted(store.applications.all()["company"]) == ["Acme, Inc.", "Nimbus Labs"]
    database.close()


def test_plain_output_changes_nothing_and_says_so(tmp_path):
    out = rebound("mail", str(FIXTURES / "greenhouse_rejection_en.eml"), "--db", str(tmp_path / "r.duckdb"))
    assert out.returncode == 0
    assert "Rejected by Acme" in out.stdout and "Nothing was changed" in out.stdout


def test_bad_input_is_named_and_the_rest_still_scanned(tmp_path):
    binary = tmp_path / "photo.mbox"
    binary.write_bytes(bytes(range(256)) * 50)
    out = rebound(
        "mail",
        str(binary),
        str(FIXTURES / "offer_en.eml"),
        str(tmp_path / "missing"),
        "--json",
        "--db",
        str(tmp_path / "r.duckdb"),
    )
    assert out.returncode == 0
    assert "photo.mbox is not a mailbox" in out.stderr and "missing does not exist" in out.stderr
    assert [f["kind"] for f in json.loads(out.stdout)["findings"]] == ["offer"]
    only_bad = rebound("mail", str(binary), "--db", str(tmp_path / "r.duckdb"))
    assert only_bad.returncode == 1 and "binary" in only_bad.stderr


def test_yes_needs_apply(tmp_path):
    out = rebound("mail", str(FIXTURES / "offer_en.eml"), "--yes", "--db", str(tmp_path / "r.duckdb"))
    assert out.returncode == 2 and "--apply" in out.stderr


def test_yes_lists_what_confirming_does_before_it_writes(tmp_path):
    db = str(tmp_path / "r.duckdb")
    database = Database(db)
    Store(database, "local").applications.add("Acme, Inc.", "Data Analyst", "referral", dt.date(2026, 11, 1))
    database.close()
    mails = [str(FIXTURES / f"{n}.eml") for n in ("greenhouse_rejection_en", "linkedin_sent")]
    out = rebound("mail", *mails, "--apply", "--yes", "--db", db)
    assert out.returncode == 0, out.stderr
    listed = out.stdout.split("Confirming:\n", 1)[1].split("Confirmed 2;", 1)[0].splitlines()
    assert listed[0] == "New application it will create (1):" and listed[1].startswith("  • Nimbus Labs — ")
    assert listed[2] == "Event it will add (1):"
    assert listed[3].startswith("  • Rejected") and "→ Acme, Inc. — Data Analyst · applied 1 Nov 2026" in listed[3]
    assert listed[4] == "Acknowledgements marked as read (no event):"
    again = rebound("mail", *mails, "--apply", "--yes", "--db", db)  # all confirmed: nothing to list or write
    assert again.returncode == 0 and "Confirming:" not in again.stdout


def test_a_confirmation_whose_list_went_out_of_date_writes_nothing_and_fails(store, monkeypatch, capsys):
    """The CLI's edit of existing records (proposals to confirmed) is compare-and-set like the app's: the
    app confirming one between the listing and the writing refuses the whole confirmation."""
    from rebound.cli import _confirm_found
    from rebound.mail.parse import parse_pasted
    from rebound.mail.scan import scan_items

    acme = store.applications.add("Acme, Inc.", "Data Analyst", "referral", dt.date(2026, 11, 1))
    mail = parse_pasted(
        "Unfortunately we will not be moving forward with your application.",
        subject="Your application",
        sender="Acme Recruiting <jobs@acme.com>",
    )
    found = scan_items([mail], store.mail.applications()).findings
    store.mail.record(found)
    listed = store.mail.preview

    def then_the_app_confirms(ids, today=None):
        plan = listed(ids, today)
        store.mail.confirm_one(ids[0])  # the app, between the CLI's listing and its writing
        return plan

    monkeypatch.setattr(store.mail, "preview", then_the_app_confirms)
    assert _confirm_found(store, [f.message_key for f in found], sys.stdout) == (0, False)
    assert "nothing was confirmed" in capsys.readouterr().err
    assert store.applications.timeline(acme)["kind"].tolist() == ["applied", "rejected"]  # the app's, once
    assert store.mail.last_confirm()["findings"] == 1  # the app's confirmation, still undoable
