"""Where a link goes. A page is named by its key, which is also its URL path ("checkin" is /checkin).

The page objects themselves are defined once, in pages/__init__.py, which registers them here: so
this glue and the domain (a Today nudge says `page="feedback"`) can link to a page without
importing pages (nothing imports upward).
"""

from __future__ import annotations

from typing import Literal

import streamlit as st

Destination = Literal["today", "outcomes", "checkin", "reflect", "feedback", "goals", "progress", "data", "passphrase"]

_pages: dict[str, st.Page] = {}


def register(key: Destination, page: st.Page) -> st.Page:
    _pages[key] = page
    return page


def page(key: Destination) -> st.Page:
    """The page object for `key`, for st.page_link / st.switch_page."""
    return _pages[key]


def registered() -> list[st.Page]:
    """Every page object pages/__init__.py registered (in its order)."""
    return list(_pages.values())
