"""The Outcomes page through AppTest: add, warn on duplicates, log a rejection, edit, delete."""

import datetime as dt

from conftest import ROOT, open_page

from rebound.db import Database
from rebound.store import Store


def button(at, label):
    return next(b for b in at.button if b.label == label)


def submit(at, label):
    return next(b for b in at.get("form_submit_button") if b.label == label)


def open_store(path):
    import streamlit as st

    st.cache_resource.clear()
    return Database(path)


def add(at, company, role):
    at.text_input(key="add_company").input(company)
    at.text_input(key="add_role").input(role)
    submit(at, "Add application").click().run()


def test_add_then_reject_in_two_clicks(run_page, db_path):
    at = run_page("pages/outcomes.py", db_path)
    add(at, 'Acme & "Sons" 🚀', "Data Analyst")
    assert not at.exception and not at.error
    assert at.dataframe[0].value["company"].tolist() == ['Acme & "Sons" 🚀']
    button(at, "Log rejection").click().run()  # click 1
    submit(at, "Save").click().run()  # click 2
    assert not at.exception
    assert any("That one stings" in m.value for m in at.markdown)
    db = open_store(db_path)
    app = Store(db, "local").applications.all().iloc[0]
    assert app["status"] == "rejected"
    db.close()


def test_empty_company_is_refused_with_a_message(run_page, db_path):
    at = run_page("pages/outcomes.py", db_path)
    add(at, "  ", "Analyst")
    assert "company name" in at.error[0].value
    db = open_store(db_path)
    assert Store(db, "local").applications.count() == 0
    db.close()


def test_duplicate_asks_applied_here_before(run_page, db_path):
    at = run_page("pages/outcomes.py", db_path)
    add(at, "Acme", "Analyst")
    add(at, "acme", "analyst")
    assert any("Applied here before?" in w.value for w in at.warning)
    button(at, "Add it anyway").click().run()
    assert len(at.dataframe[0].value) == 2


def test_filters_and_delete_with_confirmation(run_page, db_path):
    db = Database(db_path)
    store = Store(db, "local")
    a = store.applications.add("Alpha", "Analyst", "referral", dt.date(2026, 10, 1))
    store.applications.add("Beta", "Analyst", "job board", dt.date(2026, 10, 2))
    store.applications.add_event(a, "rejected", dt.date(2026, 10, 9), stage="applied")
    db.close()
    at = run_page("pages/outcomes.py", db_path)
    at.multiselect(key="outcomes_f_status").select("rejected").run()
    assert at.dataframe[0].value["company"].tolist() == ["Alpha"]
    assert at.subheader[0].value == "Beta — Analyst"  # a filter narrows the list; it opens nothing by itself
    assert at.selectbox(key="outcomes_picker").options == [  # the open one stays pickable, after the matches
        "Alpha — Analyst · applied 1 Oct 2026 · Rejected",
        "Beta — Analyst · applied 2 Oct 2026 · Applied",
    ]
    at.selectbox(key="outcomes_picker").select(a).run()
    assert at.subheader[0].value == "Alpha — Analyst"
    button(at, "Delete application").click().run()
    assert any("cannot be undone" in w.value for w in at.warning)
    button(at, "Yes, delete it").click().run()
    assert not at.exception
    db = open_store(db_path)
    assert Store(db, "local").applications.all()["company"].tolist() == ["Beta"]
    db.close()


def test_ghost_nudge_marks_and_reopens(run_page, db_path):
    db = Database(db_path)
    Store(db, "local").applications.add("Quiet Co", "Analyst", "job board", dt.date.today() - dt.timedelta(days=30))
    db.close()
    at = run_page("pages/outcomes.py", db_path)
    assert any("mark as ghosted?" in m.value for m in at.markdown)
    button(at, "Mark ghosted").click().run()
    assert "ghosted" in at.dataframe[0].value["status"].iloc[0]
    button(at, "Reopen").click().run()
    submit(at, "Save").click().run()
    assert "applied" in at.dataframe[0].value["status"].iloc[0]


