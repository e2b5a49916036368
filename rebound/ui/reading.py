"""Reading an attached file on a page: once per upload, in the fenced worker, with progress and Cancel.

Streamlit reruns the whole page on every click, and an uploaded file stays attached across those
reruns; reading it again each time would repeat the parse (an 8.7 MB workbook took 70 s of CPU).
`read_once` keeps what a read gave (or the message it was refused with) in session state under
the upload's content signature, so it runs once per upload: another file, or the same bytes
after "Read it again", is a new read.

While the worker runs, a progress bar and a Cancel button are shown. A click on Cancel makes
Streamlit stop this script at its next progress update (at most rebound.fence.HEARTBEAT seconds
later); the fence kills the worker on the way out, and the next run says it was cancelled.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from rebound.errors import MailReadError, ValidationError
from rebound.fence import FenceBusy
from rebound.ui.session import Slot

T = TypeVar("T")
Progress = Callable[[float, str], object]
_CANCELLED = "cancelled"


def signature(files: Sequence[tuple[str, bytes]]) -> str:
    """One upload's identity: its files' names and contents (Streamlit's file_id changes when the
    same file is chosen again; the content does not, and neither does what reading it gives)."""
    digest = hashlib.sha1()
    for name, data in files:
        digest.update(name.encode("utf-8", "replace") + b"\0" + hashlib.sha1(data).digest())
    return digest.hexdigest()[:16]


def read_once(slot: Slot[tuple], sig: str, read: Callable[[Progress], T], label: str, key: str) -> T | None:
    """What `read(on_progress)` returns for the upload `sig`, computed once and kept in `slot`.

    A refusal (ValidationError, MailReadError) is kept too and shown with st.error each run; a
    cancelled read shows a note and a button to read again. Returns None in both cases. `key`
    names this reader's widgets."""
    kept = slot.get()
    if kept and kept[0] == sig:
        return _shown(slot, kept, key)
    if cancelled(key):  # the Cancel of the run that was reading this upload
        return _shown(slot, slot.set((sig, _CANCELLED, None)), key)
    try:
        kept = (sig, "ok", running(read, label, key))
    except FenceBusy as error:  # no worker free (hosted): said, not kept; the next run tries again
        from rebound.ui.text import md_escape

        st.error(md_escape(error), icon="⏳")
        if st.button("Try again", key=f"{key}_busy"):
            st.rerun()
        return None
    except (ValidationError, MailReadError) as error:
        kept = (sig, "error", str(error))
    return _shown(slot, slot.set(kept), key)


def running(read: Callable[[Progress], T], label: str, key: str) -> T:
    """read(on_progress) with a progress bar and a Cancel button shown while it runs (both gone
    after). A click on Cancel stops this run; the next one can tell with `cancelled(key)`."""
    box = st.container(border=True)
    bar = box.progress(0.0, text=label)
    box.button("Cancel", key=f"{key}_cancel", icon="✋")

    def progress(share: float, text: str) -> None:
        bar.progress(min(max(share, 0.0), 1.0), text=text or label)

    try:
        return read(progress)
    finally:
        box.empty()


def cancelled(key: str) -> bool:
    """Was the read that `running(..., key)` showed cancelled by the click that started this run?"""
    return bool(st.session_state.get(f"{key}_cancel"))


def _shown(slot: Slot[tuple], kept: tuple, key: str) -> Any:
    _, status, value = kept
    if status == "ok":
        return value
    if status == "error":
        from rebound.ui.text import md_escape

        st.error(md_escape(value), icon="🚫")
        return None
    st.info("Reading this file was cancelled; nothing was changed.", icon="✋")
    if st.button("Read it again", key=f"{key}_again"):
        slot.clear()
        st.rerun()
    return None
