"""Typed session state: each value the code keeps between reruns, named once, with its type.

`DEMO_MODE.get()` rather than `st.session_state.get("demo_mode")`: a misspelt key is a NameError,
not a silently empty value, and a reader sees every kept value (and its type) here. Widget keys
(the `key=` of a widget) stay plain strings beside their widgets.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import streamlit as st

from rebound import flow

T = TypeVar("T")


class Slot(Generic[T]):
    """One value kept in st.session_state under `key`."""

    def __init__(self, key: str, default: T | None = None):
        self.key = key
        self.default = default

    def get(self) -> T | None:
        return st.session_state.get(self.key, self.default)

    def set(self, value: T) -> T:
        st.session_state[self.key] = value
        return value

    def pop(self) -> T | None:
        """The value, once: it is gone afterwards."""
        return st.session_state.pop(self.key, self.default)

    def is_set(self) -> bool:
        return self.key in st.session_state

    def clear(self) -> None:
        st.session_state.pop(self.key, None)


# Who this browser session is, and which data it sees (rebound.ui.database).
DEMO_MODE: Slot[bool] = Slot("demo_mode", False)  # exploring the demo database
SESSION_USER: Slot[str] = Slot("session_user")  # a hosted visitor's private demo session
SESSION_LEASE: Slot[Any] = Slot("_session_lease")  # its rebound.sessions.Lease
SESSION_EXPIRED: Slot[bool] = Slot("_session_expired", False)  # that session was freed: say so once

# Messages after a rerun (rebound.ui.messages).
FLASH: Slot[list] = Slot("_flash")

# The steps after a rejection (rebound.flow's state dict), and its hand-off to the Feedback page.
REJECTION_FLOW: Slot[dict] = Slot(flow.FLOW_KEY)
FEEDBACK_REQUEST: Slot[dict] = Slot("feedback_request")  # {"application_id": id}, set on the feedback step

# The Reflect journal and the Check-in page's self-care list.
JOURNAL_SHOWN: Slot[int] = Slot("journal_limit")  # how many journal entries are drawn
JOURNAL_EDITING: Slot[int] = Slot("journal_editing")  # the entry whose edit form is open
JOURNAL_DELETING: Slot[int] = Slot("journal_deleting")  # the entry asking "delete it?"
COPING_EDITING: Slot[int] = Slot("coping_editing")  # the self-care entry whose edit form is open
COPING_SHOW_ALL: Slot[bool] = Slot("checkin_coping_all", False)  # every self-care entry, not the recent few
ACKNOWLEDGEMENT: Slot[dict] = Slot("wb_ack")  # {"id", "text"}: the words after a saved check-in

# The Feedback page opening a section (and a request or an application) at its next run.
FEEDBACK_GOTO: Slot[str] = Slot("_feedback_goto")
FEEDBACK_OPEN_APPLICATION: Slot[int] = Slot("_feedback_app")
FEEDBACK_OPEN_REQUEST: Slot[int] = Slot("_feedback_pick")
