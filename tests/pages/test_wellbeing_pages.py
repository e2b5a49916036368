"""AppTest runs of the Check-in and Reflect pages and the rejection flow (through app.py)."""

import datetime as dt

import pytest
from clock import TODAY
from conftest import open_page

from rebound.db import Database
from rebound.store import Store
from rebound.ui import md_escape
from rebound.wellbeing import acknowledgements

NASTY = "<img src=x onerror=alert(1)> **bold** [x](javascript:y) :red[z] — שלום 🌱"


def _db(path) -> Store:
    return Store(Database(path), "local")


def _rendered(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.text]
    parts += [e.value for e in at.info] + [e.value for e in at.warning] + [e.value for e in at.success]
    return "\n".join(str(p) for p in parts)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _key(at, suffix, kind="text_area"):
    return next(w for w in getattr(at, kind) if w.key and w.key.split(":")[-2] == suffix)


@pytest.mark.parametrize("page", ["pages/checkin.py", "pages/reflect.py"])
def test_pages_run_on_empty_and_demo_databases(run_page, db_path, demo_db_path, page):
    at = run_page(page, db_path)
    assert at.title[0].value in ("Check-in", "Reflect")
    at = run_page(page, demo_db_path)
    assert not at.exception


def test_checkins_last_four_weeks_is_the_mood_chart_with_its_rejections_inline(run_page, db_path):
    import json

    s = _db(db_path)
    s.checkins.add(4, 5, ["sadness"], "")
    app = s.applications.add("Acme", "Analyst", "referral", TODAY - dt.timedelta(days=3))
    s.applications.add_event(app, "rejected", TODAY - dt.timedelta(days=1), stage="applied")
    s.db.close()
    at = run_page("pages/checkin.py", db_path)
    (chart,) = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    assert not chart.proto.data.data  # inline rows, no Arrow table (whose code the browser would load)
    assert spec["height"] == 260 and spec["description"].endswith("1 day with a rejection marked.")


def test_checkin_saves_and_acknowledges_without_rendering_user_text(run_page, db_path):
    at = run_page("pages/checkin.py", db_path)
    next(s for s in at.slider if s.label == "Mood right now").set_value(3)
    at.button_group[0].set_value(["sadness", "anger"])
    _key(at, "own_emotions", "text_input").input("embarrassed, Sadness")
    _key(at, "note").input(NASTY)
    _button(at, "Save check-in").click().run()
    assert not at.exception and not at.error
    assert any("Check-in saved" in s.value for s in at.success)
    ack = at.info[0].value
    assert any(line in ack for group in acknowledgements()["groups"].values() for line in group)
    assert NASTY not in _rendered(at)  # the note is never echoed as markdown
    assert _key(at, "note").value == ""  # the form starts fresh
    got = _db(db_path).checkins.all()
    assert got.iloc[0]["note"] == NASTY and got.iloc[0]["mood"] == 3
    assert got.iloc[0]["emotions"] == ["sadness", "anger", "embarrassed"]


def test_coping_log_and_suggestions(run_page, db_path):
    s = _db(db_path)
    app = s.applications.add("Acme", "Analyst", "job board", TODAY - dt.timedelta(days=9))
    s.applications.add_event(app, "rejected", TODAY - dt.timedelta(days=1))
    s.coping.add(TODAY - dt.timedelta(days=3), "hobby", None, 60, 5)
    s.coping.add(TODAY - dt.timedelta(days=4), "hobby", None, 60, 5)
    s.goals.add(TODAY, "custom", 3, "Walk **three** times")
    s.db.close()
    at = run_page("pages/checkin.py", db_path)
    assert "Talked to a friend" not in _rendered(at)  # only the open tab is drawn
    at.session_state["checkin_tabs"] = "🌿 Self-care"  # as a click on the tab would choose it
    at.run()
    text = _rendered(at)
    assert "logged time with anyone" in text  # isolation nudge after the rejection
    assert "Talked to a friend" in text and "helped you 5.0/5 on average (2 times)" in text
    assert "Walk \\*\\*three\\*\\* times" in text  # the goal label is escaped
    _key(at, "with_whom", "text_input").input("my sister")
    _button(at, "Log it").click().run()
    assert not at.exception and not at.error
    assert "logged time with anyone" not in _rendered(at)  # someone was with me
    next(b for b in at.button if b.key and b.key.startswith("checkin_goal_tick_")).click().run()
    s = _db(db_path)
    assert s.coping.all().iloc[0]["with_whom"] == "my sister"
    assert int(s.goals.for_week(TODAY).iloc[0]["done_count"]) == 1