def test_log_a_rejection_from_today_opens_nothing_until_the_user_chooses(run_page, db_path):
    db = Database(db_path)
    store = Store(db, "local")
    older = store.applications.add("Open Co", "Analyst", "referral", dt.date(2026, 10, 1))
    store.applications.add("Newest Co", "Analyst", "referral", dt.date(2026, 10, 5))
    closed = store.applications.add("Closed Co", "Analyst", "referral", dt.date(2026, 10, 2))
    store.applications.add_event(closed, "rejected", dt.date(2026, 10, 9), stage="applied")
    db.close()
    at = run_page("pages/today.py", db_path)
    at.query_params["do"] = "reject"
    open_page(at, "pages/outcomes.py")
    at.run()
    assert at.dataframe[0].value["company"].tolist() == ["Newest Co", "Open Co"]  # only applications still open
    assert at.selectbox(key="outcomes_picker").value is None  # nothing chosen for the user
    assert not at.get("form_submit_button") or "Save" not in [b.label for b in at.get("form_submit_button")]
    assert not any(b.label == "Log rejection" for b in at.button)  # no action without a choice
    assert any("Which application said no?" in i.value for i in at.info)
    at.run()  # any rerun: still nothing chosen
    assert at.selectbox(key="outcomes_picker").value is None
    at.selectbox(key="outcomes_picker").select(older).run()  # the user picks the older one
    assert at.subheader[0].value == "Open Co — Analyst"
    submit(at, "Save").click().run()  # its rejection form is ready
    db = open_store(db_path)
    rejected = Store(db, "local").applications.all(statuses=["rejected"])["company"]
    db.close()
    assert sorted(rejected) == ["Closed Co", "Open Co"]  # Newest Co untouched


def test_mark_all_quiet_applications_ghosted_in_one_click(run_page, db_path):
    db = Database(db_path)
    store = Store(db, "local")
    for name in ("Silent A", "Silent B"):
        store.applications.add(name, "Analyst", "job board", dt.date.today() - dt.timedelta(days=40))
    store.applications.add("Fresh", "Analyst", "job board", dt.date.today())
    db.close()
    at = run_page("pages/outcomes.py", db_path)
    button(at, "Mark 2 as ghosted").click().run()
    statuses = dict(zip(at.dataframe[0].value["company"], at.dataframe[0].value["status"]))
    assert "ghosted" in statuses["Silent A"] and "ghosted" in statuses["Silent B"]
    assert "applied" in statuses["Fresh"]


def test_the_picker_offers_the_newest_applications_plus_the_open_one(run_page, db_path, monkeypatch):
    from rebound import ui

    db = Database(db_path)
    s = Store(db, "local")
    ids = [
        s.applications.add(f"Firm {i}", "Analyst", "job board", dt.date(2026, 1, 1) + dt.timedelta(days=i))
        for i in range(5)
    ]
    db.close()
    monkeypatch.setattr(ui, "PICKER_LIMIT", 3)
    at = run_page("pages/outcomes.py", db_path)
    picker = at.selectbox(key="outcomes_picker")
    assert picker.options == [
        f"Firm {i} — Analyst · applied {d.day} Jan 2026 · Applied"
        for i, d in ((4, dt.date(2026, 1, 5)), (3, dt.date(2026, 1, 4)), (2, dt.date(2026, 1, 3)))
    ]
    assert "newest 3 of 5" in picker.help
    # The oldest, opened from the table (which sets the same state), joins the picker.
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    open_page(at, "pages/outcomes.py")
    at.session_state["outcomes_open"] = ids[0]
    at.run()
    picker = at.selectbox(key="outcomes_picker")
    assert len(picker.options) == 4 and picker.value == ids[0]
    assert picker.options[-1].startswith("Firm 0 — Analyst")


def test_edit_details_opens_lazily_and_saves(run_page, db_path):
    db = Database(db_path)
    app_id = Store(db, "local").applications.add("Acme", "Analyst", "referral", dt.date(2026, 1, 5))
    db.close()
    at = run_page("pages/outcomes.py", db_path)
    assert not any(b.label == "Save changes" for b in at.get("form_submit_button"))  # collapsed: not built
    at.session_state[f"outcomes_edit_open_{app_id}"] = True  # what opening the expander does
    at.run()
    at.text_input[[t.label for t in at.text_input].index("Company *")].input("Acme Labs")
    submit(at, "Save changes").click().run()
    assert not at.exception and not at.error
    db = open_store(db_path)
    assert Store(db, "local").applications.get(app_id)["company"] == "Acme Labs"
    db.close()


def test_the_add_form_is_open_on_an_empty_page_and_from_todays_quick_action(run_page, db_path):
    at = run_page("pages/outcomes.py", db_path)
    assert at.text_input(key="add_company")  # empty: the form is the page
    db = Database(db_path)
    Store(db, "local").applications.add("Acme", "Analyst", "referral", dt.date(2026, 1, 5))
    db.close()
    at.session_state["outcomes_add"] = False  # the user closed it
    at.run()
    assert "add_company" not in [t.key for t in at.text_input]
    at.query_params["do"] = "add"  # Today's "Log an application"
    at.run()
    assert "add_company" in [t.key for t in at.text_input]


