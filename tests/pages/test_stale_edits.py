"""Two tabs (two AppTest sessions on one database) editing the same journal entry: the stale save is
refused with a clear message, nothing says saved, what was typed stays, and saving again keeps it."""

from __future__ import annotations

import pytest

from rebound.db import Database
from rebound.store import Store


def _stored(db_path) -> Store:
    import streamlit as st

    from rebound import ui

    st.cache_resource.clear()  # release the app's connection to the file
    ui.clear_cached()
    return Store(Database(db_path), "local")


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _edit(at, kind, rid):
    at.session_state["reflect_tabs"] = "📓 Journal"
    at.run()
    at.button(key=f"journal_edit_{kind}_{rid}").click().run()


@pytest.mark.parametrize("kind", ["reflection", "checkin"])
def test_two_tabs_editing_one_journal_entry(run_page, db_path, kind):
    s = Store(Database(db_path), "local")
    if kind == "reflection":
        rid = s.reflections.add("journal", {"entry": "first thoughts"})
    else:
        rid = s.checkins.add(4, 5, ["anxiety"], "first thoughts")
    s.db.close()
    tab_a, tab_b = run_page("pages/reflect.py", db_path), run_page("pages/reflect.py", db_path)
    _edit(tab_a, kind, rid)
    _edit(tab_b, kind, rid)

    def text(at):
        prefix = f"wb:journal:edit:{kind}:{rid}:"
        return next(w for w in at.text_area if w.key.startswith(prefix) and ("note" in w.key or "entry" in w.key))

    text(tab_a).input("from tab A")
    _button(tab_a, "Save changes").click().run()
    assert not tab_a.exception and not tab_a.error
    text(tab_b).input("from tab B")
    _button(tab_b, "Save changes").click().run()
    assert not tab_b.exception
    said = " ".join(e.value for e in tab_b.error)
    assert "Not saved" in said and "changed in another tab or window at" in said
    assert not any("saved" in m.value.lower() for m in tab_b.success)
    assert text(tab_b).value == "from tab B"  # what was typed is still there
    s = _stored(db_path)
    now = s.reflections.get(rid)["answers"]["entry"] if kind == "reflection" else s.checkins.get(rid)["note"]
    s.db.close()
    assert now == "from tab A"
    _button(tab_b, "Save changes").click().run()  # again: keep mine
    assert not tab_b.exception and not tab_b.error
    s = _stored(db_path)
    now = s.reflections.get(rid)["answers"]["entry"] if kind == "reflection" else s.checkins.get(rid)["note"]
    s.db.close()
    assert now == "from tab B"
