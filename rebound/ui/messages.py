"""The one way to show a message after a rerun (st.rerun would swallow a toast drawn before it).

A write calls `flash(...)` and reruns; the next run's page calls `show_flash()` near its top, which
shows every waiting message once: as a toast, or as a success box on the page (`banner=True`), with
balloons for the big news. `message` is Rebound's own text; user text goes in as keywords and is
escaped: `flash("Logged {company}.", company=name)`.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from rebound.ui.session import FLASH
from rebound.ui.text import literal


class Message(NamedTuple):
    text: str  # Markdown, user text already escaped
    icon: str
    banner: bool = False  # a success box at the top of the page rather than a toast
    balloons: bool = False  # for the big news (an offer)


def flash(message: str, icon: str = "🌱", *, banner: bool = False, balloons: bool = False, **user_text: object) -> None:
    """Show `message` once, after the next rerun."""
    waiting = FLASH.get() or []
    FLASH.set([*waiting, Message(literal(message, **user_text), icon, banner, balloons)])


def toast(message: str, icon: str = "🌱", **user_text: object) -> None:
    """st.toast now, with user text escaped as `flash` does."""
    st.toast(literal(message, **user_text), icon=icon)


def show_flash() -> None:
    """Every message flashed before the last rerun, once."""
    for message in FLASH.pop() or []:
        if message.banner:
            st.success(message.text, icon=message.icon)
        else:
            st.toast(message.text, icon=message.icon)
        if message.balloons:
            st.balloons()
