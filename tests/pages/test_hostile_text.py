"""Hostile text in every field reaches every surface literally: never HTML, Markdown, a link or a formula.

Every text field of the data model is filled through the store with HTML (<script>, <img>, <a>),
Markdown (**bold**, [link](…)), LaTeX ($x^2$), 10,000 characters, right-to-left script, emoji and a
spreadsheet formula. Then every page and tab runs
- in AppTest: every string Streamlit renders as Markdown (markdown, captions, alerts, toasts, headings,
  labels, help, tab and expander labels, metric labels) and every plotly figure is inspected;
- in a real browser: no <img>, <a>, <script>, <strong> or KaTeX from user text in the DOM, no alert(),
  and no request leaves for the hostile hosts.
Each field carries its own tag (e.g. evil.test/app-company.png), so a leak names its field.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import browser_helpers as bh
import pytest
from clock import frozen
from conftest import AppServer
from google.protobuf.json_format import MessageToDict

from rebound.db import Database
from rebound.store import Store

EVIL = "evil.test"
PAGES = {
    "Today": "pages/today.py",
    "Outcomes": "pages/outcomes.py",
    "Check-in": "pages/checkin.py",
    "Reflect": "pages/reflect.py",
    "Feedback": "pages/feedback.py",
    "Goals & wins": "pages/goals.py",
    "Progress": "pages/progress.py",
    "Data": "pages/data.py",
}
# How AppTest reaches each tab: the session_state key of the page's st.tabs / section control.
TAB_KEYS = {
    "pages/checkin.py": ("checkin_tabs", ["💬 How are you?", "🌿 Self-care"]),
    "pages/reflect.py": ("reflect_tabs", ["✍️ Write", "📓 Journal"]),
    "pages/feedback.py": ("feedback_section", ["ask", "requests", "actions"]),
    "pages/goals.py": (
        "goals_tab",
        ["🎯 Weekly goals", "📒 Activity log", "🤝 Contacts", "🏆 Wins", "🗣️ Interview prep", "📈 Momentum"],
    ),
    "pages/progress.py": ("progress_tab", bh.PROGRESS_TABS),
}


def hostile(tag: str, limit: int = 300) -> str:
    """Every attack at once, tagged with the field it fills, within the field's length limit."""
    full = (
        f'<img src="http://{EVIL}/{tag}.png"><a href="http://{EVIL}/{tag}">x</a> **bold** $x^2$ '
        f'مرحبا 🚀👩‍💻 <script>alert(1)</script> [link](http://x) =HYPERLINK("http://{EVIL}","x") {tag}'
    )
    return full if len(full) <= limit else full[:limit]


