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
