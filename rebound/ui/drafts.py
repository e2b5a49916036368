"""Form drafts in the browser session, backed by the database so they outlive it.

Each form's values live in `st.session_state["wb_drafts"][form_id]` while the session
runs (ui.wellbeing.field restores widgets from there). Every committed widget change
also writes the form's draft to the `drafts` table (one small upsert; a plain rerun
writes nothing), so a reload, a closed tab or a server restart loses nothing: a new
session loads the user's drafts once and offers each back on its page ("Resume your
draft from …" / "Discard") before drawing the form. Saving a form deletes its draft in
the save's own transaction (the store's `draft=` argument); discarding deletes it.

No pandas here: Today imports this module for its "unfinished" reminders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Container
from typing import TYPE_CHECKING

import streamlit as st

from rebound import flow, ui
from rebound.drafts.repository import encode_fields
from rebound.errors import ValidationError
from rebound.ui import fmt_date, md_escape, nav

if TYPE_CHECKING:
    from rebound.store import Store

DRAFTS = "wb_drafts"  # form_id -> field values, in this session
PENDING = "drafts_pending"  # form_id -> (fields, updated_at): saved in an earlier session, not yet resumed
SAVED = "drafts_saved"  # form_id -> updated_at (UTC) of what the database holds
WRITTEN = "drafts_written"  # form_id -> the JSON last written, so an unchanged state is not rewritten
SOURCE = "drafts_source"  # (database path, user id) the drafts were loaded from
STORE = "drafts_store"  # the store that callbacks write through
PROBLEM = "drafts_problem"  # a draft that could not be kept (shown once)
FLOW_FORM = "flow:state"  # the rejection flow's progress: which step, which application
FLOW_STEPS = "flow:"  # every draft of the flow (its steps' forms and its progress)
# Edits of entries already saved and choices of what to show are kept for this session only.
SESSION_ONLY = (":edit:", "reflect:choice")


def kept(form_id: str) -> bool:
    return not any(part in form_id for part in SESSION_ONLY)


def bind(store: Store) -> None:
    """Load this user's saved drafts once per session (again if the database or the user changes)."""
    state = st.session_state
    state[STORE] = store
    source = (store.db.path, store.user_id)
    if state.get(SOURCE) == source:
        return
    saved = store.drafts.all()
    if FLOW_FORM not in saved:  # steps of a flow that is gone (closed elsewhere): nothing will offer them
        for orphan in [f for f in saved if f.startswith(FLOW_STEPS)]:
            store.drafts.delete(orphan)
            del saved[orphan]
    state[SOURCE] = source
    state[DRAFTS] = {}
    state[PENDING] = {form: value for form, value in saved.items() if form != FLOW_FORM}
    state[SAVED] = {form: when for form, (_, when) in saved.items()}
    state[WRITTEN] = {}
    if FLOW_FORM in saved and not isinstance(state.get(flow.FLOW_KEY), dict):
        state[flow.FLOW_KEY] = saved[FLOW_FORM][0]  # the flow picks up at its step, for its application
        state[WRITTEN][FLOW_FORM] = encode_fields(saved[FLOW_FORM][0])


def draft(form_id: str) -> dict:
    return st.session_state.setdefault(DRAFTS, {}).setdefault(form_id, {})


def _store() -> Store | None:
    return st.session_state.get(STORE)


def keep(form_id: str, fields: dict | None = None) -> None:
    """Write this form's draft (or `fields`) to the database, unless that exact draft is already there."""
    store = _store()
    if store is None or not kept(form_id):
        return
    fields = draft(form_id) if fields is None else fields
    written = st.session_state.setdefault(WRITTEN, {})
    try:
        text = encode_fields(fields)
        if written.get(form_id) == text:
            return
        when = store.drafts.save(form_id, fields)
    except (ValidationError, TypeError) as error:
        st.session_state[PROBLEM] = (
            str(error)
            if isinstance(error, ValidationError)
            else ("Part of this form could not be kept across a reload; save it to be safe.")
        )
        return
    written[form_id] = text
    st.session_state.setdefault(SAVED, {})[form_id] = when


def _forget(form_id: str) -> None:
    for name in (SAVED, WRITTEN, PENDING):
        st.session_state.setdefault(name, {}).pop(form_id, None)


def cleared(form_id: str) -> None:
    """The form was saved (its draft row went with the save): start it afresh."""
    d = draft(form_id)
    nonce = d.get("_nonce", 0) + 1  # new widget keys, so no widget keeps the old value
    d.clear()
    d["_nonce"] = nonce
    _forget(form_id)


