"""Streamlit forms for check-ins, coping and reflections, shared by the Check-in and
Reflect pages and the rejection flow.

Drafts: every input's value is copied into `st.session_state["wb_drafts"][form_id]`
on each run and restored as the widget's value when it is drawn again, so nothing
typed is lost on reruns or when the user visits another page and comes back
(Streamlit forgets a widget's own state once it is not drawn). Each committed change
is also written to the database (rebound/ui/drafts.py), so a reload, a closed tab or a
server restart loses nothing either. Saving deletes the draft with the save and bumps
a counter in the widget keys so the inputs start fresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from rebound import ui
from rebound import wellbeing as wb
from rebound.errors import StaleEdit, ValidationError
from rebound.ui import conflict, md_escape
from rebound.ui import drafts as ud
from rebound.ui.session import ACKNOWLEDGEMENT
from rebound.vocab import application_label  # noqa: F401  (the journal names an entry's application)

if TYPE_CHECKING:
    from rebound.store import Store

DRAFTS = ud.DRAFTS
NONE_APP = -1

md = md_escape  # user text made inert for st.markdown


# -- drafts -----------------------------------------------------------------
draft = ud.draft


def clear_draft(form_id: str) -> None:
    """Drop what was typed (e.g. "Cancel editing"), here and in the database, and the version it was read at."""
    ud.discard(form_id)
    conflict.reload(form_id)


def has_draft(form_id: str, prefixes: tuple[str, ...] = ("a:", "themes", "note")) -> bool:
    """Has the user typed or chosen anything in this form's free-text fields?"""
    return any(v not in (None, "", [], ()) for k, v in draft(form_id).items() if k.startswith(prefixes))


def field(
    form_id: str,
    name: str,
    widget: Callable[..., Any],
    default: object = None,
    valid: Callable[[Any], bool] | None = None,
    then: Callable[[dict], object] | None = None,
    **kwargs: Any,
) -> Any:  # the widget's value: its type depends on the widget and its kwargs
    """Draw `widget(key=…, **kwargs)` with its value restored from (and saved to) the draft.

    `then(draft)` runs after the user changes this widget, before the draft is written (e.g. a
    chosen idea fills another field).
    """
    d = draft(form_id)
    key = f"wb:{form_id}:{name}:{d.get('_nonce', 0)}"
    # The draft is the source of truth: after a visit to another page Streamlit may still hold a
    # stale value under this key (the one set before the widget last mounted), so always set it.
    value = d[name] if name in d else st.session_state.get(key, default)
    if valid is not None and not valid(value):
        value = default
    st.session_state[key] = value
    # on_change copies a committed value into the draft before any script runs — even when the
    # same rerun switches to another page and this widget is never drawn again.
    value = widget(key=key, on_change=_capture, args=(form_id, name, key, then), **kwargs)
    d[name] = value
    return value


def _capture(form_id: str, name: str, key: str, then: Callable[[dict], object] | None = None) -> None:
    if key in st.session_state:
        d = draft(form_id)
        d[name] = st.session_state[key]
        if then is not None:
            then(d)
        ud.keep(form_id)  # one small upsert per committed change; plain reruns write nothing


# -- applications picker --------------------------------------------------------
def application_options(store: Store) -> dict[int, str]:
    """ "— none —" then every application, labelled as every picker labels them (ui.application_options)."""
    return {NONE_APP: "— none —", **ui.application_options(store)}


def application_picker(
    store: Store, form_id: str, default_id: int | None = None, label: str = "About an application (optional)"
) -> int | None:
    options = application_options(store)
    default = int(default_id) if default_id is not None and int(default_id) in options else NONE_APP
    current = draft(form_id).get("application", default)
    # +1: the "— none —" entry comes first.
    shown = ui.newest_options(options, default, current, limit=ui.PICKER_LIMIT + 1)
    chosen = field(
        form_id,
        "application",
        st.selectbox,
        default=default,
        valid=lambda v: v in shown,
        label=label,
        options=shown,
        format_func=lambda i: options.get(i, "—"),
    )
    return None if chosen in (None, NONE_APP) else int(chosen)


