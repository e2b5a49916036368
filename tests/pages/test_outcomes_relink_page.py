"""Outcomes through AppTest: re-applications shown and grouped, Merge and its Undo, and the offer of
the steps after a rejection only beside the application whose rejection was just logged."""

from __future__ import annotations

import datetime as dt
import re

from conftest import open_page

from rebound.db import Database
from rebound.store import Store

D = dt.date
HOSTILE = "<img src=x onerror=alert(1)> **bold**"


def button(at, label):
    return next(b for b in at.button if b.label == label)


def submit(at, label):
    return next(b for b in at.get("form_submit_button") if b.label == label)


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [i.value for i in at.info] + [e.value for e in at.error])


def seed(db_path, fill) -> object:
    db = Database(db_path)
    try:
        return fill(Store(db, "local"))
    finally:
        db.close()


read = seed  # the same file, beside the app's connection (one DuckDB instance in this process)


def test_a_reapplication_says_so_and_lists_the_others(run_page, db_path):
    def fill(store):
        first = store.applications.add(HOSTILE, "Data Analyst", "job board", D(2025, 8, 14))
        store.applications.add_event(first, "rejected", D(2025, 9, 2), stage="screen")
        store.applications.add(HOSTILE.upper(), "data  analyst", "referral", D(2026, 2, 3))
        store.applications.add("Globex", "Analyst", "referral", D(2026, 3, 1))
        return store.applications.add(HOSTILE, "Data Analyst", "job board", D(2026, 11, 2))

    newest = seed(db_path, fill)
    at = run_page("pages/outcomes.py", db_path)
    assert at.session_state["outcomes_open"] == newest
    shown = texts(at)
    assert "Applied again: 3rd time since Aug 2025" in shown
    assert "earlier: applied 14 Aug 2025 · Rejected" in shown
    assert "earlier: applied 3 Feb 2026 · Applied" in shown
    # the hostile company is shown literally wherever Markdown draws it
    assert not re.search(r"(?<!\\)<img", shown) and not re.search(r"(?<!\\)\*\*bold", shown)

    at.toggle(key="outcomes_group").set_value(True).run()
    table = at.dataframe[0].value
    assert dict(zip(table["company"], table["times"])) == {HOSTILE: 3, "Globex": 1}


def test_merge_moves_a_check_in_and_undo_puts_it_back(run_page, db_path):
    def fill(store):
        other = store.applications.add(HOSTILE, "Analyst", "job board", D(2026, 10, 1))
        store.applications.add_event(other, "screen", D(2026, 10, 6))
        keep = store.applications.add(HOSTILE, "Analyst", "referral", D(2026, 10, 3))
        store.applications.add_event(keep, "screen", D(2026, 10, 6))  # the same event: kept once
        return keep, other, store.checkins.add(4, application_id=other)

    keep, other, checkin = seed(db_path, fill)
    at = run_page("pages/outcomes.py", db_path)
    at.session_state["outcomes_open"] = keep
    at.session_state[f"outcomes_merge_open_{keep}"] = True  # what opening "Merge with another application" does
    at.run()
    picker = at.selectbox(key=f"outcomes_merge_pick_{keep}")
    assert picker.options[0].startswith(HOSTILE)  # the same company and role first
    picker.select(other).run()
    button(at, "Merge into this one").click().run()
    assert not at.exception and not at.error
    assert read(db_path, lambda s: (s.applications.get(other), s.applications.count())) == (None, 1)
    assert read(db_path, lambda s: s.checkins.get(checkin)["application_id"]) == keep
    kinds = read(db_path, lambda s: s.applications.timeline(keep)["kind"].tolist())
    assert kinds == ["applied", "screen"]
    shown = texts(at)
    assert "into this one" in shown and not re.search(r"(?<!\\)<img", shown)

    button(at, "Undo merge").click().run()
    assert not at.exception and not at.error
    assert read(db_path, lambda s: s.applications.count()) == 2
    assert read(db_path, lambda s: s.checkins.get(checkin)["application_id"]) == other
    assert read(db_path, lambda s: s.applications.timeline(other)["kind"].tolist()) == ["applied", "screen"]
    assert not any(b.label == "Undo merge" for b in at.button)


def test_a_merge_with_a_stale_version_is_refused_on_the_page(run_page, db_path):
    def fill(store):
        other = store.applications.add("Acme", "Analyst", "job board", D(2026, 10, 1))
        keep = store.applications.add("Acme", "Analyst", "referral", D(2026, 10, 3))
        return keep, other

    keep, other = seed(db_path, fill)
    at = run_page("pages/outcomes.py", db_path)
    at.session_state[f"outcomes_merge_open_{keep}"] = True
    at.run()
    at.selectbox(key=f"outcomes_merge_pick_{keep}").select(other).run()
    seed(db_path, lambda s: s.applications.update(other, "Acme", "Analyst", "company site", D(2026, 10, 1)))
    button(at, "Merge into this one").click().run()  # another tab saved the other one since
    assert any("changed in another tab" in e.value for e in at.error)
    assert read(db_path, lambda s: s.applications.count()) == 2


