"""The app's pages, defined once. Each module holds one page's `render()`; app.py navigates over SECTIONS.

Every page is a callable, imported on its first visit (Today stays light: no pandas, no plotly).
Links name a page by its key (rebound.ui.nav), which is also its URL path and its module's name.

Why each module ends with `through_app(__name__)`: a folder named pages/ beside app.py makes
Streamlit's legacy multipage mode run a server's first deep link (/goals) as the file itself
(pages/goals.py as __main__), without app.py and its sign-in gate. Such a run only defines
functions, then runs app.py, whose st.navigation turns that mode off and shows the asked-for page,
once, behind the gate. Imported as `pages.goals` (by app.py), the line does nothing.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st

from rebound.ui import nav

APP = Path(__file__).resolve().parents[1] / "app.py"


def through_app(name: str) -> None:
    """At the end of each page module: run as a file by Streamlit's legacy mode, go through app.py."""
    if name == "__main__":
        runpy.run_path(str(APP), run_name="__main__")


def _today() -> None:
    from pages.today import render

    render()


def _outcomes() -> None:
    from pages.outcomes import render

    render()


def _checkin() -> None:
    from pages.checkin import render

    render()


def _reflect() -> None:
    from pages.reflect import render

    render()


def _feedback() -> None:
    from pages.feedback import render

    render()


def _goals() -> None:
    from pages.goals import render

    render()


def _progress() -> None:
    from pages.progress import render

    render()


def _data() -> None:
    from pages.data import render

    render()


def _passphrase() -> None:
    from pages.passphrase import render

    render()


def _page(key: nav.Destination, render, title: str, icon: str, default: bool = False) -> st.Page:
    return nav.register(key, st.Page(render, title=title, icon=icon, url_path=key, default=default))


TODAY = _page("today", _today, "Today", ":material/wb_sunny:", default=True)
OUTCOMES = _page("outcomes", _outcomes, "Outcomes", ":material/work_history:")
CHECKIN = _page("checkin", _checkin, "Check-in", ":material/favorite:")
REFLECT = _page("reflect", _reflect, "Reflect", ":material/edit_note:")
FEEDBACK = _page("feedback", _feedback, "Feedback", ":material/forward_to_inbox:")
GOALS = _page("goals", _goals, "Goals & wins", ":material/flag:")
PROGRESS = _page("progress", _progress, "Progress", ":material/insights:")
DATA = _page("data", _data, "Data", ":material/database:")
PASSPHRASE = _page("passphrase", _passphrase, "Passphrase", ":material/lock:")

SECTIONS = {
    "": [TODAY, OUTCOMES],
    "Look after yourself": [CHECKIN, REFLECT, FEEDBACK],
    "Keep going": [GOALS, PROGRESS],
    "Your data": [DATA, PASSPHRASE],
}