def _open_journal(at):
    """Reflect draws only the open tab (a rerun on change), as a click on "Journal" would choose it."""
    at.session_state["reflect_tabs"] = "📓 Journal"
    at.run()
    assert not at.exception


def test_reflection_draft_survives_navigation_then_saves(run_page, db_path):
    at = run_page("pages/reflect.py", db_path)
    _key(at, "went_well").input(NASTY)
    _key(at, "reframe").input("Not a verdict.")
    at.run()
    open_page(at, "pages/outcomes.py")
    at.run()
    open_page(at, "pages/reflect.py")
    at.run()
    assert _key(at, "went_well").value == NASTY and _key(at, "reframe").value == "Not a verdict."
    at.multiselect[0].set_value(["preparation", "my own theme"])
    _button(at, "Save reflection").click().run()
    assert not at.exception and not at.error
    assert _key(at, "went_well").value == ""
    _open_journal(at)
    refl = _db(db_path).reflections.journal(kinds=("reflection",))
    assert refl.iloc[0]["answers"] == {"went_well": NASTY, "reframe": "Not a verdict."}
    assert refl.iloc[0]["themes"] == ["preparation", "my own theme"]
    assert NASTY in [t.value for t in at.text]  # in the journal tab, as plain text
    assert NASTY not in _rendered(at).replace("\n".join(t.value for t in at.text), "")


def test_empty_reflection_is_refused(run_page, db_path):
    at = run_page("pages/reflect.py", db_path)
    _button(at, "Save reflection").click().run()
    assert "at least one answer" in at.error[0].value
    assert _db(db_path).reflections.count() == 0


def test_journal_edit_search_and_delete(run_page, db_path):
    s = _db(db_path)
    rid = s.reflections.add("journal", {"entry": "first thoughts"}, ["nerves"])
    s.checkins.add(4, 5, ["anxiety"], "before the call")
    s.db.close()
    at = run_page("pages/reflect.py", db_path)
    _open_journal(at)
    assert {"first thoughts", "before the call"} <= {t.value for t in at.text}
    at.text_input(key="journal_search").input("call").run()
    assert {t.value for t in at.text} == {"before the call"}
    at.text_input(key="journal_search").input("").run()
    at.button(key=f"journal_edit_reflection_{rid}").click().run()
    edit = next(w for w in at.text_area if w.key.startswith(f"wb:journal:edit:reflection:{rid}:"))
    assert edit.value == "first thoughts"
    edit.input("second thoughts")
    _button(at, "Save changes").click().run()
    assert not at.exception and not at.error
    assert _db(db_path).reflections.get(rid)["answers"] == {"entry": "second thoughts"}
    cid = int(_db(db_path).checkins.all()["id"].iloc[0])
    at.button(key=f"journal_edit_checkin_{cid}").click().run()
    next(w for w in at.slider if w.key.startswith(f"wb:journal:edit:checkin:{cid}:mood")).set_value(8)
    _button(at, "Save changes").click().run()
    assert not at.exception and not at.error
    edited = _db(db_path).checkins.get(cid)
    assert edited["mood"] == 8 and edited["note"] == "before the call" and edited["emotions"] == ["anxiety"]
    at.button(key=f"journal_delete_reflection_{rid}").click().run()
    assert _db(db_path).reflections.get(rid) is not None  # asks first
    at.button(key=f"journal_confirm_reflection_{rid}").click().run()
    assert _db(db_path).reflections.get(rid) is None


def _step_kinds(at) -> list[str]:
    return [at.button(key=f"flow:goto:{step}").proto.type for step in FLOW_STEP_IDS]


FLOW_STEP_IDS = ("checkin", "coping", "reflection", "feedback", "next_step")


