"""The drafts store: per-user, round-trips what forms hold, cheap to write, gone on save and delete-all."""

from __future__ import annotations

import datetime as dt

import pytest

from rebound.db import Database
from rebound.drafts.repository import MAX_DRAFT_CHARS, decode_fields, encode_fields
from rebound.errors import ValidationError
from rebound.store import Store

HOSTILE = "<script>alert(1)</script> **bold** $x^2$ שלום 🌱\nline two"


def test_a_draft_round_trips_every_kind_of_form_value(store):
    fields = {
        "a:went_well": HOSTILE,
        "themes": ["storytelling", "my own"],
        "day": dt.date(2026, 11, 30),
        "mood": 4,
        "helped": None,
        "application": 17,
        "_nonce": 3,
        "~applied": "x",
    }
    when = store.drafts.save("reflect:after_rejection", fields)
    saved, stamp = store.drafts.all()["reflect:after_rejection"]
    assert saved == {
        "a:went_well": HOSTILE,
        "themes": ["storytelling", "my own"],
        "day": dt.date(2026, 11, 30),
        "mood": 4,
        "helped": None,
        "application": 17,
    }  # private keys are session-only
    assert stamp == when


def test_numpy_numbers_from_pandas_are_kept_as_numbers(store):
    import numpy as np

    store.drafts.save("flow:state", {"application_id": np.int64(42), "share": np.float64(0.5)})
    assert store.drafts.all()["flow:state"][0] == {"application_id": 42, "share": 0.5}


def test_saving_again_replaces_and_delete_removes(store):
    store.drafts.save("checkin:new", {"note": "first"})
    store.drafts.save("checkin:new", {"note": "second"})
    store.drafts.save("coping:new", {"note": "other form"})
    drafts = store.drafts.all()
    assert drafts["checkin:new"][0] == {"note": "second"} and len(drafts) == 2
    store.drafts.delete("checkin:new")
    assert list(store.drafts.all()) == ["coping:new"]
    store.drafts.delete("never-there")  # no error


def test_another_user_never_sees_or_touches_my_draft(db, store):
    other = Store(db, "someone-else")
    store.drafts.save("reflect:journal", {"a:entry": "mine"})
    assert other.drafts.all() == {}
    other.drafts.save("reflect:journal", {"a:entry": "theirs"})
    other.drafts.delete("reflect:journal")
    assert store.drafts.all()["reflect:journal"][0] == {"a:entry": "mine"}
    other.drafts.save("reflect:journal", {"a:entry": "theirs"})
    other.account.delete_all_data()
    assert store.drafts.all()["reflect:journal"][0] == {"a:entry": "mine"}


def test_draft_writes_do_not_invalidate_cached_reads(store):
    # A draft is written on every committed keystroke: it must not throw away every page's caches.
    before = store.revision
    store.drafts.save("checkin:new", {"note": "x"})
    store.drafts.delete("checkin:new")
    assert store.revision == before


def test_saving_a_form_deletes_its_draft_in_the_same_transaction(store):
    store.drafts.save("reflect:journal", {"a:entry": "typed"})
    store.drafts.save("checkin:new", {"note": "kept"})
    rid = store.reflections.add("journal", {"entry": "typed"}, draft="reflect:journal")
    assert rid and "reflect:journal" not in store.drafts.all() and "checkin:new" in store.drafts.all()

    store.drafts.save("reflect:journal", {"a:entry": ""})
    with pytest.raises(ValidationError):  # a refused save keeps the draft
        store.reflections.add("journal", {"entry": "   "}, draft="reflect:journal")
    assert "reflect:journal" in store.drafts.all()
    store.drafts.delete("reflect:journal")

    store.checkins.add(5, draft="checkin:new")
    store.drafts.save("coping:new", {"kind": "walk"})
    store.coping.add(dt.date.today(), "exercise", draft="coping:new")
    store.drafts.save("flow:next_step", {"label": "Walk"})
    store.goals.add(dt.date.today(), "custom", 3, "Walk", draft="flow:next_step")
    assert store.drafts.all() == {}


def test_delete_all_my_data_removes_drafts(store):
    store.drafts.save("reflect:journal", {"a:entry": "typed"})
    counts = store.account.delete_all_data()
    assert counts.get("drafts") == 1 and store.drafts.all() == {}
    assert "drafts" in store.account.user_tables()  # so backups and exports carry them like every table


def test_drafts_survive_reopening_the_file(db_path):
    db = Database(db_path)
    Store(db, "local").drafts.save("reflect:journal", {"a:entry": HOSTILE, "day": dt.date(2026, 1, 2)})
    db.close()
    db = Database(db_path)
    try:
        assert Store(db, "local").drafts.all()["reflect:journal"][0] == {"a:entry": HOSTILE, "day": dt.date(2026, 1, 2)}
    finally:
        db.close()


def test_oversized_or_odd_drafts_are_refused_or_ignored(store):
    with pytest.raises(ValidationError):
        store.drafts.save("reflect:journal", {"a:entry": "x" * (MAX_DRAFT_CHARS + 1)})
    assert store.drafts.all() == {}
    assert decode_fields("not json") == {} and decode_fields("[1, 2]") == {}
    assert decode_fields(encode_fields({"day": {"$date": "nonsense"}})) == {"day": None}


@pytest.mark.slow
def test_a_draft_survives_the_app_being_killed_right_after_writing_it(tmp_path):
    """No close, no checkpoint: the new database's .wal must replay (DuckDB 1.5 could not replay one
    holding the migrations' ALTER TABLEs, so a killed server's file would not open again)."""
    import os
    import subprocess
    import sys

    path = tmp_path / "killed.duckdb"
    code = (
        "import os, sys\nfrom rebound.db import Database\nfrom rebound.store import Store\n"
        "db = Database(sys.argv[1])\nstore = Store(db, 'local')\n"
        "store.drafts.save('reflect:journal', {'a:entry': 'kept'})\nos._exit(0)\n"
    )  # held open: no close
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert (tmp_path / "killed.duckdb.wal").exists()  # the draft is in the log only
    db = Database(str(path))
    try:
        assert Store(db, "local").drafts.all()["reflect:journal"][0] == {"a:entry": "kept"}
    finally:
        db.close()


def test_the_typed_words_script_survives_streamlits_sanitizer():
    """st.html runs DOMPurify even with JavaScript allowed: it drops a script whose text holds '<' before a
    letter, '/' or '!' (a comment saying 'key <form>' once emptied the whole script)."""
    import re

    from rebound.ui.drafts import TYPED_WORDS

    body = TYPED_WORDS.removeprefix("<script>").removesuffix("</script>")
    assert "__CONFIG__" in body and not re.search(r"<[/\w!]", body)
