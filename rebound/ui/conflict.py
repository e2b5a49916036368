"""A save refused because the record changed in another tab or window (rebound.errors.StaleEdit):
nothing says "saved"; the page shows both versions and lets the user keep theirs, take the other,
or (when several fields differ) merge field by field. One implementation for every edit form.

A form calls `read_version(key, version, values)` when it is drawn (the version and values it shows
stay those it was read at until it is saved or reloaded), saves with that version, and on StaleEdit
calls `remember(...)`; `show(...)` then draws the choice above the form while a conflict is pending.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Literal, cast

import streamlit as st

from rebound.dates import fmt_date, local_time
from rebound.errors import StaleEdit, ValidationError
from rebound.ui.text import md_escape

_READ = "conflict_read:"  # key -> {"version", "values"}: what the open form was read at
_PENDING = "conflict_pending:"  # key -> the refused save: version, theirs, mine, read, when


def plain(value: object) -> object:
    """A field's value as compared and shown: None and NaN as '', a timestamp of a day as the day."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):  # a DATE read through pandas
        return value.date()
    return value


def shown(value: object) -> str:
    value = plain(value)
    if isinstance(value, dt.date):
        return fmt_date(value)
    text = str(value)
    return text if text else "(empty)"


def _version(value: object) -> int | None:
    """A version as read (a numpy integer from a frame, None or NaN for a row from before versions)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return int(cast(int, value))


def read_version(key: str, version: object, values: Mapping[str, object]) -> dict[str, Any]:
    """The version and values the form under `key` was read at: kept from its first drawing until
    it is saved or reloaded, so a rerun after another tab's save still knows what this one read."""
    state = st.session_state
    if _READ + key not in state:
        state[_READ + key] = {"version": _version(version), "values": dict(values)}
    return state[_READ + key]


def reload(key: str) -> None:
    """Forget what the form read (and any conflict): it shows the record as it is now."""
    st.session_state.pop(_READ + key, None)
    st.session_state.pop(_PENDING + key, None)


def is_stale(key: str, version: object) -> bool:
    read = st.session_state.get(_READ + key)
    return read is not None and _version(version) is not None and read["version"] != _version(version)


def stale_notice(key: str, version: object) -> None:
    """Under a form read at an older version than the record is at now (and no refusal on screen): a
    quiet note and "Show the newer version", which reloads the form from the record."""
    if pending(key) is not None or not is_stale(key, version):
        return
    note, again = st.columns([4, 1], vertical_alignment="center")
    note.caption("Changed in another tab or window since this form was opened.")
    if again.button("Show the newer version", key=f"{key}_reload", type="tertiary"):
        reload(key)
        st.rerun()


def remember(key: str, error: StaleEdit, mine: Mapping[str, object]) -> None:
    read = st.session_state.get(_READ + key, {"values": {}})
    st.session_state[_PENDING + key] = {
        "version": error.version,
        "theirs": {c: plain(v) for c, v in error.theirs.items()},
        "mine": {c: plain(v) for c, v in mine.items()},
        "read": {c: plain(v) for c, v in read["values"].items()},
        "at": error.changed_at,
        "what": error.what,
    }


def pending(key: str) -> dict[str, Any] | None:
    return st.session_state.get(_PENDING + key)


def _when(at: object) -> str:
    if not isinstance(at, dt.datetime):
        return ""
    at = local_time(at)
    return f" at {at:%H:%M}" if at.date() == dt.date.today() else f" on {fmt_date(at)} at {at:%H:%M}"


def show(
    key: str,
    labels: Mapping[str, str],
    save: Callable[[dict[str, Any], int], object],
    formats: Mapping[str, Callable[[object], str]] | None = None,
) -> Literal["saved", "theirs"] | None:
    """Draw the pending conflict of `key`, if any: both versions of each field that differs, and
    "Keep mine", "Take theirs" and (for several fields) a field-by-field merge. `save(fields, version)`
    saves at the given version (raising StaleEdit again if yet another save came first). `formats`
    shows a field's value as people read it (an application's name for its id, say).
    Returns "saved" when the user's choice was saved, "theirs" when they took the other version."""
    conflict = pending(key)
    if conflict is None:
        return None

    def as_text(value: object, column: str) -> str:
        form = (formats or {}).get(column)
        return shown(value) if form is None or plain(value) == "" else form(value)

    theirs, mine, read = conflict["theirs"], conflict["mine"], conflict["read"]
    differ = [c for c in labels if c in mine and mine[c] != theirs.get(c)]
    if not differ:  # the other save made the same change: nothing to choose
        reload(key)
        return "theirs"
    others = "; ".join(f"{labels[c]}: {as_text(theirs.get(c), c)}" for c in differ if theirs.get(c) != read.get(c))
    with st.container(border=True, key=f"conflict_{key}"):
        st.warning(
            f"**Not saved: changed in another tab or window{_when(conflict['at'])}**"
            + (f" — {md_escape(others)}" if others else "")
            + f". Your version of this {conflict['what']} is kept below; choose what to keep.",
            icon="🔀",
        )
        rows = "\n".join(
            f"| {md_escape(labels[c])} | {md_escape(as_text(theirs.get(c), c))} | {md_escape(as_text(mine[c], c))} |"
            for c in differ
        )
        st.markdown("| | Saved in the other tab | Yours |\n|---|---|---|\n" + rows)
        chosen = dict(theirs)
        if len(differ) > 1:
            st.caption("Or merge: choose each field.")
            for c in differ:
                # the side that changed it since this form was read is the natural default
                default = 1 if mine[c] != read.get(c) else 0
                pick = st.radio(
                    labels[c], ["Theirs", "Mine"], index=default, horizontal=True, key=f"conflict_{key}_{c}"
                )
                chosen[c] = mine[c] if pick == "Mine" else theirs.get(c)
        buttons = st.container(horizontal=True)
        keep = buttons.button("Keep mine", key=f"conflict_{key}_mine", type="primary")
        take = buttons.button("Take theirs", key=f"conflict_{key}_theirs")
        merge = len(differ) > 1 and buttons.button("Save the merge", key=f"conflict_{key}_merge")
    if take:
        reload(key)
        return "theirs"
    if keep or merge:
        fields = {**theirs, **mine} if keep else {**theirs, **{c: chosen[c] for c in differ}}
        try:
            save(fields, conflict["version"])
        except StaleEdit as again:  # yet another save came first: show that one
            remember(key, again, mine)
            st.rerun()
        except ValidationError as error:
            st.error(str(error))
            return None
        reload(key)
        return "saved"
    return None


def refused(key: str, error: StaleEdit) -> str:
    """For a form that keeps what was typed (its draft): the message for a refused save, after which
    saving again keeps the user's version (the form now saves at the newer one) and cancelling
    shows the other. Returns the message to show."""
    read = st.session_state.get(_READ + key)
    if read is not None:
        read["version"] = error.version
    return (
        f"Not saved: this {error.what} was changed in another tab or window{_when(error.changed_at)}. "
        "Your version is still here: save again to keep yours, or cancel to see the other one."
    )