def test_a_logged_rejection_keeps_its_flow_in_the_database_at_once(run_page, db_path):
    """A reload right after logging a rejection on Outcomes still offers the flow for that application."""
    at = run_page("pages/outcomes.py", db_path)
    add(at, "Acme", "Data Analyst")
    button(at, "Log rejection").click().run()
    submit(at, "Save").click().run()
    assert not at.exception
    db = open_store(db_path)
    store = Store(db, "local")
    app_id = int(store.applications.all().iloc[0]["id"])
    fields, _ = store.drafts.all()["flow:state"]
    db.close()
    assert fields["application_id"] == app_id


def _details_form(at):
    at.session_state[f"outcomes_edit_open_{at.session_state['outcomes_open']}"] = True  # open "Edit details"
    at.run()
    return next(t for t in at.text_input if t.label == "Role *")


def test_two_tabs_same_field_the_stale_save_is_refused_then_kept_on_request(run_page, db_path):
    """The issue's 'lost in silence': tab B, still showing the old form, saved over tab A's role and
    said "Changes saved". Now B's save is refused, both are shown, and B can keep theirs."""
    db = Database(db_path)
    app_id = Store(db, "local").applications.add("Acme", "Analyst", "referral", dt.date(2026, 10, 1))
    db.close()
    tab_a, tab_b = run_page("pages/outcomes.py", db_path), run_page("pages/outcomes.py", db_path)
    for tab in (tab_a, tab_b):
        tab.selectbox(key="outcomes_picker").set_value(app_id).run()
    role_a, role_b = _details_form(tab_a), _details_form(tab_b)
    role_a.input("Role from tab A")
    button(tab_a, "Save changes").click().run()
    assert not tab_a.exception
    role_b.input("Role from tab B")
    button(tab_b, "Save changes").click().run()
    assert not tab_b.exception
    said = " ".join(w.value for w in tab_b.warning) + " ".join(m.value for m in tab_b.markdown)
    assert "Not saved: changed in another tab or window at" in said and "Role from tab A" in said
    assert "Role from tab B" in said  # theirs and mine, side by side
    assert not any("Changes saved" in t.value for t in tab_b.toast)
    assert next(t for t in tab_b.text_input if t.label == "Role *").value == "Role from tab B"  # mine kept
    button(tab_b, "Keep mine").click().run()
    assert not tab_b.exception
    assert tab_b.subheader[0].value == "Acme — Role from tab B"
    assert _saved(db_path, app_id)["role"] == "Role from tab B"


def test_two_tabs_different_fields_merge_field_by_field(run_page, db_path):
    db = Database(db_path)
    app_id = Store(db, "local").applications.add("Acme", "Analyst", "referral", dt.date(2026, 10, 1))
    db.close()
    tab_a, tab_b = run_page("pages/outcomes.py", db_path), run_page("pages/outcomes.py", db_path)
    for tab in (tab_a, tab_b):
        tab.selectbox(key="outcomes_picker").set_value(app_id).run()
    _details_form(tab_a).input("Role from tab A")
    _details_form(tab_b)
    button(tab_a, "Save changes").click().run()
    next(t for t in tab_b.text_input if t.label == "Location").input("Berlin")
    next(t for t in tab_b.text_input if t.label == "Company *").input("Acme GmbH")
    button(tab_b, "Save changes").click().run()
    # three fields differ (role theirs; company and location mine): merge keeps each side's change
    assert [r.label for r in tab_b.radio] == ["Company", "Role", "Location"]
    assert [r.value for r in tab_b.radio] == ["Mine", "Theirs", "Mine"]
    button(tab_b, "Save the merge").click().run()
    assert not tab_b.exception
    assert tab_b.subheader[0].value == "Acme GmbH — Role from tab A"
    saved = _saved(db_path, app_id)
    assert (saved["company"], saved["role"], saved["location"]) == ("Acme GmbH", "Role from tab A", "Berlin")


def _saved(db_path, app_id) -> dict:
    import streamlit as st

    from rebound import ui

    st.cache_resource.clear()  # release the app's connection to the file
    ui.clear_cached()
    db = Database(db_path)
    try:
        return Store(db, "local").applications.get(app_id)
    finally:
        db.close()
