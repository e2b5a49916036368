"""Typed session state: each value the code keeps between reruns, named once, with its type.

`DEMO_MODE.get()` rather than `st.session_state.get("demo_mode")`: a misspelt key is a NameError,
not a silently empty value, and a reader sees every kept value (and its type) here. Widget keys
(the `key=` of a widget) stay plain strings beside their widgets; a widget key that code also
reads or writes through session state is named once here too, in WIDGET_KEYS.
tests/ui/test_session_keys.py fails on any other string-literal key outside this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

import streamlit as st

from rebound import flow

if TYPE_CHECKING:
    from rebound.sessions import Lease

T = TypeVar("T")


class Slot(Generic[T]):
    """One value kept in st.session_state under `key`."""

    def __init__(self, key: str, default: T | None = None) -> None:
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

    def setdefault(self, value: T) -> T:
        return st.session_state.setdefault(self.key, value)

    def is_set(self) -> bool:
        return self.key in st.session_state

    def clear(self) -> None:
        st.session_state.pop(self.key, None)


class Slots(Generic[T]):
    """A family of slots, one per thing (an application's id, a file's signature): `prefix_<part>`."""

    def __init__(self, prefix: str, default: T | None = None) -> None:
        self.prefix = prefix
        self.default = default

    def of(self, part: object) -> Slot[T]:
        return Slot(f"{self.prefix}_{part}", self.default)


# Who this browser session is, and which data it sees (rebound.ui.database).
DEMO_MODE: Slot[bool] = Slot("demo_mode", False)  # exploring the demo database
SESSION_USER: Slot[str] = Slot("session_user")  # a hosted visitor's private demo session
SESSION_LEASE: Slot[Lease] = Slot("_session_lease")  # its private database's lease
SESSION_EXPIRED: Slot[bool] = Slot("_session_expired", False)  # that session was freed: say so once
DATABASE_KEY: Slot[tuple] = Slot("_database_key")  # (path, key) of the encrypted file this session unlocked
FENCE_OWNER: Slot[str] = Slot("_fence_owner")  # names this session to rebound.fence (one worker at a time)
DATABASE_NOTICE_SEEN: Slot[bool] = Slot("_database_notice_seen", False)  # "Got it" on what opening it said

# Messages after a rerun (rebound.ui.messages).
FLASH: Slot[list] = Slot("_flash")

# The steps after a rejection (rebound.flow's state dict), and its hand-off to the Feedback page.
REJECTION_FLOW: Slot[dict] = Slot(flow.FLOW_KEY)
FEEDBACK_REQUEST: Slot[dict] = Slot("feedback_request")  # {"application_id": id}, set on the feedback step
REJECTION_LOGGED: Slot[int] = Slot("rejection_logged")  # the application whose rejection was just logged here

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

# Outcomes: which application is open, and what the page is in the middle of.
OUTCOMES_OPEN: Slot[int] = Slot("outcomes_open")  # id of the open application (None: none open)
OUTCOMES_REJECTING: Slot[bool] = Slot("outcomes_rejecting")  # came from Today's "Log a rejection"
OUTCOMES_PENDING: Slot[dict] = Slot("outcomes_pending")  # a new application's fields, awaiting "add it anyway?"
OUTCOMES_CLEAR_ADD: Slot[bool] = Slot("outcomes_add_clear", False)  # a save: empty the add form at the next run
OUTCOMES_LAST_PICK: Slot[int] = Slot("outcomes_last_pick")  # the table row's application at the last run
OUTCOMES_EVENT_KIND: Slots[str] = Slots("outcomes_kind")  # .of(app_id): the event form open for it
OUTCOMES_CONFIRM_DELETE: Slots[bool] = Slots("outcomes_confirm_delete")  # .of(app_id): asking "delete it?"
OUTCOMES_MERGE: Slots[dict] = Slots("outcomes_merge")  # .of(app_id): {"other", "mine", "theirs"} versions read

# Data: each tab's result shown after its rerun, and the import's steps.
DATA_IMPORT_DONE: Slot[str] = Slot("data_import_done")
DATA_IMPORT_NONCE: Slot[int] = Slot("data_import_nonce", 0)  # a new uploader after an import (it empties)
DATA_IMPORT_MAPPING: Slots[dict] = Slots("data_import_map")  # .of(file signature): the confirmed columns
DATA_IMPORT_PLAN: Slot[tuple] = Slot("data_import_plan")  # (its inputs, the plan): built once per input
DATA_IMPORT_READ: Slot[tuple] = Slot("data_import_read")  # (upload signature, status, sheets): read once
DATA_RESTORE_READ: Slot[tuple] = Slot("data_restore_read")  # (upload signature, status, preview): read once
DATA_RESTORE_OPENED: Slot[tuple] = Slot(
    "data_restore_opened"
)  # (upload signature, the .zip): an encrypted one, decrypted
DATA_IMPORT_SETTLE: Slot[dict] = Slot("data_import_settle")  # {"ids", "days"}: offer to mark them ghosted
DATA_RESTORE_DONE: Slot[str] = Slot("data_restore_done")
DATA_RESTORE_NONCE: Slot[int] = Slot("data_restore_nonce", 0)
DATA_DELETE_DONE: Slot[str] = Slot("data_delete_done")

# Widget keys the code also sets or reads through session state (a widget owns its value).
OUTCOMES_ADD_OPEN = "outcomes_add"  # the "Add an application" expander
OUTCOMES_PICKER = "outcomes_picker"  # "Open an application"; follows OUTCOMES_OPEN on every run
DATA_DELETE_CONFIRM = "data_delete_confirm"  # "Type DELETE to confirm"
FEEDBACK_SECTION = "feedback_section"  # the Feedback page's section control
FEEDBACK_APP_PICKER = "feedback_app"  # Feedback's "Application"
FEEDBACK_REQUEST_PICKER = "feedback_pick"  # Feedback's "Open a request"
WIDGET_KEYS = frozenset(
    {
        OUTCOMES_ADD_OPEN,
        OUTCOMES_PICKER,
        DATA_DELETE_CONFIRM,
        FEEDBACK_SECTION,
        FEEDBACK_APP_PICKER,
        FEEDBACK_REQUEST_PICKER,
    }
)
