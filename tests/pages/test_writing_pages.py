"""AppTest runs (through app.py) of what issue 28's writing adds: the four days of writing on Reflect
and Today, the plan for the next no and the four-day offer on the rejection steps, the opt-in
confidence check on Check-in, and "Your own before and after" on Progress."""

import datetime as dt

from clock import TODAY
from conftest import open_page

from rebound.db import Database
from rebound.store import Store
from rebound.ui import md_escape

D = dt.timedelta
NASTY = "<img src=x onerror=alert(1)> **bold** [x](javascript:y) :red[z] — שלום 🌱"


def _db(path) -> Store:
    return Store(Database(path), "local")


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.text]
    parts += [e.value for e in at.info] + [e.value for e in at.warning] + [e.value for e in at.success]
    return "\n".join(str(p) for p in parts)


def _area(at, prompt_id):
    return next(w for w in at.text_area if w.key and w.key.split(":")[-2] == prompt_id)


def _choose_four_days(at):
    at.segmented_control[0].set_value("four_days_1").run()
    assert not at.exception


def _seed_apps(s: Store) -> None:
    s.applications.add("Acme", "Analyst", "job board", TODAY - D(days=30))  # Today shows its welcome without


def test_four_days_start_on_reflect_then_day_two_opens_the_next_day(run_page, db_path, clock):
    at = run_page("pages/reflect.py", db_path)
    options = at.segmented_control[0].options
    assert "Four days of writing" in options and not any("day 2" in o for o in options)
    _choose_four_days(at)
    assert "Four days of writing — day 1 of 4" in _texts(at)
    _area(at, "what_happened").input(NASTY)
    next(b for b in at.button if b.label == "Save reflection").click().run()
    assert not at.exception and not at.error
    assert md_escape("Day 1 is written. Day 2 opens tomorrow (or any later day)") in _texts(at)
    assert not any(w.key and ":a:" in w.key for w in at.text_area)  # no form on the same day
    s = _db(path := db_path)
    assert s.reflections.written(["four_days_1"]) == [("four_days_1", TODAY)]
    s.db.close()
    clock.move_to(dt.datetime.combine(TODAY + D(days=3), dt.time(10), tzinfo=dt.UTC))  # a day or two missed
    at = run_page("pages/reflect.py", path)
    _choose_four_days(at)
    texts = _texts(at)
    assert "day 2 of 4" in texts and md_escape("that's fine") in texts
    assert at.get("progress")[0].proto.text == "1 of 4 days written"
    _area(at, "how_it_touches").input("Deeper today.")
    next(b for b in at.button if b.label == "Save reflection").click().run()
    assert _db(path).reflections.written(["four_days_2"]) == [("four_days_2", TODAY + D(days=3))]


def test_a_link_opens_the_four_days_on_the_day_that_is_next(run_page, db_path):
    s = _db(db_path)
    s.reflections.add("four_days_1", {"what_happened": "x"}, day=TODAY - D(days=1))
    s.db.close()
    at = run_page("pages/reflect.py", db_path)
    assert "Your four days of writing: day 2 of 4 is open." in _texts(at)  # beside another template
    at.button(key="writing_reflect_open").click().run()
    assert at.segmented_control[0].value == "four_days_1" and _area(at, "how_it_touches").value == ""
    at.segmented_control[0].set_value("journal").run()
    at.query_params["write"] = "four_days"
    at.run()
    assert at.segmented_control[0].value == "four_days_1" and "write" not in at.query_params
    assert _area(at, "how_it_touches").value == ""


def test_today_offers_day_two_only_when_it_is_open(run_page, db_path):
    s = _db(db_path)
    _seed_apps(s)
    s.db.close()
    at = run_page("pages/today.py", db_path)
    assert "four days of writing" not in _texts(at)  # not started: Today says nothing
    s = _db(db_path)
    s.reflections.add("four_days_1", {"what_happened": "x"}, day=TODAY)
    s.db.close()
    at = run_page("pages/today.py", db_path)
    assert "four days of writing" not in _texts(at)  # written today: day 2 is for tomorrow
    s = _db(db_path)
    rid = s.reflections.written(["four_days_1"]) and s.reflections.journal(kinds=("reflection",)).iloc[0]["id"]
    s.reflections.update(int(rid), {"what_happened": "x"}, day=TODAY - D(days=1))  # written yesterday
    s.db.close()
    at = run_page("pages/today.py", db_path)
    assert "Your four days of writing: day 2 of 4 is open" in _texts(at)
    link = next(p for p in at.get("page_link") if p.proto.label == "Write day 2 of 4")
    assert "reflect" in link.proto.page and "write=four_days" in link.proto.query_string
    at.button(key="writing_today_not_now").click().run()
    assert "day 2 of 4 is open" not in _texts(at)