# -- check-in ----------------------------------------------------------------------
def checkin_form(
    store: Store,
    form_id: str,
    application_id: int | None = None,
    fixed_application: bool = False,
    existing: dict | None = None,
    after_rejection: bool = False,
    submit_label: str = "Save check-in",
) -> int | None:
    """Returns the saved check-in id on the run it was saved (then the form resets), else None."""
    ud.bind(store)
    if not ud.offer(form_id, "check-in"):
        return None
    e = existing or {}
    mood = field(
        form_id,
        "mood",
        st.slider,
        default=int(e.get("mood") or 5),
        label="Mood right now",
        min_value=1,
        max_value=10,
        help="1 is as low as it gets, 10 is great.",
    )
    energy = field(
        form_id,
        "energy",
        st.slider,
        default=int(e["energy"]) if e.get("energy") is not None and not pd.isna(e.get("energy")) else 5,
        label="Energy",
        min_value=1,
        max_value=10,
    )
    names = wb.emotion_names()
    chosen_before = list(e.get("emotions") or [])
    known = [n for n in chosen_before if n in names]
    custom_before = [n for n in chosen_before if n not in names]
    picked = field(
        form_id,
        "emotions",
        st.pills,
        default=known,
        valid=lambda v: isinstance(v, list) and all(x in names for x in v),
        label="What are you feeling? Pick as many as fit.",
        options=names,
        selection_mode="multi",
        wrap=True,
    )
    own = field(
        form_id,
        "own_emotions",
        st.text_input,
        default=", ".join(custom_before),
        label="Something else? (optional, separate with commas)",
        placeholder="e.g. embarrassed, restless",
        max_chars=400,
    )
    note = field(
        form_id,
        "note",
        st.text_area,
        default=e.get("note") or "",
        label="A note (optional)",
        placeholder="What happened, what is on your mind…",
        height=100,
    )
    if fixed_application:
        app_id = application_id
    else:
        app_id = application_picker(store, form_id, default_id=e.get("application_id", application_id))
    when = field(
        form_id,
        "day",
        st.date_input,
        default=pd.Timestamp(e["checked_at"]).date() if e.get("checked_at") is not None else dt.date.today(),
        label="Day",
        max_value=dt.date.today(),
        format=ui.DATE_INPUT_FORMAT,
    )
    read = conflict.read_version(form_id, e.get("version"), {}) if existing else None
    if st.button(submit_label, type="primary", key=f"{form_id}:save"):
        emotions_ = list(picked or []) + [x.strip() for x in (own or "").split(",") if x.strip()]
        try:
            if existing and read is not None:
                checked_at = existing["checked_at"]
                checked_at = (
                    pd.Timestamp(checked_at).to_pydatetime() if when == pd.Timestamp(checked_at).date() else when
                )
                store.checkins.update(
                    int(existing["id"]),
                    mood,
                    energy,
                    emotions_,
                    note,
                    app_id,
                    checked_at,
                    draft=form_id,
                    version=read["version"],
                )
                saved = int(existing["id"])
                conflict.reload(form_id)
            else:
                saved = store.checkins.add(mood, energy, emotions_, note, app_id, when, draft=form_id)
        except StaleEdit as stale:
            st.error(conflict.refused(form_id, stale), icon="🔀")
            return None
        except ValidationError as error:
            st.error(md(str(error)), icon="✋")  # messages may quote what was typed
            return None
        rejected = after_rejection or (
            app_id is not None and (store.applications.get(app_id) or {}).get("status") == "rejected"
        )
        ACKNOWLEDGEMENT.set({"id": saved, "text": wb.acknowledgement(mood, emotions_, rejected, seed=saved)})
        ud.cleared(form_id)
        return saved
    return None