def discard(form_id: str) -> None:
    store = _store()
    if store is not None and kept(form_id):
        store.drafts.delete(form_id)
    cleared(form_id)


def discard_prefix(prefix: str, keep_forms: Container[str] = ()) -> None:
    """Discard every draft whose form id starts with `prefix` (e.g. a closed flow's steps)."""
    forms = (
        set(st.session_state.get(SAVED, {}))
        | set(st.session_state.get(PENDING, {}))
        | set(st.session_state.get(DRAFTS, {}))
    )
    for form_id in sorted(forms):
        if form_id.startswith(prefix) and form_id not in keep_forms:
            discard(form_id)


def resume(form_id: str) -> None:
    """Take a draft from an earlier session back into the form."""
    entry = st.session_state.setdefault(PENDING, {}).pop(form_id, None)
    if entry is None:
        return
    d = draft(form_id)
    nonce = d.get("_nonce", 0) + 1
    d.clear()
    d.update(entry[0])
    d["_nonce"] = nonce
    st.session_state.setdefault(WRITTEN, {})[form_id] = encode_fields(entry[0])


def pending(form_id: str) -> tuple[dict, dt.datetime] | None:
    return st.session_state.get(PENDING, {}).get(form_id)


def pending_forms(prefix: str = "") -> list[str]:
    return [f for f in st.session_state.get(PENDING, {}) if f.startswith(prefix)]