def _flow_on_checkin(run_page, db_path, app_id):
    at = run_page("pages/today.py", db_path)
    at.session_state["rejection_flow"] = {"application_id": app_id}  # what the Outcomes page sets
    open_page(at, "pages/checkin.py")
    at.run()
    assert not at.exception
    return at


def test_the_plan_for_the_next_no_is_shown_literally_when_the_next_rejection_comes(run_page, db_path):
    s = _db(db_path)
    app = s.applications.add("Acme", "Analyst", "job board", TODAY - D(days=9))
    s.applications.add_event(app, "rejected", TODAY)
    s.db.close()
    at = _flow_on_checkin(run_page, db_path, app)
    assert "You planned for this moment" not in _texts(at)  # no plan written yet
    s = _db(db_path)
    s.reflections.add("next_no", {"first_thought": NASTY, "first_hour": "Walk, then text Sam."}, day=TODAY - D(days=5))
    s.db.close()
    at = _flow_on_checkin(run_page, db_path, app)
    assert "You planned for this moment" in _texts(at)
    assert [t.value for t in at.text][:2] == [NASTY, "Walk, then text Sam."]  # literally, as plain text
    assert NASTY not in "\n".join(m.value for m in [*at.markdown, *at.caption])


def test_the_four_days_are_offered_after_a_hard_rejection_and_can_be_refused_for_good(run_page, db_path):
    s = _db(db_path)
    app = s.applications.add("Acme", "Analyst", "job board", TODAY - D(days=9))
    s.applications.add_event(app, "rejected", TODAY)
    s.db.close()
    at = _flow_on_checkin(run_page, db_path, app)
    next(w for w in at.slider if w.key.split(":")[-2] == "mood").set_value(3)
    next(b for b in at.button if b.label == "Save and continue").click().run()
    at.button(key="flow:goto:reflection").click().run()
    assert "If this one hurt" in _texts(at)
    link = next(p for p in at.get("page_link") if p.proto.label == "Start the four days")
    assert "write=four_days" in link.proto.query_string
    at.button(key="writing_offer_never").click().run()
    assert "If this one hurt" not in _texts(at)
    assert _db(db_path).settings.get("writing_offer") == "never"


def test_a_good_mood_after_the_rejection_is_not_offered_the_four_days(run_page, db_path):
    s = _db(db_path)
    app = s.applications.add("Acme", "Analyst", "job board", TODAY - D(days=9))
    s.applications.add_event(app, "rejected", TODAY)
    s.db.close()
    at = _flow_on_checkin(run_page, db_path, app)
    next(w for w in at.slider if w.key.split(":")[-2] == "mood").set_value(8)
    next(b for b in at.button if b.label == "Save and continue").click().run()
    at.button(key="flow:goto:reflection").click().run()
    assert "If this one hurt" not in _texts(at)


def test_the_confidence_check_is_off_until_turned_on_then_saves_the_week(run_page, db_path):
    at = run_page("pages/checkin.py", db_path)
    assert not any("confidence" in e.label for e in at.expander)
    s = _db(db_path)
    s.confidence.set_enabled(True)
    s.db.close()
    at = run_page("pages/checkin.py", db_path)
    assert any(e.label == "This week's confidence check" for e in at.expander)
    at.segmented_control(key="confidence_q0").set_value(4)
    at.segmented_control(key="confidence_q1").set_value(2)
    next(b for b in at.button if b.label == "Save this week's answers").click().run()
    assert "Please answer all three questions" in at.error[0].value  # one left: nothing saved
    assert _db(db_path).confidence.answers() == []
    at.segmented_control(key="confidence_q2").set_value(3)
    next(b for b in at.button if b.label == "Save this week's answers").click().run()
    assert not at.exception and not at.error
    assert [a["answers"] for a in _db(db_path).confidence.answers()] == [[4, 2, 3]]
    assert any(e.label == "This week's confidence check · 3.0 of 5" for e in at.expander)


