"""Mail in the app: read an .mbox/.eml upload or a pasted email, list what it found as proposals,
and confirm, edit or dismiss them (one at a time or all at once). Nothing changes an application
until the user confirms; a confirmed rejection offers the rejection flow.

Pages call one function each: `mail_section(store)` (Data), `today_line(store)` (Today),
`outcomes_list(store)` (Outcomes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from rebound import ui
from rebound.errors import MailReadError, StaleEdit, ValidationError
from rebound.mail.repository import BATCH_SETTING, MAIL_KINDS, Plan
from rebound.mail.scan import ScanResult, fenced_pasted, fenced_uploads
from rebound.mail.text import KIND_ICONS, KIND_LABELS, headline
from rebound.ui import conflict, nav, reading
from rebound.ui import flow as ui_flow
from rebound.ui.session import OUTCOMES_OPEN
from rebound.vocab import STAGE_EVENTS

if TYPE_CHECKING:
    from rebound.store import Store

FLOW_OFFER = "mail_flow_offer"  # application id whose confirmed rejection offers the flow
LAST_SCAN = "mail_last_scan"  # what the last read found: counts and problems (no mail text)
SHOW_BATCH = "mail_show_batch"  # the user opened the calm batch of rejections
NEW_APP = -1  # "create a new application" in the edit form
PREVIEW = "mail_preview_"  # + where: the Plan "Confirm all" shows before it writes anything
UNDO = "mail_undo"  # the confirmation made in this session that Undo can still take back (its id)
SHOWN = "mail_shown_"  # + where: {message_key: subject} of the proposals the last run showed
EDIT_LABELS = {  # a proposal's fields as its Edit form (and a refused save) names them
    "kind": "What is it?",
    "application_id": "Application",
    "company": "Company",
    "role": "Role",
    "reason": "Reason they gave",
}


def _apps(store: Store) -> list[dict]:
    return store.mail.applications()


def _pending(store: Store) -> tuple[list[dict], list[dict]]:
    """(proposals to show one by one, rejections kept for the calm batch)."""
    rows = store.mail.findings("proposed")
    if store.mail.batch_rejections() and not st.session_state.get(SHOW_BATCH):
        return [r for r in rows if r["kind"] != "rejection"], [r for r in rows if r["kind"] == "rejection"]
    return rows, []


# -- Today and Outcomes -----------------------------------------------------------------------
def today_line(store: Store) -> None:
    """'3 updates from your mail', linking to the Data page; nothing when there are none. Before it, the
    word on a background check of the saved mailbox (running, or failed: rebound.ui.mailbox)."""
    from rebound.ui.mailbox import background_note

    background_note(store)
    counts = store.mail.pending_counts()
    total = sum(counts.values())
    if not total:
        return
    held = counts.get("rejection", 0) if store.mail.batch_rejections() else 0
    shown = total - held
    if shown:
        label = f"{shown} update{'s' if shown != 1 else ''} from your mail"
    else:
        label = f"{held} rejection{'s' if held != 1 else ''} from your mail, kept for when you're ready"
    st.page_link(
        nav.page("data"),
        label=label,
        icon="📬",
        help="Rebound read mail you gave it; review each finding before anything changes.",
    )


def outcomes_list(store: Store) -> None:
    """The proposals on Outcomes, folded; built only while open."""
    _undo_offer(store, "outcomes")
    counts = store.mail.pending_counts()
    total = sum(counts.values())
    if not total:
        return
    box = st.expander(
        f"📬 {total} update{'s' if total != 1 else ''} from your mail", key="outcomes_mail", on_change="rerun"
    )
    if box.open:
        with box:
            _proposals(store, "outcomes")


# -- the Data page's section ------------------------------------------------------------------
def mail_section(store: Store) -> None:
    ui.show_flash()  # confirmations flash after their rerun
    st.subheader("📬 Mail", anchor="mail")
    st.caption(
        "Rebound can read rejections, invitations, tests, offers and acknowledgements in mail you "
        "give it. It reads the file here, keeps only the sender, subject, date and the sentence "
        "that decided — never the mail itself — and changes nothing until you confirm."
    )
    offer = st.session_state.get(FLOW_OFFER)
    if offer is not None:
        ui_flow.render_flow_offer(offer, key="mail_flow_box")
        if st.button("Not now", key="mail_flow_later"):
            st.session_state.pop(FLOW_OFFER, None)
            st.rerun()
    _last_scan()
    _undo_offer(store, "data")
    _proposals(store, "data")
    read_box = st.expander("Read mail: upload a mailbox or paste an email", key="mail_read_open", on_change="rerun")
    if read_box.open:  # lazy: the uploader and the form are built only while open
        with read_box:
            upload_tab, paste_tab = st.tabs(["Upload .mbox / .eml", "Paste an email"])
            with upload_tab:
                _upload(store)
            with paste_tab:
                _paste(store)
    batch = st.toggle(
        "Keep rejections found in mail for one calm batch",
        value=store.mail.batch_rejections(),
        key="mail_batch_toggle",
        help="Instead of one by one, rejections wait together until you choose to open them.",
    )
    if batch != store.mail.batch_rejections():
        store.settings.set(BATCH_SETTING, "1" if batch else "0")
        st.rerun()


def _record(store: Store, result: ScanResult) -> None:
    added = store.mail.record(result.findings)
    st.session_state[LAST_SCAN] = {
        "messages": result.messages,
        "found": len(result.findings),
        "added": added,
        "problems": [f"{p.source} {p.message}" for p in result.problems[:50]],
        "more_problems": max(0, len(result.problems) - 50),
    }


def _last_scan() -> None:
    last = st.session_state.get(LAST_SCAN)
    if not last:
        return
    seen = last["found"] - last["added"]
    text = (
        f"Read {last['messages']:,} message{'s' if last['messages'] != 1 else ''}: "
        f"{last['found']} about your job search, {last['added']} new"
        + (f" ({seen} seen before, left as you had them)" if seen else "")
        + "."
    )
    (st.success if last["added"] else st.info)(text, icon="📬")
    if last["problems"]:
        n = len(last["problems"]) + last["more_problems"]
        with st.expander(f"⚠️ {n} thing{'s' if n != 1 else ''} could not be read exactly"):
            st.markdown(
                "\n".join(f"- {ui.md_escape(p)}" for p in last["problems"])
                + (f"\n- … and {last['more_problems']} more" if last["more_problems"] else "")
            )
    if st.button("Clear this summary", key="mail_clear_scan", type="tertiary"):
        st.session_state.pop(LAST_SCAN, None)
        st.rerun()


def _upload(store: Store) -> None:
    files = st.file_uploader(
        "Mailbox (.mbox, e.g. from Google Takeout or Thunderbird) or .eml files",
        type=["mbox", "mbx", "eml"],
        accept_multiple_files=True,
        key="mail_upload",
    )
    st.caption("Very large mailboxes read faster with `rebound mail FILE` on the command line.")
    if reading.cancelled("mail_upload_read"):
        st.info("Reading the mail was cancelled; nothing was changed.", icon="✋")
    if files and st.button("Read this mail", key="mail_upload_go", type="primary", icon="🔎"):
        uploads = [(f.name, f.getvalue()) for f in files]
        apps = _apps(store)

        def read(progress: reading.Progress) -> ScanResult:
            def named(share: float, name: str) -> None:
                progress(share, ui.literal("Reading {name}…", name=name) if name else "Reading mail…")

            return fenced_uploads(uploads, apps, named)  # in the fenced worker; recorded here

        try:
            result = reading.running(read, "Reading mail…", key="mail_upload_read")
        except ValidationError as error:  # a ceiling of the worker: nothing was read or kept
            st.error(ui.md_escape(error), icon="🚫")
            return
        _record(store, result)
        st.rerun()


def _paste(store: Store) -> None:
    with st.form("mail_paste_form", clear_on_submit=True, border=False):
        sender = st.text_input(
            "From (optional)",
            key="mail_paste_from",
            max_chars=300,
            placeholder="Acme Recruiting <jobs@acme.com>, or just the company",
        )
        subject = st.text_input("Subject", key="mail_paste_subject", max_chars=500)
        text = st.text_area(
            "The email's text",
            key="mail_paste_text",
            height=180,
            max_chars=100_000,
            placeholder="Paste the whole email here (header lines like From: and Date: are read too).",
        )
        go = st.form_submit_button("Read this email", type="primary", icon="🔎")
    if go:
        try:
            with st.spinner("Reading the email…"):
                result = fenced_pasted(text, subject, sender, _apps(store))  # in the fenced worker
        except (MailReadError, ValidationError) as error:  # nothing to read, or a ceiling of the worker
            st.error(str(error))
            return
        if not result.findings:
            why = next(iter(result.skipped), "no job-search phrase")
            st.info(
                "This email doesn't read as a rejection, invitation, test, offer or acknowledgement "
                f"({why}). Nothing was kept. You can log it yourself on Outcomes.",
                icon="🤔",
            )
            return
        _record(store, result)
        st.rerun()


# -- proposals ----------------------------------------------------------------------------------
def _line(row: dict) -> str:
    company = row["app_company"] or row["company"]
    role = row["app_role"] or row["role"]
    return headline(row["kind"], company, role, row["mail_date"], row["reason"], row["stage"])


def _match_note(row: dict) -> str:
    if row["application_id"] is None:
        return "No application matched: confirming adds one."
    sure = row["confidence"] or 0
    return "Matched to your application." if sure >= 0.9 else "Probably this application — check before confirming."


def _acted() -> None:
    """This session confirmed or dismissed proposals: their going is no news (see _decided_elsewhere)."""
    for where in ("data", "outcomes"):
        st.session_state.pop(SHOWN + where, None)


def _decided_elsewhere(store: Store, rows: list[dict], where: str) -> None:
    """A proposal the last run showed that no longer waits, though nothing here decided it: another
    tab or window (or the CLI) confirmed or dismissed it. Said once, so a click on its Confirm, gone
    on the rerun, is not lost in silence (and nothing was written twice)."""
    before: dict[str, str] = st.session_state.get(SHOWN + where) or {}
    now = {r["message_key"]: r["subject"] for r in rows[:50]}
    st.session_state[SHOWN + where] = now
    gone = [k for k in before if k not in now]
    if not gone:
        return
    statuses = store.mail.statuses(gone)
    decided = [(before[k] or "a mail", statuses[k]) for k in gone if statuses.get(k) in ("confirmed", "dismissed")]
    if decided:
        st.info(
            "Decided in another tab or window meanwhile, so nothing was done twice: "
            + "; ".join(f"“{ui.md_escape(subject)}” ({status})" for subject, status in decided[:5])
            + (f" and {len(decided) - 5} more" if len(decided) > 5 else "")
            + ".",
            icon="🔀",
        )


def _proposals(store: Store, where: str) -> None:
    rows, held = _pending(store)
    _decided_elsewhere(store, rows, where)
    if held:
        with st.container(border=True):
            st.markdown(
                f"🌧️ **{len(held)} rejection{'s' if len(held) != 1 else ''} found in your mail**, "
                "kept together for when you're ready. There's no hurry."
            )
            if st.button("Go through them now", key=f"mail_{where}_open_batch"):
                st.session_state[SHOW_BATCH] = True
                st.rerun()
    if not rows:
        return
    st.markdown(
        f"**{len(rows)} update{'s' if len(rows) != 1 else ''} from your mail** — confirm, edit or dismiss each."
    )
    if len(rows) > 1:
        both = st.container(horizontal=True)
        if both.button(f"Confirm all {len(rows)}", key=f"mail_{where}_confirm_all", icon="✅"):
            with st.spinner("Working out what confirming will do (nothing changes yet)…"):
                st.session_state[PREVIEW + where] = store.mail.preview([r["id"] for r in rows])  # nothing written
            st.rerun()
        if both.button("Dismiss all", key=f"mail_{where}_dismiss_all"):
            n = store.mail.dismiss([r["id"] for r in rows])  # those still waiting (not decided in another tab)
            _acted()
            ui.flash(
                f"Dismissed {n}. They won't be proposed again."
                + (f" {len(rows) - n} had been decided in another tab or window." if n < len(rows) else ""),
                icon="🗑️",
            )
            st.rerun()
    _preview(store, rows, where)
    for row in rows[:50]:
        _proposal(store, row, where)
    if len(rows) > 50:
        st.caption(f"… and {len(rows) - 50} more: confirm or dismiss these first.")


def _proposal(store: Store, row: dict, where: str) -> None:
    fid = row["id"]
    with st.container(border=True, key=f"mail_{where}_row_{fid}"):
        st.markdown(f"{KIND_ICONS[row['kind']]} {ui.md_escape(_line(row))}")
        sentence = row["sentence"] or ""
        said = "" if sentence in ((row["reason"] or ""), (row["subject"] or "")) else " · it said: “{sentence}”"
        st.caption(
            ui.literal(
                "{note} From {sender} · “{subject}”" + said,
                note=_match_note(row),
                sender=row["sender"] or "unknown sender",
                subject=row["subject"] or "(no subject)",
                sentence=sentence,
            )
        )
        buttons = st.container(horizontal=True)
        if buttons.button("Confirm", key=f"mail_{where}_yes_{fid}", type="primary"):
            _confirm(store, [fid], [row], where)
        editing_key = f"mail_{where}_editing_{fid}"
        if buttons.button("Edit", key=f"mail_{where}_edit_{fid}"):
            st.session_state[editing_key] = not st.session_state.get(editing_key, False)
            conflict.reload(_edit_key(where, fid))  # opened again, it reads the proposal as it is now
            st.rerun()
        if buttons.button("Dismiss", key=f"mail_{where}_no_{fid}"):
            if store.mail.dismiss([fid]):
                ui.flash("Dismissed. It won't be proposed again.", icon="🗑️")
            else:
                ui.flash("It had been decided in another tab or window; nothing was changed.", icon="🔀")
            _acted()
            st.rerun()
        if st.session_state.get(editing_key):
            _edit_form(store, row, where, editing_key)


def _edit_form(store: Store, row: dict, where: str, editing_key: str) -> None:
    # The form shows (and saves at) the version it was read at until it is saved or closed: a save
    # over a newer one (another tab's) is refused and both are shown (rebound.ui.conflict).
    key = _edit_key(where, row["id"])
    read = conflict.read_version(key, row["version"], {c: conflict.plain(row[c]) for c in EDIT_LABELS})
    was = read["values"]
    names = ui.application_options(store)  # unique labels: the box maps the label it sends back to an id

    def save(fields: dict, version: int | None) -> int:
        app = fields["application_id"]
        return store.mail.edit(
            row["id"],
            fields["kind"],
            fields["company"],
            fields["role"],
            None if app in (None, "", NEW_APP) else int(app),
            fields["reason"],
            version=version,
        )

    formats = {"kind": lambda k: KIND_LABELS.get(str(k), str(k)), "application_id": lambda i: names.get(int(i), "?")}
    outcome = conflict.show(key, EDIT_LABELS, save, formats)
    if outcome is not None:
        st.session_state.pop(editing_key, None)
        ui.flash(
            "Changed. Confirm it when it looks right."
            if outcome == "saved"
            else "Showing the version saved in the other tab.",
            icon="✏️",
        )
        st.rerun()
    conflict.stale_notice(key, row["version"])
    current = was["application_id"] if was["application_id"] in names else NEW_APP
    options = [NEW_APP] + ui.newest_options(names, current if current != NEW_APP else None)
    with st.form(f"mail_{where}_form_{row['id']}", border=False):
        kind = st.selectbox(
            EDIT_LABELS["kind"],
            MAIL_KINDS,
            index=MAIL_KINDS.index(was["kind"]) if was["kind"] in MAIL_KINDS else 0,
            format_func=lambda k: f"{KIND_ICONS[k]} {KIND_LABELS[k]}",
        )
        app_id = st.selectbox(
            EDIT_LABELS["application_id"],
            options,
            index=options.index(current),
            format_func=lambda i: "➕ A new application" if i == NEW_APP else names.get(i, "?"),
        )
        company = st.text_input("Company (for a new application)", value=was["company"] or "", max_chars=300)
        role = st.text_input("Role (for a new application)", value=was["role"] or "", max_chars=300)
        reason = st.text_area("Reason they gave (rejections)", value=was["reason"] or "", height=70, max_chars=2000)
        submitted = st.form_submit_button("Save changes", type="primary")
    if submitted:
        mine = {
            "kind": kind,
            "application_id": None if app_id is None or app_id == NEW_APP else int(app_id),
            "company": (company or "").strip(),
            "role": (role or "").strip(),
            "reason": (reason or "").strip(),
        }
        try:
            save(mine, read["version"])
        except StaleEdit as stale:
            conflict.remember(key, stale, mine)
            st.rerun()
        except ValidationError as error:
            st.error(str(error))
            return
        conflict.reload(key)
        st.session_state.pop(editing_key, None)
        ui.flash("Changed. Confirm it when it looks right.", icon="✏️")
        st.rerun()


def _edit_key(where: str, finding_id: int) -> str:
    return f"mail_{where}_proposal_{finding_id}"


# -- Confirm all: what it will do first, then one Undo -----------------------------------------------
def _preview(store: Store, rows: list[dict], where: str) -> None:
    """What "Confirm all" will do, before anything is written: the applications it will create and
    the events it will add on which application; asks once, then confirms exactly that."""
    plan: Plan | None = st.session_state.get(PREVIEW + where)
    if plan is None:
        return
    with st.container(border=True, key=f"mail_{where}_preview"):
        changed = st.session_state.pop(PREVIEW + where + "_changed", None)
        if changed:  # a confirmation refused because this list was out of date: nothing was written
            st.warning(ui.md_escape(changed), icon="🔀")
        st.markdown("**Before anything changes, this is what confirming will do:**")
        for title, items in plan.sections():
            st.markdown(f"{title}\n\n" + "\n".join(f"- {ui.md_escape(item)}" for item in items))  # titles: ours
        if not plan.steps:
            st.info("None of these can be confirmed as they are: edit or dismiss them below.", icon="✋")
        st.caption("You can undo it in one step afterwards.")
        buttons = st.container(horizontal=True)
        go = bool(plan.steps) and buttons.button(
            f"Confirm {len(plan.steps)}", key=f"mail_{where}_preview_go", type="primary", icon="✅"
        )
        if buttons.button("Cancel", key=f"mail_{where}_preview_cancel"):
            st.session_state.pop(PREVIEW + where, None)
            st.session_state.pop(PREVIEW + where + "_changed", None)
            st.rerun()
    if go:
        shown = {r["id"]: r for r in rows}
        _confirm(store, plan.ids, [shown[i] for i in plan.ids if i in shown], where, expect=plan)


def _undo_offer(store: Store, where: str) -> None:
    """After a confirmation in this session: what it did, with Undo (one step) and Keep."""
    mine = st.session_state.get(UNDO)
    if mine is None:
        return
    last = store.mail.last_confirm()
    if last is None or last["id"] != mine:  # undone or kept (here or in another tab), or a newer one
        st.session_state.pop(UNDO, None)
        return
    n, apps, events = last["findings"], last["applications"], last["events"]
    did = [f"confirmed {n} update{'s' if n != 1 else ''} from your mail"]
    if apps:
        did.append(f"created {apps} application{'s' if apps != 1 else ''}")
    if events:
        did.append(f"added {events} event{'s' if events != 1 else ''}")
    text, undo, keep = st.columns([4, 1, 1], vertical_alignment="center")
    text.info("You " + ", ".join(did[:-1]) + (" and " if len(did) > 1 else "") + did[-1] + ".", icon="📬")
    if undo.button("Undo", key=f"mail_{where}_undo", type="primary", icon="↩️"):
        try:
            store.mail.undo_confirm(mine)
        except ValidationError as error:
            st.error(ui.md_escape(str(error)), icon="✋")
            return
        st.session_state.pop(UNDO, None)
        st.session_state.pop(FLOW_OFFER, None)  # the rejection it offered steps for is gone
        ui_flow.dismiss_offer()
        ui.flash(
            f"Undone: {'they are' if n != 1 else 'it is'} waiting for you again, and nothing it added is left.",
            icon="↩️",
        )
        st.rerun()
    if keep.button("Keep", key=f"mail_{where}_undo_keep"):
        store.mail.keep_confirm(mine)
        st.session_state.pop(UNDO, None)
        st.rerun()


def _confirm(store: Store, ids: list[int], rows: list[dict], where: str, expect: Plan | None = None) -> None:
    try:
        done = store.mail.confirm(ids, expect=expect)
    except ValidationError as error:
        if expect is not None:  # the list shown is out of date (another tab): show what it would do now
            st.session_state[PREVIEW + where] = store.mail.preview(ids)
            st.session_state[PREVIEW + where + "_changed"] = str(error)
            st.rerun()
        st.error(ui.md_escape(str(error)))
        return
    st.session_state.pop(PREVIEW + where, None)
    _acted()
    last = store.mail.last_confirm()
    st.session_state[UNDO] = last["id"] if last else None
    st.session_state.pop(LAST_SCAN, None)  # that read is dealt with
    already = [d for d in done if d["already"]]  # on the timeline before: confirmed, not written twice
    rejected = [d for d in done if d["event"] == "rejected" and not d["already"]]
    good = [d for d in done if d["event"] in STAGE_EVENTS and not d["already"]]
    if rejected:
        # the gentle path, for the (last) rejection confirmed; offered, never forced. Outcomes shows
        # its own offer for a started flow; the Data page shows FLOW_OFFER's.
        app_id = rejected[-1]["application_id"]
        ui_flow.logged(app_id, store)  # kept in the database at once: a reload still offers it
        st.session_state[FLOW_OFFER] = app_id
        if where == "outcomes":  # the offer is shown beside the application it is about
            OUTCOMES_OPEN.set(app_id)
    if len(done) == 1:
        row = rows[0]
        company = row["app_company"] or row["company"] or "the employer"
        if already:
            ui.flash("{what}. Nothing was added twice.", icon="ℹ️", what=already[0]["already"])
        elif good:
            ui.flash(
                "Saved: {what} from {company}. Today suggests counting it as a win.",
                icon="🎉",
                what=KIND_LABELS[row["kind"]].lower(),
                company=company,
            )
        elif not rejected:
            ui.flash("Saved for {company}.", icon="✅", company=company)
    else:
        ui.flash(
            f"Confirmed {len(done)} updates from your mail."
            + (" Today suggests the good news as wins." if good else "")
            + (f" {len(already)} {'was' if len(already) == 1 else 'were'} already on the timeline." if already else ""),
            icon="✅",
        )
    st.rerun()