def show_acknowledgement(checkin_id: int | None = None) -> None:
    ack = ACKNOWLEDGEMENT.get()
    if ack and (checkin_id is None or ack["id"] == checkin_id):
        st.info(ack["text"], icon="💛")


# -- coping -------------------------------------------------------------------------------
HELPED = {1: "1 · not really", 2: "2", 3: "3 · a bit", 4: "4", 5: "5 · a lot"}


def coping_form(
    store: Store,
    form_id: str,
    existing: dict | None = None,
    default_kind: str | None = None,
    submit_label: str = "Log it",
) -> int | None:
    ud.bind(store)
    if not ud.offer(form_id, "self-care entry"):
        return None
    e = existing or {}
    kinds = wb.coping_kinds()
    kind = field(
        form_id,
        "kind",
        st.selectbox,
        default=e.get("kind") or default_kind or next(iter(kinds)),
        valid=lambda v: v in kinds,
        label="What did you do?",
        options=list(kinds),
        format_func=wb.coping_label,
    )
    left, right = st.columns(2)
    with left:
        who = field(
            form_id,
            "with_whom",
            st.text_input,
            default=e.get("with_whom") or "",
            label="With whom (optional)",
            placeholder="a friend, my sister, my running club…",
            max_chars=wb.MAX_SHORT,
        )
        minutes = field(
            form_id,
            "minutes",
            st.number_input,
            default=int(e["minutes"]) if e.get("minutes") is not None and not pd.isna(e.get("minutes")) else 30,
            label="Minutes",
            min_value=1,
            max_value=wb.MAX_MINUTES,
            step=5,
        )
    with right:
        day = field(
            form_id,
            "day",
            st.date_input,
            default=pd.Timestamp(e["day"]).date() if e.get("day") is not None else dt.date.today(),
            label="Day",
            max_value=dt.date.today(),
            format=ui.DATE_INPUT_FORMAT,
        )
    # Full width: five labelled options don't fit half a column beside the form on a laptop.
    helped = field(
        form_id,
        "helped",
        st.segmented_control,
        default=int(e["helped"]) if e.get("helped") is not None and not pd.isna(e.get("helped")) else None,
        valid=lambda v: v is None or v in HELPED,
        label="Did it help? (optional)",
        options=list(HELPED),
        format_func=HELPED.get,
    )
    note = field(form_id, "note", st.text_input, default=e.get("note") or "", label="Note (optional)")
    if st.button(submit_label, type="primary", key=f"{form_id}:save"):
        try:
            if existing:
                store.coping.update(int(existing["id"]), day, kind, who, minutes, helped, note, draft=form_id)
                saved = int(existing["id"])
            else:
                saved = store.coping.add(day, kind, who, minutes, helped, note, draft=form_id)
        except ValidationError as error:
            st.error(md(str(error)), icon="✋")
            return None
        ud.cleared(form_id)
        return saved
    return None


def show_suggestions(store: Store, today: dt.date | None = None, limit: int = 3) -> None:
    """Ideas for today from what helped this user before, plus the isolation nudge."""
    today = today or dt.date.today()
    since = today - dt.timedelta(days=wb.SOCIAL_WINDOW_DAYS)
    rejections = [(r[0], r[1]) for r in store.applications.recent_rejections(since)]
    nudge = wb.isolation_nudge(rejections, store.coping.social_days(since), today)
    if nudge:
        st.warning(md(nudge.message), icon="🤝")
    ideas = wb.suggestions(store.coping.ratings(), limit=limit, prefer_social=nudge is not None)
    st.markdown("**Ideas for today**")
    cols = st.columns(len(ideas)) if ideas else []
    for col, idea in zip(cols, ideas):
        with col.container(border=True):
            st.markdown(f"{wb.coping_kinds()[idea.kind]['icon']} **{md(idea.label)}**")
            st.caption(md(idea.idea))
            # the reason is our own text; only the person's name comes from the user
            st.caption(f"Why: {idea.reason}" + (f" — especially with {md(idea.with_whom)}" if idea.with_whom else ""))


