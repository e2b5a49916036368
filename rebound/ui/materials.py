"""CV and cover-letter versions on screen: the picker in the application forms (Outcomes), the
section where the user names and manages their versions (Outcomes), and the per-version answer and
interview rates (there and on Progress). Thin: the rules and rates are in rebound.outcomes.materials
and rebound.insights.materials; user text (labels, what changed, file names) is shown literally.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import streamlit as st

from rebound.dates import fmt_date
from rebound.errors import StaleEdit, ValidationError
from rebound.insights.materials import notes
from rebound.limits import MB
from rebound.outcomes.materials import FILE_TYPES, KINDS, MAX_CHANGES, MAX_FILE_BYTES, MAX_LABEL, check_file
from rebound.ui import DATE_INPUT_FORMAT, conflict
from rebound.ui import diagnosis as ui_diagnosis
from rebound.ui.messages import flash
from rebound.ui.text import md_escape, md_table

if TYPE_CHECKING:
    from rebound.insights.diagnosis import Diagnosis
    from rebound.store import Store

NOT_RECORDED = "Not recorded"
_DELETING = "materials_deleting"  # session: the version whose delete awaits confirmation
_EDITING = "materials_editing"  # session: the version whose edit form is open


def _id(value: object) -> int | None:
    """An id as read from a frame (a float, NaN for none) or a form."""
    if value is None or value != value:
        return None
    return int(value)  # type: ignore[call-overload]  # a number from a frame or a widget


def _name(v: dict[str, Any]) -> str:
    return f"deleted version: {v['label']}" if v["deleted"] else str(v["label"])


def pickers(store: Store, key: str, current: dict[str, object] | None = None) -> dict[str, int | None]:
    """Inside an application form: the CV and cover-letter versions it was sent with, as
    {"cv_version_id": id | None, "letter_version_id": id | None}. For a new application (no
    `current`) the newest version of each kind is chosen; editing, the one it has (a deleted one
    stays pickable for it). Draws nothing for a kind the user has no version of (then None)."""
    versions = store.materials.all(include_deleted=True)
    chosen: dict[str, int | None] = {}
    columns = {"cv": "cv_version_id", "cover_letter": "letter_version_id"}
    drawn = [k for k in KINDS if any(v["kind"] == k and not v["deleted"] for v in versions)]
    if current is not None:  # a deleted version the application has still counts as its choice
        drawn = [k for k in KINDS if k in drawn or _id(current.get(columns[k])) is not None]
    slots = dict(zip(drawn, st.columns(len(drawn)))) if drawn else {}
    for kind, column in columns.items():
        had = _id(current.get(column)) if current is not None else None
        mine = {int(v["id"]): _name(v) for v in versions if v["kind"] == kind and (not v["deleted"] or v["id"] == had)}
        if kind not in slots:
            chosen[column] = had
            continue
        options: list[int | None] = [None, *reversed(list(mine))]  # newest first
        default = had if current is not None else store.materials.latest(kind)

        def shown(i: int | None, mine: dict[int, str] = mine) -> str:
            return NOT_RECORDED if i is None else mine[i]

        chosen[column] = slots[kind].selectbox(
            f"{KINDS[kind]} version sent",
            options,
            index=options.index(default) if default in options else 0,
            format_func=shown,
            key=f"{key}_{kind}",
        )
    return chosen


def rates(store: Store, today: dt.date, found: Diagnosis | None = None) -> None:
    """Answer and interview rate per version, side by side with their 95% intervals, and whether
    versions can be told apart yet."""
    found = found or ui_diagnosis.current(store, today)
    by_version = found.by_version
    st.markdown("**Which version gets answers**")
    if not by_version:
        st.caption(
            "Name the versions of your CV and cover letter (on Outcomes, “Your CV and cover-letter versions”) "
            "and pick the one you sent when you log an application: their answer and interview rates appear here."
        )
        return
    rows = [
        (f"{KINDS[r.kind]}: {r.name}", f"{r.applications:,}", r.answer.shown(), r.interview.shown()) for r in by_version
    ]
    header = ["Version", "Sent", "Got an answer", "Reached an interview"]  # "likely …": the 95% interval
    st.markdown(md_table(rows, header, ["Sent"]))
    said = notes(by_version)
    if said:
        st.markdown("\n".join(f"- {md_escape(n)}" for n in said))
    st.caption(
        "“Likely” is the 95% interval: where the rate probably is, given how few applications it rests on. "
        "Counted like the diagnosis: an application counts once it has an answer or is three weeks old; "
        "one you withdrew first is not a “no”. Applications with no version recorded (imported, from mail, "
        "the demo) are not in this table."
    )


def _add_form(store: Store, today: dt.date) -> None:
    with st.form("materials_add_form", clear_on_submit=True, border=False):
        kind = st.radio(
            "Which document", list(KINDS), format_func=lambda k: KINDS[k], horizontal=True, key="materials_add_kind"
        )
        a, b = st.columns([3, 1])
        label = a.text_input(
            "Name of this version *", max_chars=MAX_LABEL, placeholder="v3 — shorter summary", key="materials_add_label"
        )
        made_on = b.date_input(
            "Made on", value=today, max_value=today, format=DATE_INPUT_FORMAT, key="materials_add_date"
        )
        changes = st.text_area(
            "What changed, and why",
            max_chars=MAX_CHANGES,
            placeholder="After Initech's feedback: SQL projects first, summary cut to three lines.",
            height=80,
            key="materials_add_changes",
        )
        upload = st.file_uploader(
            f"The file (optional: PDF, DOCX or TXT, at most {MAX_FILE_BYTES // MB} MB)",
            type=list(FILE_TYPES),
            max_upload_size=MAX_FILE_BYTES // MB,  # the browser refuses a bigger one; check_file too
            key="materials_add_file",
        )
        keep = st.checkbox(
            "Keep a copy of the file in Rebound (without this, the file is not stored)", key="materials_add_keep"
        )
        submitted = st.form_submit_button("Add version", type="primary")
    if not submitted:
        return
    try:
        kept = check_file(upload.name, upload.getvalue()) if upload is not None and keep else None
        store.materials.add(kind, label, made_on, changes, file=kept, today=today)
    except ValidationError as error:
        st.error(str(error))  # the form keeps nothing on a refusal: say what to fix
        return
    flash("Added the {kind} version “{label}”.", icon="✅", kind=KINDS[kind], label=label.strip())
    if upload is not None and not keep:
        flash("Its file was not stored: the box to keep a copy was not ticked.", icon="ℹ️")
    st.rerun()


def _edit_form(store: Store, today: dt.date, v: dict[str, Any]) -> None:
    key = f"materials_edit_{v['id']}"
    labels = {"label": "Name", "made_on": "Made on", "changes": "What changed"}
    read = conflict.read_version(key, v["version"], {c: conflict.plain(v.get(c)) for c in labels})

    def save(fields: dict, version: int | None) -> int:
        return store.materials.update(int(v["id"]), version=version, today=today, **fields)

    outcome = conflict.show(key, labels, save)
    if outcome is not None:
        st.session_state.pop(_EDITING, None)
        st.rerun()
    was = read["values"]
    with st.form(key, border=False):
        a, b = st.columns([3, 1])
        label = a.text_input("Name *", was["label"], max_chars=MAX_LABEL)
        made_on = b.date_input("Made on", was["made_on"] or today, max_value=today, format=DATE_INPUT_FORMAT)
        changes = st.text_area("What changed, and why", was["changes"], max_chars=MAX_CHANGES, height=80)
        save_col, cancel_col = st.columns(2)
        saved = save_col.form_submit_button("Save version", type="primary")
        cancelled = cancel_col.form_submit_button("Cancel")
    if cancelled:
        conflict.reload(key)
        st.session_state.pop(_EDITING, None)
        st.rerun()
    if saved:
        mine = {"label": label, "made_on": made_on, "changes": changes}
        try:
            save(mine, read["version"])
        except StaleEdit as stale:
            conflict.remember(key, stale, mine)
            st.rerun()
        except ValidationError as error:
            st.error(str(error))
        else:
            conflict.reload(key)
            st.session_state.pop(_EDITING, None)
            flash("Version saved.", icon="✅")
            st.rerun()


def _one(store: Store, today: dt.date, v: dict[str, Any]) -> None:
    vid = int(v["id"])
    with st.container(border=True, key=f"materials_version_{vid}"):
        sent = f"sent with {v['applications']:,} application{'s' if v['applications'] != 1 else ''}"
        st.markdown(f"**{KINDS[v['kind']]}: {md_escape(v['label'])}** · {fmt_date(v['made_on'])} · {sent}")
        if v["changes"]:
            st.text(v["changes"])
        if v["file_name"]:
            kept = (
                f" ({FILE_TYPES[v['file_type']][0]}, {v['file_size'] / 1024:,.0f} KB, kept)" if v["file_type"] else ""
            )
            st.caption(md_escape(f"File: {v['file_name']}{kept}"))
        if st.session_state.get(_EDITING) == vid:
            _edit_form(store, today, v)
            return
        buttons = st.container(horizontal=True)
        if buttons.button("Edit", key=f"materials_edit_button_{vid}", type="tertiary", icon=":material/edit:"):
            st.session_state[_EDITING] = vid
            st.rerun()
        if v["file_type"]:
            file = store.materials.file(vid)
            if file is not None:  # served as a download with its own type: never as a page
                buttons.download_button(
                    "Download",
                    data=file.data,
                    file_name=file.name,
                    mime=file.media_type,
                    key=f"materials_download_{vid}",
                    type="tertiary",
                    icon=":material/download:",
                )
        if st.session_state.get(_DELETING) != vid:
            if buttons.button("Delete", key=f"materials_delete_{vid}", type="tertiary", icon=":material/delete:"):
                st.session_state[_DELETING] = vid
                st.rerun()
            return
        used = v["applications"]
        st.warning(
            (
                f"{used:,} application{'s were' if used != 1 else ' was'} sent with this version: they keep it, "
                "shown as “deleted version: …”; the kept file goes."
            )
            if used
            else "Delete this version? No application was sent with it.",
            icon="🗑️",
        )
        yes, no = st.columns(2)
        if yes.button("Delete it", key=f"materials_delete_yes_{vid}", type="primary"):
            store.materials.delete(vid)
            st.session_state.pop(_DELETING, None)
            flash("Deleted the version “{label}”.", icon="🗑️", label=v["label"])
            st.rerun()
        if no.button("Keep it", key=f"materials_delete_no_{vid}"):
            st.session_state.pop(_DELETING, None)
            st.rerun()


def manage(store: Store, today: dt.date) -> None:
    """The versions section: name a version, see and edit each, and their rates side by side."""
    versions = store.materials.all()
    st.caption(
        "Name each version of your CV and cover letter, and pick the one you sent when you log an application: "
        "you will see which version gets answers."
    )
    for v in reversed(versions):  # newest first
        _one(store, today, v)
    add = st.expander("Add a version", expanded=not versions, key="materials_add_open", on_change="rerun")
    if add.open:
        with add:
            _add_form(store, today)
    if versions or store.materials.all(include_deleted=True):  # none yet: the form is the section
        rates(store, today)
