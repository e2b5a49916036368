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


# A section's heading in the sidebar: Rebound's own fixed text (the keys of pages.SECTIONS), never
# user text. Sized like Streamlit's own navigation headers.
_SECTION = (
    '<h2 style="font-size: 0.875rem; font-weight: 600; line-height: 1.6; margin: 0.75rem 0 0 0.5rem; '
    'padding: 0;">{}</h2>'
)


# A folded sidebar (a phone's, off screen) taller than the window stayed a scrollable region whose
# links can't be reached while folded: axe's scrollable-region-focusable (serious). Folded, it
# does not scroll; unfolded, it scrolls as before.
_FOLDED = (
    "<style>[data-testid='stSidebar'][data-collapsed='true'] [data-testid='stSidebarContent']"
    " { overflow: hidden; }</style>"
)


def sidebar_links(sections: dict[str, list[st.Page]], query_params: dict[str, str] | None = None) -> None:
    """The pages, section by section, as links under headings, in the sidebar.

    Streamlit's own grouped navigation (st.navigation's sidebar menu) puts each section's header
    <div> straight inside the <ul> of links and the <li> links inside that <div>: axe-core's
    `list` and `listitem` rules (serious) fail on every page. Here each link is its own element
    and each section a real heading, in the same order. `query_params` go with every link
    (?demo=1 keeps the demo).
    """
    st.html(_FOLDED, width="content")
    with st.container(key="rebound_nav", gap="xsmall"):
        for section, pages in sections.items():
            if section:
                st.html(_SECTION.format(section))
            for page in pages:
                st.page_link(page, query_params=query_params, width="stretch")
