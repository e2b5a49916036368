"""Every page runs through app.py on an empty and on a demo database without an exception."""

import pytest

PAGES = [
    "pages/today.py",
    "pages/outcomes.py",
    "pages/checkin.py",
    "pages/reflect.py",
    "pages/feedback.py",
    "pages/goals.py",
    "pages/progress.py",
    "pages/data.py",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_an_empty_database(run_page, db_path, page):
    at = run_page(page, db_path)
    assert at.title, "every page has a title"


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_a_demo_database(run_page, demo_db_path, page):
    at = run_page(page, demo_db_path)
    assert at.title


def test_first_run_welcome_offers_both_ways_in(run_page, db_path):
    at = run_page("pages/today.py", db_path)
    text = " ".join(m.value for m in at.markdown)
    assert "Welcome to Rebound" in " ".join(h.value for h in at.subheader)
    assert any(b.label == "Explore with demo data" for b in at.button)
    assert "private" in text.lower()


def test_first_run_primary_action_is_the_primary_button(run_page, db_path):
    at = run_page("pages/today.py", db_path)
    kinds = {b.label: b.proto.type for b in at.button}
    assert kinds["Add your first application"] == "primary"
    assert kinds["Explore with demo data"] == "secondary"
    at.button(key="today_first_application").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Outcomes"]


def test_demo_mode_uses_its_own_file(run_page, tmp_path, monkeypatch):
    from rebound.db import Database
    from rebound.store import Store

    path = str(tmp_path / "mine.duckdb")
    at = run_page("pages/today.py", path)
    next(b for b in at.button if b.label == "Explore with demo data").click().run()
    assert not at.exception
    assert any("exploring" in i.value for i in at.sidebar.info)
    import streamlit as st

    st.cache_resource.clear()
    demo = Database(str(tmp_path / "mine.demo.duckdb"))
    assert Store(demo, "local").applications.count() > 50
    demo.close()
    real = Database(path)
    assert Store(real, "local").applications.count() == 0
    real.close()


def test_demo_mode_is_kept_in_the_address_for_a_reload_or_a_link(run_page, tmp_path, monkeypatch):
    """Session state is gone after a reload; ?demo=1 is not. Every page says it is the demo."""
    from conftest import ROOT, open_page
    from streamlit.testing.v1 import AppTest

    path = str(tmp_path / "mine.duckdb")
    at = run_page("pages/today.py", path)
    next(b for b in at.button if b.label == "Explore with demo data").click().run()
    assert at.query_params.get("demo") == ["1"] or at.query_params.get("demo") == "1"
    for page in ("pages/goals.py", "pages/data.py"):  # a reload (a new session) of another page, from its address
        again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        again.query_params["demo"] = "1"
        open_page(again, page).run()
        assert not again.exception
        assert any("Demo data — not yours" in m.value for m in again.markdown), page
        assert again.button(key="leave_demo").label == "Back to my data"
    again.button(key="leave_demo").click().run()
    assert "demo" not in again.query_params
    assert not any("Demo data" in m.value for m in again.markdown)
    plain = run_page("pages/today.py", path)  # without the parameter: the user's own (empty) data
    assert "Welcome to Rebound" in " ".join(h.value for h in plain.subheader)
    assert not any("Demo data" in m.value for m in plain.markdown)


def test_the_sidebar_lists_every_section_in_order_without_streamlits_menu(run_page, db_path):
    """Streamlit's grouped menu fails axe's list rules: app.py hides it and draws the same links."""
    at = run_page("pages/today.py", db_path)
    links = [el.proto.page or "today" for el in at.sidebar.get("page_link")]  # the default page is /

    assert [link.rsplit("/", 1)[-1] for link in links] == [
        "today",
        "outcomes",
        "checkin",
        "reflect",
        "feedback",
        "goals",
        "progress",
        "data",
        "passphrase",
    ]
    headings = " ".join(el.proto.body for el in at.sidebar.get("html"))
    for section in ("Look after yourself", "Keep going", "Your data"):
        assert f">{section}</h2>" in headings