def long_text(tag: str, limit: int = 10_000) -> str:
    """10,000 characters (or the field's limit): the attacks repeated, then an unbroken run."""
    text = (hostile(tag) + "\n") * 30
    return (text[: limit // 2] + "W" * limit)[:limit]


# Themes and emotions are short tags (60 and 120 characters): one attack each.
TAGS = [
    f'<img src="http://{EVIL}/theme.png">',
    f'<a href="http://{EVIL}/theme">x</a>',
    "**bold** $x^2$ [link](http://x)",
    "<script>alert(1)</script>",
    "مرحبا 🚀👩‍💻",
    f'=HYPERLINK("http://{EVIL}","x")',
]


def fill_hostile(store: Store) -> dict:
    """Every text field of the data model, through the store (as a form, an import or a restore would).

    Returns the ids of the applications and feedback requests, to open each one."""
    today = dt.date.today()  # the frozen today in AppTest runs, the real one for the browser server
    ids = {"apps": [], "requests": []}
    for i, channel in enumerate(["referral", "job board", "recruiter", "networking"]):
        applied = today - dt.timedelta(days=40 - 8 * i)
        app = store.applications.add(
            hostile(f"app{i}-company"),
            hostile(f"app{i}-role"),
            channel,
            applied,
            url=f"https://example.com/{i}",
            location=hostile(f"app{i}-location"),
            notes=long_text(f"app{i}-notes"),
        )
        ids["apps"].append(app)
        store.applications.add_event(app, "screen", applied + dt.timedelta(days=3), note=hostile(f"app{i}-screen-note"))
        if i == 0:
            store.applications.add_event(
                app, "interview", applied + dt.timedelta(days=6), round=1, note=long_text("interview-note")
            )
            ev = store.applications.add_event(app, "offer", applied + dt.timedelta(days=9), note=hostile("offer-note"))
            store.wins.add(hostile("win-from-offer"), day=applied + dt.timedelta(days=9), kind="offer", event_id=ev)
        elif i in (1, 2):
            store.applications.add_event(
                app,
                "rejected",
                applied + dt.timedelta(days=5 + i),
                stage="screen",
                reason=hostile(f"app{i}-reason"),
                note=long_text(f"app{i}-reject-note"),
            )
            store.checkins.add(
                3 + i,
                energy=4,
                emotions=TAGS[:4] + ["sadness"],
                note=long_text(f"checkin{i}-note"),
                application_id=app,
                checked_at=applied + dt.timedelta(days=6 + i),
            )
            store.coping.add(
                applied + dt.timedelta(days=7 + i),
                "friend",
                with_whom=hostile(f"coping{i}-with", 120),
                minutes=30,
                helped=4,
                note=long_text(f"coping{i}-note"),
            )
            answers = {
                "went_well": long_text(f"refl{i}-went-well"),
                "improve": hostile(f"refl{i}-improve"),
                "struggled_questions": hostile(f"refl{i}-questions"),
                "reframe": hostile(f"refl{i}-reframe"),
                "next_step": hostile(f"refl{i}-next-step"),
            }
            store.reflections.add(
                "after_rejection", answers, themes=TAGS, application_id=app, day=applied + dt.timedelta(days=7 + i)
            )
            request = store.feedback_requests.save(
                app,
                "screen",
                "warm",
                [hostile(f"fb{i}-question"), "What could I have done better?"],
                contact_name=hostile(f"fb{i}-contact", 200),
                contact_email="hr@example.com",
                sender=hostile(f"fb{i}-sender", 200),
                today=applied + dt.timedelta(days=8 + i),
            )
            ids["requests"].append(request)
            if i == 1:
                store.feedback_requests.mark_sent(request, applied + dt.timedelta(days=9))
                store.feedback_requests.save_received(
                    request, long_text("fb-text"), themes=TAGS, answered_on=applied + dt.timedelta(days=10)
                )
            store.actions.add(
                "resume",
                hostile(f"action{i}"),
                due_on=today - dt.timedelta(days=i),
                source="feedback",
                source_id=request,
            )
        elif i == 3:
            store.applications.add_event(
                app, "withdrawn", applied + dt.timedelta(days=4), note=hostile("withdrawn-note")
            )
    for week in (today - dt.timedelta(days=7), today):
        store.goals.add(week, "custom", 3, label=hostile(f"goal-{week:%W}"))
        store.goals.add(week, "applications", 2)
    contact = store.contacts.add(
        hostile("contact-name", 200),
        company=hostile("contact-company"),
        how_met=hostile("contact-how-met"),
        last_contact_on=today - dt.timedelta(days=30),
        next_follow_up_on=today - dt.timedelta(days=2),
        notes=long_text("contact-notes", 5000),
    )
    store.activities.add(
        today - dt.timedelta(days=2),
        "networking",
        title=hostile("activity-title"),
        contact_id=contact,
        note=long_text("activity-note", 5000),
    )
    store.activities.add(
        today - dt.timedelta(days=1),
        "mock interview",
        title=hostile("mock-title"),
        minutes=30,
        confidence=3,
        note=hostile("mock-note"),
    )
    store.wins.add(hostile("win"), day=today - dt.timedelta(days=1), kind="other")
    store.actions.add("other", hostile("action-manual"), due_on=today)
    return ids


HOSTILE_IDS: dict = {}


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("hostile") / "rebound.duckdb")
    db = Database(path)
    try:
        with frozen():  # the tests' today (a module fixture runs before the clock fixture)
            HOSTILE_IDS.update(fill_hostile(Store(db, "local")))
    finally:
        db.close()
    return path


# -- what counts as a leak ------------------------------------------------------------------------
RAW_TAG = re.compile(r"(?<!\\)<\s*(img|a|script)\b", re.I)  # escaped: \<img or &lt;img
RAW_MARKDOWN = ("**bold**", "[link](", "$x^2$")  # escaped: \*\*bold\*\*, \[link\]\(, \$x\^2\$
AUTOLINK = re.compile(r"https?\\?://evil\\?\.test")  # GFM links a bare URL even when escaped
MARKDOWN_FIELDS = {"body", "label", "help", "caption", "text", "title", "content", "tooltip"}
PLAIN_TYPES = {
    "code",
    "text",
    "text_area",
    "text_input",
    "arrow_data_frame",
    "dataframe",
    "download_button",
    "json",
    "vega_lite_chart",
    "arrow_vega_lite_chart",
}


def _strings(obj, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _strings(v, path + (k,))
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v, path)
    elif isinstance(obj, str):
        yield path, obj


def leaks(at, where: str) -> list[str]:
    """Every user string that reaches a Markdown surface raw, or a plotly figure unescaped."""
    found = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is None or kind in PLAIN_TYPES:
            continue
        data = MessageToDict(proto, preserving_proto_field_name=False)
        if kind == "plotly_chart" or "figure" in data:
            spec = json.loads(data.get("spec") or data.get("figure", {}).get("spec") or "{}")
            for path, text in _strings(spec):
                if RAW_TAG.search(text) and EVIL in text:
                    found.append(f"{where}: plotly {'.'.join(path)} = {text[:90]!r}")
            continue
        for path, text in _strings(data):
            if not path or path[-1] not in MARKDOWN_FIELDS | {"options", "formattedOptions", "value"}:
                continue
            if path[-1] in ("options", "formattedOptions") and kind in ("selectbox", "multiselect"):
                if "\\<" in text or "\\*\\*" in text:  # plain-text options must not show escapes
                    found.append(f"{where}: {kind} option shows escape backslashes: {text[:90]!r}")
                continue
            if path[-1] == "value" and kind != "metric":
                continue
            if raw(text):
                found.append(f"{where}: {kind} {'.'.join(path)} = {text[:90]!r}")
    return found


def raw(text: str) -> bool:
    """User text (it alone carries these markers) left raw for a surface that renders Markdown or HTML."""
    return (
        (bool(RAW_TAG.search(text)) and (EVIL in text or "alert(1)" in text))
        or bool(AUTOLINK.search(text))
        or any(m in text for m in RAW_MARKDOWN)
    )


def shown(at) -> int:
    """How many rendered strings carry a hostile marker (escaped): the walk really saw user text."""
    return sum(
        1 for node in at._tree if getattr(node, "proto", None) is not None and "evil" in str(MessageToDict(node.proto))
    )


# Known leaks routed to their owners: tolerated (xfail) only while they last.
KNOWN_APPTEST: list[str] = []
KNOWN_TOASTS: dict[str, str] = {}  # start of the toast's text: reason


def _views(run_page, path):
    """(name, AppTest) for the page and each of its tabs; on Outcomes and Feedback › requests, each
    application and request opened in turn."""
    for title, page in PAGES.items():
        at = run_page(page, path)
        yield title, at
        key, tabs = TAB_KEYS.get(page, (None, []))
        for tab in tabs[1:]:
            at.session_state[key] = tab
            at.run()
            assert not at.exception, (title, tab, [e.message for e in at.exception])
            yield f"{title} › {tab}", at
            if page == "pages/feedback.py" and tab == "requests":
                for rid in HOSTILE_IDS["requests"]:
                    at.session_state["feedback_pick"] = rid
                    at.run()
                    yield f"{title} › {tab} › request {rid}", at
        if page == "pages/outcomes.py":
            for app_id in HOSTILE_IDS["apps"]:
                at.session_state["outcomes_open"] = app_id
                at.run()
                yield f"{title} › application {app_id}", at


def test_every_page_and_tab_shows_hostile_text_literally_in_apptest(run_page, hostile_db):
    found, seen, names = [], 0, []
    for name, at in _views(run_page, hostile_db):
        assert not at.exception, (name, [e.message for e in at.exception])
        names.append(name)
        found += leaks(at, name)
        seen += shown(at)
    assert len(names) == (
        8 + sum(len(t) - 1 for _, t in TAB_KEYS.values()) + len(HOSTILE_IDS["apps"]) + len(HOSTILE_IDS["requests"])
    )
    assert seen > 50, "the pages should show the hostile user text (escaped) in many places"
    new = [f for f in found if not any(k in f for k in KNOWN_APPTEST)]
    assert not new, "\n".join(new)
    if found:
        pytest.xfail("known: " + "; ".join(found))


def _toasts(at) -> list[str]:
    return [t.value for t in at.toast]


def test_toasts_that_name_user_text_show_it_literally(run_page, hostile_db):
    """'Goal reached: {label}', 'keeping in touch with {name}', 'Logged {company} — {role}'."""
    toasts = []
    at = run_page("pages/goals.py", hostile_db)
    for _ in range(3):  # the custom goal of this week has a target of 3
        next(b for b in at.button if b.key and b.key.startswith("goals_tick_")).click().run()
        toasts += _toasts(at)
    at.session_state["goals_tab"] = "🤝 Contacts"
    at.run()
    next(b for b in at.button if b.key and b.key.startswith("goals_contact_done_")).click().run()
    toasts += _toasts(at)
    at = run_page("pages/outcomes.py", hostile_db)
    at.session_state["outcomes_add"] = True
    at.run()
    at.text_input(key="add_company").input(hostile("new-company"))
    at.text_input(key="add_role").input(hostile("new-role"))
    next(b for b in at.button if b.label == "Add application").click().run()
    toasts += _toasts(at)
    for tag in ("goal-", "contact-name", "new-company"):  # (escaped: goal\-48)
        assert any(tag in t.replace("\\", "") for t in toasts), (tag, toasts)
    bad = [t for t in toasts if raw(t)]
    new = [t for t in bad if not any(t.startswith(k) for k in KNOWN_TOASTS)]
    assert not new, new
    if bad:
        pytest.xfail("known: " + "; ".join(KNOWN_TOASTS[k] for k in KNOWN_TOASTS if any(t.startswith(k) for t in bad)))


# -- the same walk in a real browser ----------------------------------------------------------------
DOM_LEAKS = r"""() => {
  const attr = (el, name) => el.getAttribute(name) || el.getAttribute('xlink:' + name) || '';
  const hostileHref = h => h.includes('evil.test') || /^http:\/\/x\/?$/.test(h);
  return {
    img: [...document.querySelectorAll('img, image')].map(i => attr(i, 'src') || attr(i, 'href')).filter(s => s.includes('evil.test')),
    a: [...document.querySelectorAll('a')].map(a => attr(a, 'href')).filter(hostileHref),
    script: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('alert(1)')).length,
    strong: [...document.querySelectorAll('strong, b')].filter(e => e.textContent.trim() === 'bold').length,
    katex: document.querySelectorAll('.katex, .katex-display, mjx-container').length,
    literal: document.body.innerText.includes('evil.test'),
  };
}"""


def dom_leaks(found: dict) -> list[str]:
    out = []
    if found["img"]:
        out.append(f"<img> from user text: {found['img'][:3]}")
    if found["a"]:
        out.append(f"<a> links from user text: {found['a'][:3]}")
    if found["script"]:
        out.append("a <script> from user text")
    if found["strong"]:
        out.append(f"{found['strong']} × **bold** rendered as <strong>")
    if found["katex"]:
        out.append(f"{found['katex']} × $x^2$ rendered as a formula")
    return out


class Watch:
    """Requests to the hostile hosts and alert() dialogs, across every page of a context."""

    def __init__(self):
        self.requests, self.dialogs = [], []

    def __call__(self, context):
        context.on(
            "request", lambda r: self.requests.append(r.url) if EVIL in r.url or r.url.startswith("http://x") else None
        )
        context.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def problems(self) -> list[str]:
        return [f"request to {u}" for u in dict.fromkeys(self.requests)] + [
            f"alert() dialog: {m!r}" for m in self.dialogs
        ]


@pytest.fixture
def hostile_server(tmp_path):
    """A server on the real clock (browser tests keep it), over hostile data made on that clock: this
    week's goals are the server's this week."""
    path = str(tmp_path / "rebound.duckdb")
    db = Database(path)
    try:
        HOSTILE_IDS.update(fill_hostile(Store(db, "local")))
    finally:
        db.close()
    server = AppServer(path)
    yield server
    server.stop()


def open_each_application(browser, url: str, watch) -> list[str]:
    """Outcomes with each application open in turn (its timeline, reasons and notes), via the picker."""
    from conftest import wait_idle

    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    watch(context)
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems = []
    try:
        page.goto(f"{url}/outcomes")
        wait_idle(page)
        for i in range(4):
            page.get_by_label("Open an application").click()
            page.get_by_role("option").filter(has_text=f"app{i}-company").first.click()
            wait_idle(page)
            page.get_by_role("heading").filter(has_text=f"app{i}-company").first.wait_for()
            problems += [f"Outcomes › app{i}: {p}" for p in dom_leaks(page.evaluate(DOM_LEAKS))]
            problems += [f"Outcomes › app{i}: {e}" for e in bh.inspect(page)["exceptions"]]
    finally:
        context.close()
    return problems


@pytest.mark.browser
def test_every_page_and_tab_shows_hostile_text_literally_in_a_browser(browser, hostile_server, tmp_path):
    watch = Watch()

    def check(page, view):
        view.extra = page.evaluate(DOM_LEAKS)

    seen = bh.walk(
        browser,
        hostile_server.url,
        "hostile",
        tmp_path / "shots",
        schemes=("light",),
        with_axe=False,
        on_view=check,
        on_context=watch,
    )
    assert len(seen) == len(list(bh.views()))
    problems = [f"{v.name}: {e[:200]}" for v in seen for e in v.exceptions]
    problems += [f"{v.name}: {p}" for v in seen for p in dom_leaks(v.extra)]
    problems += open_each_application(browser, hostile_server.url, watch)
    problems += watch.problems()
    assert not problems, "\n".join(problems)
    literal = {v.name for v in seen if v.extra["literal"]}
    assert len(literal) >= 8, f"user text should be shown (literally) on many views, not only {sorted(literal)}"


@pytest.mark.browser
def test_toasts_with_user_text_stay_literal_in_a_browser(browser, hostile_server):
    """The toasts that name user text, in the browser: 'Goal reached: {label}' and 'Logged {company} — {role}'."""
    from conftest import wait_for_toast, wait_idle

    watch = Watch()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    watch(context)
    page = context.new_page()
    page.set_default_timeout(20_000)
    found = []
    try:
        page.goto(f"{hostile_server.url}/goals")
        wait_idle(page)
        for tick in range(3):  # this week's custom goal has a target of 3
            page.locator("[class*='st-key-goals_tick_'] button").first.click()
            if tick < 2:
                wait_idle(page)
        wait_for_toast(page, "Goal reached")
        found += [f"Goals toast: {p}" for p in dom_leaks(page.evaluate(DOM_LEAKS))]
        wait_idle(page)
        page.goto(f"{hostile_server.url}/outcomes")
        wait_idle(page)
        page.get_by_text("Add an application").click()
        wait_idle(page)
        page.get_by_label("Company *").fill(hostile("new-company"))
        page.get_by_label("Role *").fill(hostile("new-role"))
        page.get_by_role("button", name="Add application").click()
        wait_for_toast(page)
        found += [f"Outcomes toast: {p}" for p in dom_leaks(page.evaluate(DOM_LEAKS))]
        wait_idle(page)
    finally:
        context.close()
    found += watch.problems()
    assert not found, "\n".join(found)


def test_md_escape_keeps_bare_urls_and_addresses_from_becoming_links():
    """Streamlit's GFM links http://…, www.… and a@b.c in rendered text even when escaped."""
    from rebound.ui import md_escape

    shown = md_escape("see http://evil.test/p, HTTPS://evil.test, www.evil.test or me@evil.test")
    assert not re.search(r"https?\\?://", shown, re.I)
    assert not re.search(r"www\\?\.", shown, re.I)
    assert not re.search(r"\w\\?@", shown)  # the address is split in two text nodes before its "@"
    assert "\u2060" not in shown  # no invisible character: it would be copied with the address
    assert (
        shown.replace(":gray[]", "").replace("\\", "")  # the empty directive renders as an empty <span>
        == "see http://evil.test/p, HTTPS://evil.test, www.evil.test or me@evil.test"
    )