def test_no_offer_of_the_steps_before_an_application_is_chosen(run_page, db_path):
    def fill(store):
        app = store.applications.add("Acme", "Analyst", "referral", D(2026, 10, 1))
        store.applications.add_event(app, "rejected", D(2026, 10, 9), stage="applied")
        store.applications.add("Open Co", "Analyst", "referral", D(2026, 10, 2))
        return app

    app = seed(db_path, fill)
    at = run_page("pages/today.py", db_path)
    at.session_state["rejection_flow"] = {"application_id": app, "step": "checkin", "status": {}}  # an earlier one
    at.query_params["do"] = "reject"
    open_page(at, "pages/outcomes.py")
    at.run()
    assert at.selectbox(key="outcomes_picker").value is None
    assert "That one stings" not in texts(at)
    at.query_params.pop("do")
    at.session_state["outcomes_open"] = app  # chosen, but its rejection was not just logged here
    at.run()
    assert "That one stings" not in texts(at)


def test_the_offer_ends_when_the_steps_are_finished(run_page, db_path):
    app = seed(db_path, lambda s: s.applications.add("Acme", "Analyst", "referral", D(2026, 10, 1)))
    at = run_page("pages/outcomes.py", db_path)
    button(at, "Log rejection").click().run()
    submit(at, "Save").click().run()
    assert "That one stings" in texts(at)
    assert any(link.label == "Start with a check-in" for link in at.get("page_link"))
    # the steps are walked through (on the Check-in page, or in another tab): all done
    done = {"application_id": app, "step": "finished", "status": dict.fromkeys(
        ("checkin", "coping", "reflection", "feedback", "next_step"), "done"
    )}  # fmt: skip
    at.session_state["rejection_flow"] = done
    seed(db_path, lambda s: s.drafts.save("flow:state", done))
    at.run()
    assert "That one stings" not in texts(at)
    assert not any(link.label == "Start with a check-in" for link in at.get("page_link"))


def test_the_offer_goes_on_from_the_step_reached(run_page, db_path):
    app = seed(db_path, lambda s: s.applications.add("Acme", "Analyst", "referral", D(2026, 10, 1)))
    at = run_page("pages/outcomes.py", db_path)
    button(at, "Log rejection").click().run()
    submit(at, "Save").click().run()
    partway = {"application_id": app, "step": "coping", "status": {"checkin": "done"}}
    at.session_state["rejection_flow"] = partway
    seed(db_path, lambda s: s.drafts.save("flow:state", partway))
    at.run()
    assert [
        link.label for link in at.main.get("page_link") if "check-in" in link.label.lower() or "Go on" in link.label
    ] == ["Go on: look after yourself"]


def test_ten_thousand_applications_to_one_company_and_role(run_page, db_path):
    import time

    def fill(store):
        rows = [
            {"company": "Acme", "role": "Analyst", "channel": "job board", "applied_on": D(2021, 1, 1) + dt.timedelta(days=n % 1500)}
            for n in range(10_000)
        ]  # fmt: skip
        with store.scope.write() as run:
            store.applications.add_applications_in(run, rows, "csv")

    seed(db_path, fill)
    started = time.perf_counter()
    at = run_page("pages/outcomes.py", db_path, timeout=120)
    opened = at.session_state["outcomes_open"]
    assert "Applied again: " in texts(at) and "…and 9,989 more" in texts(at)
    at.session_state[f"outcomes_merge_open_{opened}"] = True
    at.toggle(key="outcomes_group").set_value(True).run()
    assert at.dataframe[0].value["times"].tolist() == [10_000]
    picker = at.selectbox(key=f"outcomes_merge_pick_{opened}")
    assert 0 < len(picker.options) <= 600  # the newest few hundred, not ten thousand labels
    newest_other = read(db_path, lambda s: s.applications.reapplications(opened).others[-1][0])
    picker.select(newest_other).run()  # the first offered
    button(at, "Merge into this one").click().run()
    took = time.perf_counter() - started
    assert not at.exception and not at.error
    assert read(db_path, lambda s: s.applications.count()) == 9_999
    print(f"10,000 alike on Outcomes: first run, group, merge in {took:.1f}s")  # a figure, not a timed assert


def test_merging_one_deleted_in_another_tab_says_so(run_page, db_path):
    def fill(store):
        other = store.applications.add("Acme", "Analyst", "job board", D(2026, 10, 1))
        keep = store.applications.add("Acme", "Analyst", "referral", D(2026, 10, 3))
        return keep, other

    keep, other = seed(db_path, fill)
    at = run_page("pages/outcomes.py", db_path)
    at.session_state[f"outcomes_merge_open_{keep}"] = True
    at.run()
    at.selectbox(key=f"outcomes_merge_pick_{keep}").select(other).run()
    seed(db_path, lambda s: s.applications.delete(other))  # another tab
    button(at, "Merge into this one").click().run()
    assert not at.exception
    assert any("no longer exists" in w.value for w in [*at.warning, *at.error]), [*at.warning, *at.error, *at.info]
    assert read(db_path, lambda s: (s.applications.count(), s.scope.one("SELECT count(*) FROM merges"))) == (1, 0)