def _open_resilience(at):
    at.session_state["progress_tab"] = "Resilience"
    at.run()
    assert not at.exception


def _history(s: Store, before: int, after: int) -> None:
    """Rejections every 10 days; the next application 8 days after each before the user started the
    four days of writing, 3 days after each since."""
    start = TODAY - D(days=10 * after + 5)
    first = start - D(days=10 * before)
    for i in range(before + after):
        day = first + D(days=10 * i)
        app = s.applications.add(f"R{i}", "Analyst", "job board", first - D(days=100))
        s.applications.add_event(app, "rejected", day, stage="applied")
        s.applications.add(f"N{i}", "Analyst", "referral", day + D(days=8 if day < start else 3))
    s.reflections.add("four_days_1", {"what_happened": "it hurt"}, day=start)


def test_progress_says_before_and_after_only_with_enough_on_each_side(run_page, db_path, tmp_path):
    s = _db(db_path)
    _history(s, 12, 9)
    s.db.close()
    at = run_page("pages/progress.py", db_path)
    _open_resilience(at)
    sentence = (
        "Since you started writing after rejections, your next application came after 3 days instead of 8 days "
        "(12 rejections before, 9 after)."
    )
    assert md_escape(sentence) in _texts(at)
    assert len(at.get("vega_lite_chart")) == 2  # the tab's bounce-back chart, and the one measure with data
    few = str(tmp_path / "few.duckdb")
    s = _db(few)
    _history(s, 12, 2)
    s.db.close()
    at = run_page("pages/progress.py", few)
    _open_resilience(at)
    assert "Since you started writing" not in _texts(at)
    assert "Not enough yet for a before and after: 12 rejections before you started writing, 2 after" in _texts(at)


def test_progress_computes_nothing_for_a_user_who_turns_every_measure_off(run_page, db_path):
    s = _db(db_path)
    _history(s, 4, 4)
    for key in ("bounce_back", "mood_recovery", "offers_per_interview", "days_to_offer", "confidence"):
        s.settings.set(f"measure:{key}", "off")
    s.db.close()
    at = run_page("pages/progress.py", db_path)
    _open_resilience(at)
    assert "You follow no measures, so nothing is computed here." in _texts(at)
    assert "Since you started writing" not in _texts(at)
    assert len(at.get("vega_lite_chart")) == 1  # only the bounce-back chart of the tab itself


def test_progress_turns_the_confidence_check_on_and_lets_the_user_delete_their_answers(run_page, db_path):
    s = _db(db_path)
    _history(s, 1, 1)
    s.db.close()
    at = run_page("pages/progress.py", db_path)
    _open_resilience(at)
    at.toggle(key="measure_toggle_confidence").set_value(True).run()
    assert _db(db_path).confidence.enabled()
    s = _db(db_path)
    s.confidence.save([1, 2, 3], week=TODAY - D(days=7), today=TODAY)
    s.confidence.save([4, 4, 4], today=TODAY)
    s.db.close()
    at.run()
    assert any(e.label == "Your confidence answers (2 weeks)" for e in at.expander)
    assert "**4.0** (4, 4, 4)" in _texts(at) and "**2.0** (1, 2, 3)" in _texts(at)
    at.button(key="confidence_delete_all").click().run()
    assert _db(db_path).confidence.answers() == []


def test_a_draft_of_day_two_from_an_earlier_session_is_offered_and_resumes_the_four_days(run_page, db_path):
    s = _db(db_path)
    s.reflections.add("four_days_1", {"what_happened": "x"}, day=TODAY - D(days=1))
    s.drafts.save("reflect:four_days_2", {"a:how_it_touches": NASTY})
    s.db.close()
    at = run_page("pages/reflect.py", db_path)
    assert at.segmented_control[0].value == "after_rejection"
    assert "You have an unsaved reflection “Four days of writing · day 2 of 4”" in _texts(at)
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("draft_resume_"))).click().run()
    assert not at.exception
    assert at.segmented_control[0].value == "four_days_1"  # the series' one entry in the chooser
    assert _area(at, "how_it_touches").value == NASTY