# -- reflections ----------------------------------------------------------------------------
def theme_options(store: Store, extra: Iterable[str] = ()) -> list[str]:
    seen, out = set(), []
    for theme in list(wb.default_themes()) + store.reflections.used_themes() + list(extra):
        if theme and theme.casefold() not in seen:
            seen.add(theme.casefold())
            out.append(theme)
    return out


def reflection_form(
    store: Store,
    form_id: str,
    template: wb.Template,
    application_id: int | None = None,
    fixed_application: bool = False,
    existing: dict | None = None,
    submit_label: str = "Save reflection",
) -> int | None:
    """Every prompt of the template as a text area (all optional), themes, application, day.

    Returns the saved reflection id on the run it was saved, else None.
    """
    ud.bind(store)
    if not ud.offer(form_id, "reflection"):
        return None
    e = existing or {}
    answers_before = dict(e.get("answers") or {})
    if template.description:
        st.caption(md(template.description))
    if template.link_application and not fixed_application:
        application_id = application_picker(store, form_id, default_id=e.get("application_id", application_id))
    elif (
        existing
        and not template.link_application
        and e.get("application_id") is not None
        and not pd.isna(e.get("application_id"))
    ):
        application_id = int(e["application_id"])
    answers = {}
    for prompt in template.prompts:
        answers[prompt.id] = field(
            form_id,
            f"a:{prompt.id}",
            st.text_area,
            default=answers_before.pop(prompt.id, ""),
            label=prompt.label,
            help=prompt.help,
            placeholder=prompt.placeholder,
            height=max(68, 26 * prompt.lines),
        )
    # answers to prompts no longer in the template stay editable
    for key, value in answers_before.items():
        answers[key] = field(form_id, f"a:{key}", st.text_area, default=value, label=template.label_for(key))
    previous_themes = list(e.get("themes") or [])
    options = theme_options(
        store, list(template.suggested_themes) + previous_themes + list(draft(form_id).get("themes") or [])
    )
    themes_ = field(
        form_id,
        "themes",
        st.multiselect,
        default=previous_themes or [],
        valid=lambda v: isinstance(v, list) and all(x in options for x in v),
        label="Themes (choose or type your own)",
        options=options,
        accept_new_options=True,
        placeholder="technical depth, storytelling, …",
    )
    day = field(
        form_id,
        "day",
        st.date_input,
        default=pd.Timestamp(e["day"]).date() if e.get("day") is not None else dt.date.today(),
        label="Day",
        max_value=dt.date.today(),
        format=ui.DATE_INPUT_FORMAT,
    )
    if has_draft(form_id) and not existing:
        st.caption("Draft kept — it stays here if you leave the page, reload it or come back another day.")
    read = conflict.read_version(form_id, e.get("version"), {}) if existing else None
    if st.button(submit_label, type="primary", key=f"{form_id}:save"):
        try:
            if existing and read is not None:
                store.reflections.update(
                    int(existing["id"]), answers, themes_, application_id, day, draft=form_id, version=read["version"]
                )
                saved = int(existing["id"])
                conflict.reload(form_id)
            else:
                saved = store.reflections.add(template.id, answers, themes_, application_id, day, draft=form_id)
        except StaleEdit as stale:
            st.error(conflict.refused(form_id, stale), icon="🔀")
            return None
        except ValidationError as error:
            st.error(md(str(error)), icon="✋")
            return None
        ud.cleared(form_id)
        return saved
    return None


def show_reflection(row: dict) -> None:
    """The answers as plain text (never rendered as markdown or HTML)."""
    tmpl = wb.template(row["template"])
    for key, value in (row.get("answers") or {}).items():
        st.markdown(f"**{md(tmpl.label_for(key))}**")
        st.text(value)