def test_rejection_flow_walks_and_skips_every_step(run_page, db_path):
    s = _db(db_path)
    app = s.applications.add("Acme <i>Corp</i>", "Analyst", "job board", TODAY - dt.timedelta(days=9))
    s.applications.add_event(app, "rejected", TODAY)
    s.db.close()
    at = run_page("pages/today.py", db_path)
    at.session_state["rejection_flow"] = {"application_id": app}  # what the Outcomes page sets
    open_page(at, "pages/checkin.py")
    at.run()
    assert "After the rejection from Acme \\<i\\>Corp\\</i\\>" in at.subheader[0].value
    assert at.get("progress")[0].proto.text.startswith("Step 1 of 5")
    assert _step_kinds(at) == ["primary", "tertiary", "tertiary", "tertiary", "tertiary"]
    _button(at, "Save and continue").click().run()  # check-in with defaults
    assert at.session_state["rejection_flow"]["step"] == "coping"
    assert any(line in at.info[0].value for line in acknowledgements()["groups"]["rejection"])
    _button(at, "Skip this step").click().run()
    _key(at, "next_step").input("Call Maya")
    _button(at, "Save reflection and continue").click().run()
    assert not at.error
    flow = at.session_state["rejection_flow"]
    assert flow["step"] == "feedback" and flow["status"] == {
        "checkin": "done",
        "coping": "skipped",
        "reflection": "done",
    }
    assert at.session_state["feedback_request"] == {"application_id": app}
    assert any(p.proto.label == "Draft a feedback request" and "feedback" in p.proto.page for p in at.get("page_link"))
    # the current step the most prominent, done and skipped ones clearly marked, what is ahead muted
    assert _step_kinds(at) == ["secondary", "secondary", "secondary", "primary", "tertiary"]
    labels = [at.button(key=f"flow:goto:{step}").label for step in ("checkin", "coping", "feedback", "next_step")]
    assert labels[0].startswith("✅") and labels[1].startswith("⏭️") and labels[2].startswith("👉")
    assert not any(at.button(key=f"flow:goto:{s}").disabled for s in ("checkin", "feedback"))
    at.button(key="flow:goto:feedback").click().run()  # the current step: clicking it stays there
    assert at.session_state["rejection_flow"]["step"] == "feedback"
    _button(at, "← Back").click().run()
    assert at.session_state["rejection_flow"]["step"] == "reflection"
    at.button(key="flow:goto:feedback").click().run()
    _button(at, "Skip this step").click().run()
    assert _key(at, "label", "text_input").value == "Call Maya"  # from the reflection's next step
    _button(at, "Set this goal").click().run()
    assert "You walked through the steps" in at.success[-1].value
    _button(at, "Done").click().run()
    assert "rejection_flow" not in at.session_state
    s = _db(db_path)
    assert s.reflections.journal(kinds=("reflection",)).iloc[0]["application_id"] == app
    assert s.checkins.all().iloc[0]["application_id"] == app
    assert s.goals.for_week(TODAY).iloc[0]["label"] == "Call Maya"


def test_flow_can_be_started_from_the_checkin_page(run_page, demo_db_path):
    at = run_page("pages/checkin.py", demo_db_path)
    chosen = at.selectbox(key="checkin_flow_app").value
    _button(at, "Start the steps").click().run()
    assert at.session_state["rejection_flow"]["application_id"] == chosen
    assert at.subheader[0].value.startswith("After the rejection from")
    _button(at, "Close the steps for now").click().run()
    assert "rejection_flow" not in at.session_state


def test_flow_offer_for_the_outcomes_page():
    from streamlit.testing.v1 import AppTest

    def script():
        from rebound.ui.flow import render_flow_offer

        render_flow_offer(42)

    at = AppTest.from_function(script)
    at.run()
    assert at.session_state["rejection_flow"]["application_id"] == 42
    assert "take a few minutes" in at.markdown[0].value
    at.session_state["rejection_flow"]["step"] = "coping"
    at.run()  # a flow already running for this application is kept
    assert at.session_state["rejection_flow"]["step"] == "coping"


# -- drafts kept in the database (a reload, a closed tab, a restart = a new session) --------------
def _resume_button(at):
    return next(b for b in at.button if b.label.startswith("Resume your draft from today at "))


def test_journal_entry_saved_message_says_journal_once(run_page, db_path):
    at = run_page("pages/reflect.py", db_path)
    at.segmented_control(key="wb:reflect:choice:template:0").set_value("journal").run()
    _key(at, "entry").input("Quiet day.")
    _button(at, "Save reflection").click().run()
    assert not at.exception and not at.error
    messages = [s.value for s in at.success]
    assert messages == ["Your reflection is saved in your journal."]
    assert "Journal saved to your journal" not in _rendered(at)


def test_checkin_draft_is_offered_in_a_new_session_then_resumed_or_discarded(run_page, db_path):
    at = run_page("pages/checkin.py", db_path)
    _key(at, "note").input(NASTY).run()
    assert not at.exception

    again = run_page("pages/checkin.py", db_path)  # a new session, as after a reload
    assert "You have an unsaved check-in" in _rendered(again)
    assert not [w for w in again.text_area if w.key and ":note:" in w.key]  # the form waits for a choice
    assert NASTY not in _rendered(again)  # the preview is shown literally (escaped), never as markdown
    _resume_button(again).click().run()
    assert _key(again, "note").value == NASTY

    third = run_page("pages/checkin.py", db_path)
    _button(third, "Discard").click().run()
    assert "You have an unsaved check-in" not in _rendered(third)
    assert _key(third, "note").value == ""
    assert _db(db_path).drafts.all() == {}


