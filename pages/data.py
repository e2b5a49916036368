"""Your data: import, export, backup and restore, delete. Thin: the work is in rebound.importing,
rebound.exporting and rebound.backup."""

import datetime as dt

import streamlit as st

from pages import through_app
from rebound import ui
from rebound.backup import (
    backup_name,
    decrypt_backup,
    delete_everything,
    is_encrypted_backup,
    keeps_aside,
    make_backup,
    preview_backup,
    pruned_note,
    read_backup,
    restore_backup,
    restored_once,
)
from rebound.errors import ValidationError
from rebound.exporting import EXPORTS, export, file_name
from rebound.importing import (
    DATE_ORDERS,
    FIELDS,
    FORMAT_LABELS,
    FORMATS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_ROWS,
    MAX_TOTAL_BYTES,
    REQUIRED_FIELDS,
    apply_plan,
    build_plan,
    prepare,
    quiet_after_import,
    read_files_fenced,
)
from rebound.limits import MB
from rebound.passphrase import check_new
from rebound.ui import drafts as ui_drafts
from rebound.ui import reading, session
from rebound.ui import settle as ui_settle
from rebound.ui.mail import mail_section
from rebound.ui.mailbox import mailbox_section
from rebound.vocab import CHANNELS


def render() -> None:
    st.title("Your data")

    store = ui.store()
    ui.show_flash()
    esc = ui.md_escape  # user text (file names, cells) shown through markdown-rendering widgets
    ephemeral = ui.storage_is_ephemeral()
    if ephemeral:
        st.warning(
            "**Your data will vanish when this host restarts.** This copy of Rebound keeps its database "
            "on a server disk that is wiped on every reboot or redeploy. Download a backup after each "
            "session and restore it next time, or ask the owner to set up MotherDuck storage "
            "(see the README).",
            icon="⚠️",
        )

    mail_section(store)  # read mail; its findings wait here as proposals
    mailbox_section(store)  # connect a mailbox (IMAP, read-only): "Check now", "Disconnect"

    NONE = "— not in the file —"
    TABS = ["📥 Import", "📤 Export", "🛟 Backup & restore", "🗑️ Delete"]
    if ephemeral:  # backup and restore first when the disk is temporary
        tab_backup, tab_import, tab_export, tab_delete = st.tabs([TABS[2], TABS[0], TABS[1], TABS[3]])
    else:
        tab_import, tab_export, tab_backup, tab_delete = st.tabs(TABS)

    # -- Import -------------------------------------------------------------------------------------------
    def map_key(sig: str, kind: str, name: str) -> str:
        """The one source of the mapping form's widget keys. A field's column box (kind "field") and the
        form's other choices (kind "option") live apart, so the field `channel` and the option
        "channel for rows without one" can never share a key."""
        return f"data_map_{sig}_{kind}_{name}"

    WRITTEN = {
        "applications": ("application", "applications"),
        "events": ("event", "events"),
        "checkins": ("check-in", "check-ins"),
        "already there": ("event already on the timeline", "events already on the timeline"),
    }

    def settle_offer():
        """After a history import: offer to mark its long-silent applications as ghosted in one step."""
        ui_settle.undo_offer(store, "data_settle")  # the same step as on Today and Outcomes, with its Undo
        offer = session.DATA_IMPORT_SETTLE.get()
        if not offer:
            return
        n, days = len(offer["ids"]), offer["days"]
        with st.container(border=True):
            st.markdown(
                f"**{n:,} of these {'has' if n == 1 else 'have'} had no answer for over {days} days** — "
                f"mark {'it' if n == 1 else 'them'} as ghosted? You can reopen any of them on Outcomes. "
                "Otherwise Today will ask about each one."
            )
            buttons = st.container(horizontal=True)
            with buttons:
                ui_settle.settle_button(
                    store,
                    dt.date.today(),
                    n,
                    key="data_import_settle_go",
                    app_ids=offer["ids"],
                    then=session.DATA_IMPORT_SETTLE.clear,
                )
            if buttons.button("Not now", key="data_import_settle_skip"):
                session.DATA_IMPORT_SETTLE.clear()
                st.rerun()

    def import_tab():
        done = session.DATA_IMPORT_DONE.pop()
        if done:
            st.success(done, icon="✅")
        settle_offer()
        st.markdown(
            "Bring in your history from **LinkedIn** (your data export's *Job Applications.csv*, its split "
            "files *_1, _2 …*, or the whole export **.zip**), **JobSync**, **Huntr**, **Teal**, any "
            "**spreadsheet** (CSV or XLSX), or **Daylio** mood entries. You'll see a preview first; importing "
            "the same file again adds nothing."
        )
        nonce = session.DATA_IMPORT_NONCE.get()
        c1, c2 = st.columns([1, 2])
        fmt = c1.selectbox("What are you importing?", FORMATS, format_func=FORMAT_LABELS.get, key="data_import_format")
        uploads = c2.file_uploader(
            "Files",
            type=["csv", "tsv", "txt", "xlsx", "zip"],
            accept_multiple_files=True,
            key=f"data_import_files_{nonce}",
            max_upload_size=MAX_FILE_BYTES // MB,
            help="Several files at once for LinkedIn's split export (Job Applications_1.csv, _2 …). "
            f"Up to {MAX_FILES} files of {MAX_FILE_BYTES // MB} MB ({MAX_TOTAL_BYTES // MB} MB "
            f"together), {MAX_ROWS:,} rows, {MAX_COLUMNS} columns and "
            f"{MAX_CELL_CHARS:,} characters in a cell.",
        )
        if not uploads:
            session.DATA_IMPORT_READ.clear()  # what the last upload read is not kept once it is gone
            return
        files = [(u.name, u.getvalue()) for u in uploads]
        sig = reading.signature(files)
        sheets = reading.read_once(  # in the fenced worker, once per upload (not on every rerun)
            session.DATA_IMPORT_READ,
            sig,
            lambda progress: read_files_fenced(files, progress),
            "Reading your files…",
            key="data_import_read",
        )
        if sheets is None:  # refused or cancelled: read_once said so
            return
        try:
            prepared = prepare(sheets, fmt)
        except ValidationError as error:
            st.error(esc(error), icon="🚫")
            return
        st.caption(
            f"Recognised as: **{esc(FORMAT_LABELS[prepared.format])}** · {prepared.rows:,} "
            + ("row" if prepared.rows == 1 else "rows")
        )
        mapping, date_order, channel = {}, "auto", "job board"
        if prepared.needs_mapping:
            confirmed = session.DATA_IMPORT_MAPPING.of(sig).get()
            with st.form(f"data_import_mapping_{sig}"):
                st.markdown("**Which column holds what?** Guesses come from the column names; check them.")
                options = [NONE] + prepared.header
                chosen = {}
                for i, (field, label) in enumerate(FIELDS.items()):
                    if i % 3 == 0:  # rows of three: on a phone they stack in the fields' own order
                        cols = st.columns(3)
                    guess = (confirmed or {}).get("mapping", prepared.mapping).get(field)
                    chosen[field] = cols[i % 3].selectbox(
                        label + (" *" if field in REQUIRED_FIELDS else ""),
                        options,
                        index=options.index(guess) if guess in options else 0,
                        key=map_key(sig, "field", field),
                    )
                c1, c2 = st.columns(2)
                order = c1.selectbox(
                    "Date order", list(DATE_ORDERS), format_func=DATE_ORDERS.get, key=map_key(sig, "option", "order")
                )
                default_channel = c2.selectbox(
                    "Channel for rows without one", CHANNELS, key=map_key(sig, "option", "channel")
                )
                if st.form_submit_button("Use these columns", type="primary"):
                    missing = [FIELDS[f] for f in REQUIRED_FIELDS if chosen[f] == NONE]
                    picked = [c for c in chosen.values() if c != NONE]
                    if missing:
                        st.error("Choose the column for: " + ", ".join(missing) + ".")
                    elif len(picked) != len(set(picked)):
                        st.error("Each column can be used for one field only.")
                    else:
                        confirmed = {
                            "mapping": {f: (None if c == NONE else c) for f, c in chosen.items()},
                            "order": order,
                            "channel": default_channel,
                        }
                        session.DATA_IMPORT_MAPPING.of(sig).set(confirmed)
            if not confirmed:
                st.info("Confirm the columns to see a preview.", icon="👆")
                return
            mapping, date_order, channel = confirmed["mapping"], confirmed["order"], confirmed["channel"]
        elif prepared.format == "daylio":
            date_order = "auto"
        plan_key = (sig, prepared.format, repr(sorted(mapping.items())), date_order, channel, store.revision)
        cached = session.DATA_IMPORT_PLAN.get()
        if cached and cached[0] == plan_key:
            plan = cached[1]
        else:
            try:
                with st.spinner("Reading every row…"):
                    plan = build_plan(store, prepared, mapping, date_order, channel)
            except ValidationError as error:
                st.error(esc(error), icon="🚫")
                return
            session.DATA_IMPORT_PLAN.set((plan_key, plan))
        st.subheader("Preview")
        st.info(plan.summary(), icon="🔎")
        for note in plan.notes:
            st.caption("ℹ️ " + esc(note))
        if plan.problems:
            n = len(plan.problems)
            with st.expander(
                f"{n:,} {'row' if n == 1 else 'rows'} can't be imported and will be skipped", expanded=True
            ):
                st.dataframe(plan.problems_frame(), hide_index=True, width="stretch")
        if plan.new_rows:
            st.dataframe(plan.preview(), hide_index=True, width="stretch", key="data_import_preview")
            if plan.new_rows > 200:
                st.caption(f"Showing the first 200 of {plan.new_rows:,}.")
        noun = ("check-in" if plan.kind == "checkins" else "application") + ("" if plan.new_rows == 1 else "s")
        if not plan.new_rows:
            st.warning("There is nothing new to import: every readable row is already in Rebound.", icon="🤷")
            return
        if st.button(f"Import {plan.new_rows:,} {noun}", type="primary", key="data_import_go"):
            bar = st.progress(0.0, text="Starting…")
            try:
                written = apply_plan(store, plan, progress=lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m))
            except ValidationError as error:
                st.error(esc(error), icon="🚫")
                return
            session.DATA_IMPORT_PLAN.clear()
            session.DATA_IMPORT_READ.clear()
            session.DATA_IMPORT_NONCE.set(nonce + 1)
            session.DATA_IMPORT_DONE.set(
                "Imported "
                + ", ".join(  # "7 applications", not "…, 0 events"
                    f"{n:,} {WRITTEN.get(k, (k, k))[n != 1]}" for i, (k, n) in enumerate(written.items()) if n or not i
                )
                + "."
            )
            quiet = quiet_after_import(store, plan, dt.date.today())
            if quiet:
                session.DATA_IMPORT_SETTLE.set({"ids": quiet, "days": store.settings.get_int("ghost_after_days")})
            else:
                session.DATA_IMPORT_SETTLE.clear()
            st.rerun()

    # -- Export -------------------------------------------------------------------------------------------
    def export_tab():
        st.markdown(
            "Everything you put in Rebound, in open formats. Spreadsheet cells are protected against "
            "formula injection. The CSV of applications lists every stage with its date — handy as proof "
            "of your search for a benefits office."
        )
        c1, c2 = st.columns(2)
        start = c1.date_input("Applied from", value=None, key="data_export_from", format=ui.DATE_INPUT_FORMAT)
        end = c2.date_input("Applied until", value=None, key="data_export_to", format=ui.DATE_INPUT_FORMAT)
        if start and end and start > end:
            st.error("“Applied from” is after “Applied until”.")
            return
        st.caption(
            "The date range applies to the applications CSVs and the spreadsheet; the other exports hold everything."
        )
        for fmt, (label, mime, *_) in EXPORTS.items():

            def make(fmt=fmt):
                return export(store, fmt, start, end)[0]

            st.download_button(
                label,
                data=make,
                file_name=file_name(fmt, start, end),
                mime=mime,
                key=f"data_export_{fmt}",
                on_click="ignore",
                icon="⬇️",
            )
        with st.expander("What is SankeyMATIC?"):
            st.markdown(
                "A free tool that draws flow diagrams: paste the text into "
                "[sankeymatic.com/build](https://sankeymatic.com/build/) to see where your applications went."
            )

    # -- Backup & restore ------------------------------------------------------------------------------------------
    def backup_tab():
        st.markdown(
            "**Back up** everything in one file you can keep anywhere. Any later version of Rebound can restore it."
        )
        sealed = st.checkbox(
            "Encrypt the backup with a passphrase",
            value=store.db.encrypted,  # offered by default when the journal itself is encrypted
            key="data_backup_encrypt",
            help="AES-256-GCM under a key derived from the passphrase with scrypt: without the passphrase the "
            "file is unreadable, and any change to it is detected on restore.",
        )
        words, problem = None, None
        if sealed:
            st.caption(
                "**A forgotten passphrase cannot be recovered**: not by you, not by Rebound, not by anyone, and "
                "without it this backup cannot be restored. It may differ from the journal's own passphrase."
            )
            c1, c2 = st.columns(2)
            first = c1.text_input("Backup passphrase", type="password", key="data_backup_passphrase")
            again = c2.text_input("The same passphrase again", type="password", key="data_backup_passphrase_again")
            try:
                words = check_new(first, again)
            except ValidationError as error:
                problem = str(error)
                if first or again:
                    st.error(esc(problem), icon="🚫")
        st.download_button(
            "Download an encrypted backup" if sealed else "Download a backup",
            data=lambda: make_backup(store, passphrase=words),
            file_name=backup_name(encrypted=sealed),
            mime="application/octet-stream" if sealed else "application/zip",
            key="data_backup_download",
            on_click="ignore",
            type="primary",
            icon="🛟",
            disabled=problem is not None,
            help=problem,
        )
        st.divider()
        if keeps_aside(store):
            st.markdown(
                "**Restore** a backup. The file is checked completely first; your current data is saved aside "
                "as a backup file before anything is replaced."
            )
            st.caption(
                "Copies saved aside: the 5 newest are kept, none older than 30 days. To keep one for good, "
                "rename it to end in -keep.zip (or move it elsewhere)."
            )
        else:  # a private session keeps nothing on the server, so nothing is saved aside either
            st.markdown(
                "**Restore** a backup. The file is checked completely first. This private session keeps "
                "nothing: what is here now is replaced, not saved aside (download a backup first to keep it)."
            )
        done = session.DATA_RESTORE_DONE.pop()
        if done:
            st.success(done, icon="✅")
        nonce = session.DATA_RESTORE_NONCE.get()
        upload = st.file_uploader(
            "Backup file (.zip, or .zip.enc if encrypted)", type=["zip", "enc"], key=f"data_restore_file_{nonce}"
        )
        if not upload:
            session.DATA_RESTORE_READ.clear()
            session.DATA_RESTORE_OPENED.clear()
            return
        data = upload.getvalue()
        if is_encrypted_backup(data):  # known by its header, not its name
            data = opened_backup(upload.name, data, nonce)
            if data is None:
                return
        info = reading.read_once(  # the manifest only, once per upload: the tables are read on Restore
            session.DATA_RESTORE_READ,
            reading.signature([(upload.name, data)]),
            lambda progress: preview_backup(store, data),
            "Reading the backup…",
            key="data_restore_preview",
        )
        if info is None:  # refused or cancelled: read_once said so
            return
        st.info(esc(info.summary()), icon="📦")
        for warning in info.warnings:
            st.warning(esc(warning))
        sure = st.checkbox("I understand this replaces all my current data", key="data_restore_sure")
        if reading.cancelled("data_restore_check"):
            st.info("The restore was cancelled; nothing was changed.", icon="✋")
        if st.button("Restore this backup", type="primary", disabled=not sure, key="data_restore_go"):
            try:
                checked = reading.running(  # every table, in the fenced worker; then one transaction here
                    lambda progress: read_backup(store, data), "Checking every table…", key="data_restore_check"
                )
                with st.spinner("Restoring…"):
                    result = restore_backup(store, data, info=checked)
            except ValidationError as error:
                st.error(esc(error), icon="🚫")
                return
            msg = "Restored " + ", ".join(f"{n:,} {t}" for t, n in result["restored"].items() if n) + "."
            msg += restored_once(result["already_there"])
            if result["aside"]:
                msg += f" Your previous data was saved to {esc(result['aside'])}." + esc(pruned_note(result["pruned"]))
            session.DATA_RESTORE_DONE.set(msg)
            ui_drafts.reset()  # the restored database holds its own drafts
            session.DATA_RESTORE_READ.clear()
            session.DATA_RESTORE_OPENED.clear()
            session.DATA_RESTORE_NONCE.set(nonce + 1)
            st.rerun()

    def opened_backup(name: str, data: bytes, nonce: int) -> bytes | None:
        """An encrypted backup's .zip, once its passphrase was given in this session (None until then)."""
        sig = reading.signature([(name, data)])
        opened = session.DATA_RESTORE_OPENED.get()
        if opened and opened[0] == sig:
            return opened[1]
        with st.form(f"data_restore_unlock_{nonce}"):
            st.markdown("🔒 **This backup is encrypted.** Enter the passphrase it was made with.")
            given = st.text_input("Passphrase of this backup", type="password", key=f"data_restore_passphrase_{nonce}")
            if not st.form_submit_button("Open the backup", type="primary"):
                return None
        try:
            with st.spinner("Opening the backup…"):
                plain = decrypt_backup(data, given)
        except ValidationError as error:
            st.error(esc(error), icon="🚫")
            return None
        session.DATA_RESTORE_OPENED.set((sig, plain))
        return plain

    # -- Delete ------------------------------------------------------------------------------------------------------
    def delete_tab():
        done = session.DATA_DELETE_DONE.pop()
        if done:
            st.success(done, icon="✅")
        demo = store.account.demo_application_count()
        if demo:
            st.markdown(f"**Demo data**: {demo:,} demo applications are mixed in with your own.")
            if st.button(
                f"Remove the {demo:,} demo applications and everything linked to them", key="data_demo_remove"
            ):
                removed = store.account.remove_demo_data()
                session.DATA_DELETE_DONE.set("Removed " + ", ".join(f"{n:,} {t}" for t, n in removed.items()) + ".")
                st.rerun()
            st.divider()
        counts = store.account.row_counts()
        total = sum(counts.values())
        st.markdown(
            "**Delete all my data.** Every application, check-in, reflection and setting of yours is erased "
            "from this database. This can't be undone — download a backup first if you might want it back."
        )
        st.caption(
            f"You have {total:,} rows: " + ", ".join(f"{n:,} {t}" for t, n in counts.items() if n) + "."
            if total
            else "There is nothing to delete."
        )
        typed = st.text_input("Type DELETE to confirm", key=session.DATA_DELETE_CONFIRM, disabled=not total)
        if st.button("Delete all my data", type="primary", disabled=not total, key="data_delete_go"):
            if typed.strip() != "DELETE":
                st.error("Type DELETE (in capitals) to confirm. Nothing was deleted.")
            else:
                removed = delete_everything(store)  # rows, and the copies restores kept aside
                ui_drafts.reset()  # drafts went with the rows: forget this session's copies too
                st.session_state.pop(session.DATA_DELETE_CONFIRM, None)
                session.DATA_DELETE_DONE.set(f"Deleted {sum(removed.values()):,} rows. Rebound is empty.")
                st.rerun()

    with tab_import:
        import_tab()
    with tab_export:
        export_tab()
    with tab_backup:
        backup_tab()
    with tab_delete:
        delete_tab()

    with st.expander("🔒 What Rebound stores, where, and who can see it"):
        st.markdown(
            "- **What**: your applications and their timelines, check-ins, coping notes, reflections, feedback "
            "requests, goals, activities, contacts and wins.\n"
            "- **Where**: "
            + (
                "in MotherDuck, in the database this app was configured with."
                if store.db.path.startswith("md:")
                else "in one DuckDB file on the computer that runs Rebound."
            )
            + " Nothing is sent anywhere else: Rebound has no telemetry and Streamlit's usage statistics are off.\n"
            "- **Who**: only you. "
            + (
                "Every query is scoped to your sign-in, so nobody else using this app sees your "
                "entries, exports or statistics."
                if ui.auth_is_on()
                else "Anyone who can open this computer's Rebound file could read it."
            )
            + "\n- **Deleting**: *Delete all my data* removes every row of yours, and only yours."
        )


through_app(__name__)  # run as a file by Streamlit's legacy mode: go through app.py (see pages/__init__.py)
