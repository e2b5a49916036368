"""The Data page's "Connect your mailbox": a server preset, a user, an app password and the folders to read;
"Check now" with the last check's time and what it found; "Disconnect" (forgets the password and where
each folder's reading stopped). Reading is rebound.mail.imap's (read-only); what it finds joins the
proposals above, which the user confirms, edits or dismisses.

The password stays in this browser session's memory, or, if the user asks and the app runs on their own
computer, in the operating system's keyring (rebound.mail.credentials): never in the database.

A remembered mailbox is checked in the background when the app opens (`check_on_opening`, once per browser
session, rebound.mail.background); Today shows "Checking your mail…" while it runs, then the count of
proposals, or a quiet note when the check failed (`background_note`).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import TYPE_CHECKING

import streamlit as st

from rebound import ui
from rebound.errors import MailboxError
from rebound.mail import background, credentials, imap
from rebound.ui.session import Slot

if TYPE_CHECKING:
    from rebound.store import Store

MAILBOX_SETTING = "mailbox"  # JSON {host, port, user, security, folders}: where to read, never the password
PASSWORD: Slot[str] = Slot("_mailbox_password")  # this session's memory: gone when the session ends
LAST_CHECK: Slot[dict] = Slot("_mailbox_last_check")  # what the last check in this session found (no mail text)
OPEN_KEY = "mailbox_open"  # the expander
OPENED: Slot[bool] = Slot("_mailbox_checked_on_opening")  # this session asked for its background check
WATCH_SECONDS = 2.0  # how often Today looks whether the background check has ended
OTHER = "Other"
SECURITY_LABELS = {
    "tls": "TLS (usually port 993)",
    "starttls": "STARTTLS (usually port 143)",
    "plain": "None: a server on this computer only",
}


def settings(store: Store) -> dict | None:
    raw = store.settings.get(MAILBOX_SETTING)
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def accounts(config: dict) -> list[imap.Account]:
    """One Account per folder of the saved mailbox."""
    return [
        imap.Account(config["host"], config["user"], int(config["port"]), folder, config.get("security", "tls"))
        for folder in config.get("folders") or [imap.DEFAULT_FOLDER]
    ]


def mailbox_section(store: Store) -> None:
    config = settings(store)
    # one label whatever the state: a widget's label is part of its identity, and a new one would close it
    box = st.expander("🔌 Your mailbox: connect and check (read-only)", key=OPEN_KEY, on_change="rerun")
    if not box.open:  # lazy: the form is built only while open
        return
    with box:
        _last_check()
        if config is None:
            _connect_form(store)
        else:
            _connected(store, config)


def _folders(text: str) -> list[str]:
    return [f.strip() for f in text.split(",") if f.strip()][:10] or [imap.DEFAULT_FOLDER]


def _connect_form(store: Store) -> None:
    st.caption(
        "Rebound reads new mail in these folders over IMAP and never changes the mailbox: nothing is marked "
        "read, moved or deleted. Most providers want an **app password** (made in the account's security "
        "settings), not your usual password."
    )
    preset = st.selectbox("Provider", [*imap.PRESETS, OTHER], key="mailbox_preset")
    with st.form("mailbox_connect", border=False):
        if preset == OTHER:
            host = st.text_input("IMAP server", key="mailbox_host", max_chars=253, placeholder="imap.example.org")
            port = st.number_input("Port", 1, 65535, imap.IMAPS_PORT, key="mailbox_port")
            security = st.selectbox(
                "Encryption",
                list(SECURITY_LABELS),
                format_func=lambda key: SECURITY_LABELS[key],
                key="mailbox_security",
            )
        else:
            host, port = imap.PRESETS[preset]
            security = "tls"
        user = st.text_input("User (usually your e-mail address)", key="mailbox_user", max_chars=320)
        password = st.text_input("App password", type="password", key="mailbox_password", max_chars=500)
        folders = st.text_input(
            "Folders to read", value=imap.DEFAULT_FOLDER, key="mailbox_folders", help="Separate several with commas."
        )
        since = st.date_input(
            "Read mail from", value=imap.default_since(), key="mailbox_since", help="The first check reads from here."
        )
        remember = (
            False
            if ui.hosted()
            else st.checkbox(
                "Remember the password on this computer",
                key="mailbox_remember",
                help="Kept in the operating system's password store (keyring), never in Rebound's data.",
            )
        )
        go = st.form_submit_button("Connect and check", type="primary", icon="🔎")
    if not go:
        return
    try:
        config = {
            "host": (host or "").strip(),
            "port": int(port),
            "user": (user or "").strip(),
            "security": security,
            "folders": _folders(folders),
        }
        found = accounts(config)  # validates: plain only to this computer, a host and a user
        if not password:
            raise MailboxError("Type the app password.")
    except MailboxError as error:
        st.error(ui.md_escape(str(error)), icon="🔌")
        return
    if _check(store, found, password, since if isinstance(since, dt.date) else None):
        store.settings.set(MAILBOX_SETTING, json.dumps(config))
        PASSWORD.set(password)
        if remember:
            try:
                credentials.remember_password(found[0].key, password)
            except MailboxError as error:
                ui.flash("{why}", "🔑", why=str(error))
        st.rerun()


def _connected(store: Store, config: dict) -> None:
    found = accounts(config)
    st.markdown(ui.literal("Connected: **{user}** at {host}.", user=config["user"], host=config["host"]))
    for account in found:
        state = store.mail.sync_state(account.key, account.folder)
        if state and state["checked_at"]:
            st.caption(
                ui.literal(
                    "{folder}: last checked {when} UTC, read {messages} new messages, proposed {found}.",
                    folder=account.folder,
                    when=f"{state['checked_at']:%d %b %Y %H:%M}",
                    messages=state["messages"],
                    found=state["found"],
                )
            )
        else:
            st.caption(ui.literal("{folder}: not checked yet.", folder=account.folder))
    password = PASSWORD.get() or credentials.saved_password(found[0].key)
    if password is None:
        password = st.text_input("App password", type="password", key="mailbox_check_password", max_chars=500)
    behind = background.status(store.mail, found[0].key)
    if behind is not None and behind.running:  # one check at a time: the one begun when the app opened
        st.caption("📬 A check begun when the app opened is still reading; its proposals appear above.")
    left, right = st.columns(2)
    if left.button(
        "Check now", key="mailbox_check", type="primary", icon="🔎", disabled=bool(behind and behind.running)
    ):
        if not password:
            st.error("Type the app password to check.", icon="🔌")
        elif _check(store, found, password, None):
            PASSWORD.set(password)
            st.rerun()
    if right.button("Disconnect", key="mailbox_disconnect", icon="🔌"):
        credentials.forget_password(found[0].key)
        store.mail.forget_sync(found[0].key)
        background.forget(store.mail, found[0].key)
        store.settings.set(MAILBOX_SETTING, "")
        PASSWORD.pop()
        LAST_CHECK.pop()
        ui.flash("Disconnected: the password and where each folder's reading stopped are forgotten.", "🔌")
        st.rerun()


def _check(store: Store, found: list[imap.Account], password: str, since: dt.date | None) -> bool:
    """Check each folder; the summary goes to LAST_CHECK. False (with the message shown) if none could be read."""
    bar = st.progress(0.0, text="Checking your mailbox…")
    last = [0.0]
    summaries: list[str] = []
    problems: list[str] = []
    recorded, read_any = 0, False
    for i, account in enumerate(found):

        def progress(share: float, folder: str, i: int = i) -> None:
            now = time.monotonic()
            if now - last[0] > 0.25 or share >= 1:  # a few updates a second
                last[0] = now
                done = min(1.0, (i + share) / len(found))
                bar.progress(done, text=ui.literal("Reading {folder}…", folder=folder))

        try:
            report = imap.check_mailbox(store.mail, account, password, since=since, on_progress=progress)
        except MailboxError as error:
            summaries.append(str(error))
            continue
        read_any = True
        recorded += report.recorded
        summaries.append(report.summary())
        problems.extend(f"{p.source} {p.message}" for p in report.result.problems[:50])
    bar.empty()
    if not read_any:
        st.error(ui.md_escape(" ".join(summaries)), icon="🔌")
        return False
    LAST_CHECK.set(
        {"at": dt.datetime.now(dt.UTC), "summaries": summaries, "recorded": recorded, "problems": problems[:50]}
    )
    return True


def _last_check() -> None:
    last = LAST_CHECK.get()
    if not last:
        return
    (st.success if last["recorded"] else st.info)(
        ui.literal("Checked at {at} UTC: {new} new proposal(s).", at=f"{last['at']:%H:%M}", new=last["recorded"])
        + "  \n"
        + "  \n".join(ui.md_escape(s) for s in last["summaries"]),
        icon="📬",
    )
    if last["problems"]:
        with st.expander(f"⚠️ {len(last['problems'])} message(s) could not be read exactly"):
            st.markdown("\n".join(f"- {ui.md_escape(p)}" for p in last["problems"]))


# -- the background check on opening ----------------------------------------------------------------
def _saved_accounts(store: Store) -> list[imap.Account]:
    config = settings(store)
    if not config:
        return []
    try:
        return accounts(config)
    except (MailboxError, KeyError, TypeError, ValueError):  # a setting saved by hand, or damaged
        return []


def check_on_opening(store: Store | None = None) -> None:
    """Once per browser session (app.py, on every page), start a background check of the saved mailbox
    when its password is remembered on this computer. Returns at once: the page never waits for the
    server. Never when hosted (no keyring there) or in a demo."""
    if OPENED.get() or ui.hosted() or ui.in_demo() or ui.session_demo():
        return
    OPENED.set(True)
    store = store or ui.store()
    found = _saved_accounts(store)
    if found:
        background.start(store.mail, found, credentials.saved_password)


def background_note(store: Store) -> None:
    """Today's word on the background check: "Checking your mail…" while it runs (the page is redrawn
    when it ends), or a quiet note with the times when it failed; nothing otherwise."""
    found = _saved_accounts(store)
    if not found:
        return
    outcome = background.status(store.mail, found[0].key)
    if outcome is None or outcome.no_password:
        return
    if outcome.running:
        _watch(store, found[0].key)
    elif outcome.failed and outcome.finished_at is not None:
        checked = [s["checked_at"] for a in found if (s := store.mail.sync_state(a.key, a.folder)) and s["checked_at"]]
        last = f" Last successful check: {max(checked):%d %b %H:%M} UTC." if checked else ""
        st.caption(
            ui.literal(
                "📭 Your mail could not be checked at {at} UTC: {why}{last} Rebound tries again the next time "
                "you open it, or use Check now on the Data page.",
                at=f"{outcome.finished_at:%H:%M}",
                why=" ".join(outcome.errors)[:400],
                last=last,
            )
        )


@st.fragment(run_every=WATCH_SECONDS)
def _watch(store: Store, account_key: str) -> None:
    outcome = background.status(store.mail, account_key)
    if outcome is not None and outcome.running:
        st.caption("📬 Checking your mail in the background…")
    else:
        st.rerun()  # the check ended: the whole page again, with what it found
