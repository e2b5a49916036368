"""Rebound: entry point. Page config, the current user, and navigation over one page per area."""

import streamlit as st

from pages import SECTIONS
from rebound import ui
from rebound.ui import focus, nav
from rebound.ui.mailbox import check_on_opening

st.set_page_config(page_title="Rebound", page_icon="🌱", layout="wide")

# Where the sidebar covers the page (narrow windows), close it once a page is picked. Streamlit
# does this only for browsers that call themselves phones; a narrow desktop or tablet window kept
# the menu over the page it had just opened. position="top" is no help: below the same width
# Streamlit moves the top menu back into this sidebar. Our own fixed script, no user text.
CLOSE_SIDEBAR_ON_NARROW_SCREENS = """<script>
if (!window.reboundClosesSidebar) {
  window.reboundClosesSidebar = true;
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("[data-testid='stSidebar'] a");
    if (!link || window.innerWidth >= 768) return;
    setTimeout(() => {
      const close = document.querySelector("[data-testid='stSidebarCollapseButton'] button");
      const sidebar = document.querySelector("[data-testid='stSidebar']");
      if (close && sidebar && sidebar.dataset.collapsed === "false") close.click();
    }, 50);
  }, true);
}
</script>"""

ui.fence_this_session()  # hosted: this session's file reads, one worker at a time (rebound.fence)
ui.require_user()  # sign-in gate (when configured) before any page runs
# The page objects, defined once in pages/__init__.py. Streamlit's own menu is hidden: its grouped
# markup fails axe's list rules; ui.nav.sidebar_links draws the same sections in the same order.
page = st.navigation(SECTIONS, position="hidden")

with st.sidebar:
    st.html(CLOSE_SIDEBAR_ON_NARROW_SCREENS, unsafe_allow_javascript=True, width="content")
    focus.keep_focus_after_save()  # after a save, focus goes back into the form, not to <body>
    nav.sidebar_links(SECTIONS, {"demo": "1"} if ui.in_demo() and not ui.session_demo() else None)
    if ui.auth_is_on() and st.user.is_logged_in:
        st.caption(f"Signed in as {ui.md_escape(st.user.get('email') or st.user.get('name') or 'you')}")
        if st.button("Sign out", key="sign_out", icon=":material/logout:"):
            st.logout()
    if ui.session_demo():
        st.info("A private demo session: only this tab sees it, and it is gone when you close it.", icon="🧪")
    elif ui.in_demo():
        st.info("You are exploring **demo data**. Your own entries are untouched.", icon="🧪")

if ui.in_demo() and not ui.session_demo():
    # On every page, at the top of the main area (a phone closes the sidebar): whose data this is.
    ui.keep_demo_in_address()  # a reload or a copied link stays in the demo
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="demo_banner"):
        st.markdown(":orange-badge[:material/science: Demo data — not yours]", width="content")
        if st.button("Back to my data", key="leave_demo", type="tertiary", icon=":material/arrow_back:"):
            ui.leave_demo()
            st.rerun()

ui.show_database_notice()  # a journal of changes a crash cut short (rebound.db): said before any page
try:
    check_on_opening()  # a remembered mailbox: one background check per session, never waited for
    page.run()
finally:
    ui.freeze_long_lived()  # what the page newly imported, out of the garbage collector (also after st.stop or a rerun)