def test_saving_a_resumed_coping_draft_deletes_it(run_page, db_path):
    at = run_page("pages/checkin.py", db_path)
    at.session_state["checkin_tabs"] = "🌿 Self-care"
    at.run()
    _key(at, "with_whom", "text_input").input("my sister").run()
    again = run_page("pages/checkin.py", db_path)
    again.session_state["checkin_tabs"] = "🌿 Self-care"
    again.run()
    assert "You have an unsaved self-care entry" in _rendered(again)
    _resume_button(again).click().run()
    assert _key(again, "with_whom", "text_input").value == "my sister"
    _button(again, "Log it").click().run()
    assert not again.exception and not again.error
    store = _db(db_path)
    assert store.coping.all().iloc[0]["with_whom"] == "my sister" and store.drafts.all() == {}


def test_flow_resumes_in_a_new_session_and_today_mentions_it_literally(run_page, db_path):
    company = "**Bold** [x](http://e.x) $x^2$ Ltd"
    s = _db(db_path)
    app = s.applications.add(company, "Analyst", "referral", TODAY - dt.timedelta(days=10))
    s.applications.add_event(app, "rejected", TODAY - dt.timedelta(days=1), stage="applied")
    s.db.close()
    at = run_page("pages/checkin.py", db_path)
    _button(at, "Start the steps").click().run()
    _button(at, "Skip this step").click().run()
    _button(at, "Skip this step").click().run()
    assert "Step 3 of 5" in at.get("progress")[0].proto.text

    today = run_page("pages/today.py", db_path)  # a new session
    line = next(i.value for i in today.info if "partway through the steps" in i.value)
    assert "step 3 of 5, reflect" in line
    assert md_escape(company) in line and company not in line

    again = run_page("pages/checkin.py", db_path)
    assert again.session_state["rejection_flow"]["application_id"] == app
    assert again.session_state["rejection_flow"]["step"] == "reflection"
    _button(again, "Close the steps for now").click().run()
    assert _db(db_path).drafts.all() == {}


def test_delete_all_my_data_drops_drafts_in_the_database_and_the_session(run_page, db_path):
    at = run_page("pages/checkin.py", db_path)
    _key(at, "note").input("half a thought").run()
    assert list(_db(db_path).drafts.all()) == ["checkin:new"]
    open_page(at, "pages/data.py")
    at.run()
    at.text_input(key="data_delete_confirm").input("DELETE")
    at.button(key="data_delete_go").click().run()
    assert any("Rebound is empty" in s.value for s in at.success)
    assert _db(db_path).drafts.all() == {}
    open_page(at, "pages/checkin.py")
    at.run()
    assert _key(at, "note").value == "" and "unsaved check-in" not in _rendered(at)


def test_a_plain_rerun_writes_no_draft(run_page, db_path):
    at = run_page("pages/checkin.py", db_path)
    _key(at, "note").input("typed once").run()
    first = _db(db_path).drafts.all()
    assert first["checkin:new"][0]["note"] == "typed once"
    for _ in range(3):
        at.run()
    assert _db(db_path).drafts.all() == first  # same rows, same time stamps: nothing was rewritten


def test_a_running_flow_is_written_when_it_changes_not_on_every_rerun(run_page, db_path):
    s = _db(db_path)
    app = s.applications.add("Acme", "Analyst", "referral", TODAY - dt.timedelta(days=10))
    s.applications.add_event(app, "rejected", TODAY - dt.timedelta(days=1), stage="applied")
    s.db.close()
    at = run_page("pages/checkin.py", db_path)
    _button(at, "Start the steps").click().run()
    started = _db(db_path).drafts.all()["flow:state"]
    for _ in range(3):
        at.run()
    assert _db(db_path).drafts.all()["flow:state"] == started
    _button(at, "Skip this step").click().run()
    fields, when = _db(db_path).drafts.all()["flow:state"]
    assert fields["step"] == "coping" and fields["status"] == {"checkin": "skipped"} and when > started[1]


def test_steps_of_a_flow_that_is_gone_are_not_kept(run_page, db_path):
    s = _db(db_path)
    s.drafts.save("flow:checkin", {"note": "from a flow closed in another tab"})
    s.drafts.save("reflect:journal", {"a:entry": "kept"})
    s.db.close()
    run_page("pages/checkin.py", db_path)
    assert list(_db(db_path).drafts.all()) == ["reflect:journal"]
