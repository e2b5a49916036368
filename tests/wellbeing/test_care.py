"""Care when it gets heavy: the rule (rebound.wellbeing.care) and the note on Today and Check-in."""

import datetime as dt
import json

import pytest

from rebound.db import Database
from rebound.store import Store
from rebound.wellbeing import care

D = dt.timedelta


def checkin(day, mood, note=None):
    return {"kind": "checkin", "day": day, "mood": mood, "note": note, "answers": None}


# -- the rule --------------------------------------------------------------------------------------------
def test_nothing_to_say_on_no_entries_or_ordinary_low_days(today):
    assert care.reason([], today) is None
    assert care.reason([checkin(today, 1), checkin(today - D(days=1), 2), checkin(today, 5)], today) is None


def test_three_of_the_lowest_moods_within_a_week(today):
    rows = [checkin(today, 2), checkin(today - D(days=3), 1), checkin(today - D(days=6), 2)]
    assert care.reason(rows, today) == "Your last few check-ins have been really low."


def test_three_low_moods_spread_over_more_than_a_week_are_not_it(today):
    rows = [checkin(today, 2), checkin(today - D(days=3), 1), checkin(today - D(days=7), 2)]
    assert care.reason(rows, today) is None


def test_a_future_entry_does_not_count(today):
    rows = [checkin(today, 1), checkin(today, 1), checkin(today + D(days=1), 1)]
    assert care.reason(rows, today) is None


@pytest.mark.parametrize(
    "note",
    [
        "I feel HOPELESS today",
        "honestly, what's the point of anything",
        "ich bin hoffnungslos",
        "I can't go on like this",
    ],
)
def test_words_of_hopelessness_in_a_note(today, note):
    assert care.reason([checkin(today, 6, note)], today) == "Some of what you wrote this week sounds very heavy."


@pytest.mark.parametrize(
    "note", ["a hopelessly long form", "no hopes for this role, fine", "pointless meeting", None, ""]
)
def test_near_misses_are_not_words_of_hopelessness(today, note):
    assert care.reason([checkin(today, 6, note)], today) is None


def test_words_in_a_reflection_count_too(today):
    answers = json.dumps({"went_well": "nothing", "improve": "I feel worthless after this one"})
    row = {"kind": "reflection", "day": today - D(days=2), "mood": None, "note": None, "answers": answers}
    assert care.reason([row], today) is not None
    assert care.reason([{**row, "answers": "{not json"}], today) is None


def test_services_by_country_with_the_international_ones_everywhere():
    names = care.countries()
    assert next(iter(names)) == care.DEFAULT_COUNTRY
    uk = care.services("GB")
    assert uk[0].name == "Samaritans" and uk[0].contact == "116 123"
    assert {s.name for s in care.services(care.DEFAULT_COUNTRY)} <= {s.name for s in uk}
    assert care.services("JP") == care.services(care.DEFAULT_COUNTRY) == care.services(None)  # none listed


def test_the_own_contact_is_one_short_line():
    assert care.clean_contact("  Ana \n 0123 456 ") == "Ana 0123 456"
    assert len(care.clean_contact("x" * 10_000)) == care.MAX_CONTACT
    assert care.clean_contact(None) == ""


# -- on the page -----------------------------------------------------------------------------------------
NOTE = "Your last few check-ins have been really low."


def _low_week(db_path, today):
    db = Database(db_path)
    store = Store(db, "local")
    store.applications.add("Acme", "Analyst", "job board", today - D(days=20))  # Today past its welcome
    for days in (0, 1, 2):
        store.checkins.add(2, checked_at=dt.datetime.combine(today - D(days=days), dt.time(9)))
    return db, store


def _says(at) -> str:
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


@pytest.mark.parametrize("page", ["pages/today.py", "pages/checkin.py"])
def test_the_note_is_said_once_a_week_and_stays_until_closed(run_page, db_path, today, page):
    db, store = _low_week(db_path, today)
    db.close()
    at = run_page(page, db_path)
    assert NOTE in _says(at)
    assert "Samaritans" not in _says(at) and "Find A Helpline" in _says(at)  # the international default
    at.run()
    assert NOTE in _says(at)  # still there on the next rerun …
    at.button(key="care_close").click().run()
    assert NOTE not in _says(at)  # … until closed
    again = run_page(page, db_path)  # a reload, another tab: said once this week
    assert NOTE not in _says(again)


def test_the_note_comes_back_next_week_only_if_the_days_are_still_heavy(db_path, today):
    from rebound.ui.care import SHOWN_WEEK

    db, store = _low_week(db_path, today)
    last_week = (today - D(days=today.weekday() + 7)).isoformat()
    store.settings.set(SHOWN_WEEK, last_week)
    assert store.settings.get(SHOWN_WEEK) == last_week
    assert care.load_reason(store, today) == NOTE
    assert care.load_reason(store, today + D(days=8)) is None  # a week later the low days are behind
    db.close()


def test_the_country_and_own_contact_are_kept_and_shown_literally(run_page, db_path, today):
    db, store = _low_week(db_path, today)
    db.close()
    at = run_page("pages/today.py", db_path)
    (country,) = [b for b in at.selectbox if b.label == "Show the services of"]
    (contact,) = [t for t in at.text_input if t.label.startswith("Someone you trust")]
    country.set_value("GB")
    contact.input("<b>Ana</b> **0123**")
    (save,) = [b for b in at.button if b.label == "Save"]
    save.click().run()
    said = "\n".join(m.value for m in at.markdown)
    assert "Samaritans" in said
    assert "\\<b\\>Ana\\</b\\>" in said or "&lt;b&gt;Ana" in said  # escaped, shown as typed
    db = Database(db_path)
    assert Store(db, "local").settings.get("care_contact") == "<b>Ana</b> **0123**"
    db.close()