def when_label(moment: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """'today at 09:12', 'yesterday at 18:40' or '28 Nov 2026 at 09:12', in this computer's time zone."""
    if moment is None:
        return "earlier"
    local = moment.replace(tzinfo=dt.UTC).astimezone() if moment.tzinfo is None else moment.astimezone()
    today = (now or dt.datetime.now().astimezone()).date()
    day = local.date()
    name = "today" if day == today else "yesterday" if day == today - dt.timedelta(days=1) else fmt_date(day)
    return f"{name} at {local:%H:%M}"


def preview(fields: dict, limit: int = 90) -> str:
    """The first words typed in the draft, on one line (user text: escape before showing)."""
    for key, value in fields.items():
        typed = key.startswith("a:") or key in ("note", "label", "own_emotions", "with_whom")
        if typed and isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            return text if len(text) <= limit else text[: limit - 1] + "…"
    return ""


def _key(form_id: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in form_id)


def offer(form_id: str, what: str, on_resume: Callable[..., object] | None = None, args: tuple = ()) -> bool:
    """True when the form can be drawn; else shows the waiting draft with Resume / Discard.

    The form stays hidden until the user chooses, so nothing typed now can overwrite the
    saved draft unseen. `what` is our own wording ("reflection", "check-in").
    """
    entry = pending(form_id)
    if entry is None:
        return True
    fields, when = entry
    with st.container(border=True, key=f"draft_offer_{_key(form_id)}"):
        st.markdown(f"📝 **You have an unsaved {what}** from {when_label(when)}.")
        first = preview(fields)
        if first:
            st.caption("“" + md_escape(first) + "”")
        left, right = st.columns([3, 1])
        left.button(
            f"Resume your draft from {when_label(when)}",
            key=f"draft_resume_{_key(form_id)}",
            type="primary",
            icon="↩️",
            on_click=_resume_then,
            args=(form_id, on_resume, args),
        )
        right.button(
            "Discard",
            key=f"draft_discard_{_key(form_id)}",
            icon="🗑️",
            on_click=discard,
            args=(form_id,),
            help="Deletes this draft for good.",
        )
    return False


def _resume_then(form_id: str, then: Callable[..., object] | None, args: tuple) -> None:
    resume(form_id)
    if then is not None:
        then(*args)


def show_problem() -> None:
    problem = st.session_state.pop(PROBLEM, None)
    if problem:
        st.warning(md_escape(problem), icon="⚠️")


# -- Today's reminder ----------------------------------------------------------------------
REFLECTION_FORMS = "reflect:"
CHECKIN_FORMS = ("checkin:new", "coping:new")


def show_unfinished(store: Store) -> None:
    """On Today: a line for an unfinished rejection flow, reflection or check-in, with a link."""
    bind(store)
    state = st.session_state
    saved = state.get(SAVED, {})
    running = flow.normalize(state.get(flow.FLOW_KEY)) if isinstance(state.get(flow.FLOW_KEY), dict) else None
    if running is not None and not flow.finished(running):
        about = store.drafts.application_title(running.get("application_id"))
        where = f" after the rejection from {md_escape(about)}" if about else " after a rejection"
        st.info(
            f"You're partway through the steps{where}: step {flow.position(running)} of "
            f"{len(flow.STEPS)}, {flow.step_info(running['step']).title.lower()}.",
            icon="🌱",
        )
        st.page_link(nav.page("checkin"), label="Continue the steps", icon="➡️")
    reflections = sorted((when, form) for form, when in saved.items() if form.startswith(REFLECTION_FORMS))
    if reflections:
        st.info(
            f"You have an unfinished reflection from {when_label(reflections[-1][0])}"
            + (f" (and {len(reflections) - 1} more)" if len(reflections) > 1 else "")
            + ".",
            icon="📝",
        )
        st.page_link(nav.page("reflect"), label="Finish your reflection", icon="✍️")
    checkins = sorted(when for form, when in saved.items() if form in CHECKIN_FORMS)
    if checkins:
        st.info(f"You have an unsaved check-in from {when_label(checkins[-1])}.", icon="💬")
        st.page_link(nav.page("checkin"), label="Finish your check-in", icon="💬")


def reset() -> None:
    """Forget this session's drafts and flow (after "Delete all my data" or a restore: the
    database changed under them); the next page loads what the database now holds."""
    for name in (DRAFTS, PENDING, SAVED, WRITTEN, SOURCE, flow.FLOW_KEY):
        st.session_state.pop(name, None)
    for key in [k for k in st.session_state if str(k).startswith("wb:")]:  # the forms' widget values
        del st.session_state[key]


# Streamlit sends a text box's value when it loses focus (or on Enter / Ctrl+Enter), and the
# draft is written by that value's rerun. Words typed since the last commit can be lost twice over:
# nothing commits them when the page is reloaded, closed or hidden; and when it is, Streamlit stops
# the closing tab's run (disconnect_session) before a busy server has run the on_change that keeps
# them. So the page (1) takes the focus away as it is hidden or left, which commits them, and
# (2) mirrors each draft text box into the tab's sessionStorage while typing, until a finished run
# shows the server has the words; after a reload, a box drawn again with the value it had when the
# typing began gets the words back and commits them. See TYPED_WORDS for the rules.
#
# Privacy: sessionStorage, not localStorage — it belongs to this tab and is gone when the tab
# closes, so journal text is not left on a shared computer; an entry lives only until the server
# has the words (usually under a second) and at most 12 hours; entries are scoped to this database
# and user, and a private session (nothing kept) mirrors nothing.
TYPED_WORDS = r"""<script>
(() => {
  const config = __CONFIG__;
  const R = window.__reboundTypedWords || (window.__reboundTypedWords = {});
  R.config = config;  // the newest page's settings (this database and user; off in a private session)
  const STORE = "rebound:typed-words";
  const read = () => { try { return JSON.parse(sessionStorage.getItem(STORE) || "{}") || {}; } catch (e) { return {}; } };
  const write = (all) => {
    try {
      if (Object.keys(all).length) sessionStorage.setItem(STORE, JSON.stringify(all)); else sessionStorage.removeItem(STORE);
    } catch (e) {}
  };
  if (!config.mirror) write({});
  if (R.started) return;
  R.started = true;
  const LOAD = Date.now() + ":" + Math.random();  // this page load: a reload starts another
  const MAX_AGE = 12 * 3600 * 1000;
  const bases = {};  // box -> its value when it got the focus (what the server had then)

  // A draft box: a text area or text input inside a widget keyed "wb:FORM:FIELD:NONCE", which
  // Streamlit names st-key-wb-FORM-FIELD-NONCE. Session-only forms are left out.
  const boxOf = (el) => {
    if (!el || !(el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type === "text"))) return null;
    const holder = el.closest("[class*='st-key-wb-']");
    if (!holder) return null;
    for (const name of holder.classList) {
      const m = /^st-key-(wb-.+)-(\d+)$/.exec(name);
      if (m && !R.config.skip.some((part) => m[1].includes(part))) return { id: m[1], nonce: m[2] };
    }
    return null;
  };
  const commit = () => {
    const el = document.activeElement;
    if (el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT")) el.blur();
  };
  window.addEventListener("pagehide", commit);
  window.addEventListener("beforeunload", commit);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") commit(); });

  document.addEventListener("focusin", (event) => {
    const box = boxOf(event.target);
    if (box) bases[box.id] = event.target.value;
  }, true);
  document.addEventListener("input", (event) => {
    const box = boxOf(event.target);
    if (!box || !R.config.mirror) return;
    const all = read();
    const before = all[box.id] && all[box.id].load === LOAD ? all[box.id].base : bases[box.id];
    all[box.id] = { value: event.target.value, base: before === undefined ? "" : before, owner: R.config.owner,
                    load: LOAD, at: Date.now(), sent: false, seen: false };
    write(all);
  }, true);
  const sent = (event) => {
    const box = boxOf(event.target);
    if (!box) return;
    const all = read();
    if (all[box.id] && all[box.id].load === LOAD) { all[box.id].sent = true; all[box.id].seen = false; write(all); }
  };
  document.addEventListener("focusout", sent, true);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.target.tagName === "INPUT" || event.ctrlKey || event.metaKey)) sent(event);
  }, true);

  // A script run that started after a box's value was sent has kept it (its on_change runs first).
  const app = document.querySelector("[data-testid='stApp']");
  if (app) new MutationObserver(() => {
    const state = app.getAttribute("data-test-script-state");
    const all = read();
    let changed = false;
    for (const [id, entry] of Object.entries(all)) {
      if (entry.load !== LOAD || !entry.sent) continue;
      if (state === "running" && !entry.seen) { entry.seen = true; changed = true; }
      if (state === "notRunning" && entry.seen) { delete all[id]; changed = true; }
    }
    if (changed) write(all);
  }).observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });

  // "Discard" on a draft offer (key draft_discard_FORM, non-alphanumerics as _): its words go too.
  document.addEventListener("click", (event) => {
    const holder = event.target.closest && event.target.closest("[class*='st-key-draft_discard_']");
    if (!holder) return;
    const name = [...holder.classList].find((c) => c.startsWith("st-key-draft_discard_"));
    const form = "wb_" + name.slice("st-key-draft_discard_".length) + "_";
    const all = read();
    for (const id of Object.keys(all)) if (id.replace(/-/g, "_").startsWith(form)) delete all[id];
    write(all);
  }, true);

  // Words from an earlier page load go back into their box once it is drawn again holding what it
  // held when the typing began (the words never reached the server); set like typing, so Streamlit
  // sees them, then committed. Any other value means the server moved on: the entry is dropped.
  const setValue = (el, value) => {
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), "value").set.call(el, value);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const pause = (ms) => new Promise((done) => setTimeout(done, ms));
  let restoring = false;
  const scan = async () => {
    if (restoring) return;
    const all = read();
    const now = Date.now();
    const waiting = [];
    for (const [id, entry] of Object.entries(all)) {
      if (now - entry.at > MAX_AGE || !R.config.mirror || (entry.load !== LOAD && entry.owner !== R.config.owner)) {
        delete all[id];
      }
    }
    // A box is marked data-draft-checked once this decided about it (restored or not): what a test
    // waits for before it can say that nothing came back.
    const checked = (el) => { el.dataset.draftChecked = "1"; };
    for (const el of document.querySelectorAll("[class*='st-key-wb-'] textarea, [class*='st-key-wb-'] input[type='text']")) {
      const box = boxOf(el);
      const entry = box && all[box.id];
      if (entry && entry.load !== LOAD && el.value === entry.base && el.value !== entry.value && !el.disabled) {
        waiting.push([el, entry.value]);
        continue;
      }
      if (entry && entry.load !== LOAD) delete all[box.id];
      checked(el);
    }
    write(all);
    if (!waiting.length) return;
    restoring = true;
    try {
      for (const [el, value] of waiting) {
        el.focus({ preventScroll: true });
        setValue(el, value);
        await pause(60);  // React has the new value before the blur commits it
        el.blur();
        await pause(60);
        checked(el);
      }
    } finally {
      restoring = false;
    }
  };
  let timer = null;
  new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(scan, 120); })
    .observe(document.body, { childList: true, subtree: true });
  setTimeout(scan, 120);
})();
</script>"""


def _key_class(key: str) -> str:
    """How Streamlit names a widget key in its element's class (st-key-…)."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "_-") else "-" for ch in key)


def commit_on_leave() -> None:
    """Draw once on a page with forms: typed text is committed when the page is hidden or left,
    and words still in a box when the page goes away come back into it after a reload."""
    path = ui.active_db_path()
    private = path == ":memory:"  # a private session keeps nothing, in the browser neither
    owner = "" if private else hashlib.sha256(f"{path}|{ui.require_user()}".encode()).hexdigest()[:16]
    config = {"mirror": not private, "owner": owner, "skip": [_key_class(part) for part in SESSION_ONLY]}
    st.html(TYPED_WORDS.replace("__CONFIG__", json.dumps(config)), unsafe_allow_javascript=True, width="content")
