"""Today announces the diagnosis of the search when it is new or has changed, until it is seen."""

import datetime as dt

from rebound.db import Database
from rebound.store import Store

D = dt.timedelta


def _search(db_path, today, answered: int = 1, unanswered: int = 30):
    db = Database(db_path)
    store = Store(db, "local")
    for i in range(unanswered):
        store.applications.add(f"Co {i}", "Analyst", "job board", today - D(days=30 + i))
    for i in range(answered):
        app = store.applications.add(f"Kind {i}", "Analyst", "referral", today - D(days=40))
        store.applications.add_event(app, "screen", today - D(days=35))
        store.applications.add_event(app, "interview", today - D(days=30), round=1)
        store.applications.add_event(app, "rejected", today - D(days=25), stage="interview")
    db.close()


def _note(at) -> str:
    return "\n".join(m.value for m in at.markdown if m.value.startswith("🧭")).replace("\\", "")


def test_today_says_a_first_diagnosis_until_got_it(run_page, db_path, today):
    _search(db_path, today)
    at = run_page("pages/today.py", db_path)
    assert "A first diagnosis of your search." in _note(at)
    assert "before any answer" in _note(at)
    at.button(key="diagnosis_seen_button").click().run()
    assert _note(at) == ""
    assert _note(run_page("pages/today.py", db_path)) == ""  # seen: not again


def test_seen_on_progress_is_seen_and_a_change_is_announced(run_page, db_path, today):
    _search(db_path, today)
    run_page("pages/progress.py", db_path)  # the diagnosis is shown there
    assert _note(run_page("pages/today.py", db_path)) == ""
    # Many answers and interviews, never an offer: the step that loses most moves to the interviews
    _search(db_path, today, answered=40, unanswered=0)
    at = run_page("pages/today.py", db_path)
    assert "Where your search loses most has changed." in _note(at)
    assert "after interviews" in _note(at)


def test_no_note_without_enough_to_say(run_page, db_path, today):
    _search(db_path, today, answered=1, unanswered=3)
    assert _note(run_page("pages/today.py", db_path)) == ""
