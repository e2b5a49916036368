"""Shared real-browser checks: walk every page (and every tab) of a running Rebound and inspect it.

Used by the screenshot, accessibility and hostile-text tests. A walk opens one server per
database and visits each view in one browser context per colour scheme, navigating with the
sidebar (no reload between pages), and records what each view shows: exceptions, axis
labels, cut-off text, charts without a text alternative, and axe-core violations.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from conftest import wait_idle

# (sidebar title, url path, tabs to open after the first one; None = the page has none)
PAGES = [
    ("Today", "", None),
    ("Outcomes", "outcomes", None),
    ("Check-in", "checkin", ["🌿 Self-care"]),
    ("Reflect", "reflect", ["📓 Journal"]),
    ("Feedback", "feedback", None),
    ("Goals & wins", "goals", ["📒 Activity log", "🤝 Contacts", "🏆 Wins", "🗣️ Interview prep", "📈 Momentum"]),
    (
        "Progress",
        "progress",
        ["Calendar", "Funnel", "Channels", "Where rejections happen", "Mood & coping", "Resilience"],
    ),
    ("Data", "data", ["📤 Export", "🛟 Backup & restore", "🗑️ Delete"]),
]
PROGRESS_TABS = ["Momentum"] + PAGES[6][2]
SCHEMES = ("light", "dark")
CHART = "[data-testid='stPlotlyChart'], [data-testid='stVegaLiteChart']"

# Times of day on an axis of dates: "23:59:59.999", "06:00", "12 PM", ".0005".
TIME_TICK = re.compile(r"\d\d:\d\d|\.\d{3}|\b\d{1,2} ?[AP]M\b")


@dataclass
class View:
    dataset: str
    scheme: str
    page: str
    tab: str | None
    screenshot: Path | None
    exceptions: list = field(default_factory=list)
    ticks: list = field(default_factory=list)  # per axis: {chart, axis, type, dtick (ms) or None, labels}
    clipped: list = field(default_factory=list)  # descriptions of cut-off text
    blanks: list = field(default_factory=list)  # text showing None / nan / NaT
    charts: list = field(default_factory=list)  # per chart: {kind, alt, colour_only}
    axe: list = field(default_factory=list)  # serious/critical: {rule, impact, target, html, summary, within}
    extra: dict = field(default_factory=dict)  # what an on_view hook found

    @property
    def name(self) -> str:
        return f"{self.dataset}/{self.scheme}/{self.page}" + (f"/{self.tab}" if self.tab else "")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def views(tabs_of=lambda page, tabs: tabs):
    """(title, path, tab or None) for every view; tabs_of filters a page's extra tabs."""
    for title, path, tabs in PAGES:
        yield title, path, None
        for tab in tabs_of(title, tabs) or []:
            yield title, path, tab


def go_to_page(page, url: str, title: str, first: bool) -> None:
    if first:
        page.goto(url)
    else:
        page.locator(".st-key-rebound_nav").get_by_text(title, exact=True).click()
    wait_idle(page)
    page.locator("[data-testid='stMain'] h1").first.wait_for()
    wait_drawn(page)


DRAWN_TABS = {"📥 Import", "📤 Export", "🛟 Backup & restore", "🗑️ Delete"}  # Data draws every tab: no rerun


def open_tab(page, tab: str) -> None:
    page.get_by_role("tab", name=tab).click()
    if tab in DRAWN_TABS:
        page.wait_for_timeout(150)
    else:
        wait_idle(page)
    wait_drawn(page)


def wait_drawn(page) -> None:
    """Every visible chart has drawn its SVG (plotly and Vega draw after the script ends)."""
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-testid='stPlotlyChart'], [data-testid='stVegaLiteChart']")]
              .filter(c => c.offsetParent !== null)
              .every(c => c.querySelector('.main-svg, svg.marks, .vega-embed svg'))""",
        timeout=20_000,
    )
    if page.locator(CHART).count():
        page.wait_for_timeout(120)  # plotly lays out its text just after the first paint


INSPECT = r"""() => {
  const out = {exceptions: [], ticks: [], clipped: [], charts: []};
  const visible = el => el.offsetParent !== null || el.closest('svg');
  document.querySelectorAll("[data-testid='stException']").forEach(e => out.exceptions.push(e.innerText.slice(0, 400)));
  const inside = (r, box, tol) => r.left >= box.left - tol && r.right <= box.right + tol
                                  && r.top >= box.top - tol && r.bottom <= box.bottom + tol;
  const alt = chart => {
    // a caption, a table or a data download close after the chart (same block or the block after)
    const ALT = "[data-testid='stCaptionContainer'], [data-testid='stDataFrame'], [data-testid='stTable'], "
              + "[data-testid='stDownloadButton']";
    let el = chart;
    for (let depth = 0; depth < 7 && el && el !== document.body; depth++, el = el.parentElement) {
      let sib = el.nextElementSibling;
      for (let k = 0; k < 4 && sib; k++, sib = sib.nextElementSibling) {
        if (sib.matches(ALT) || sib.querySelector(ALT)) return true;
      }
    }
    return false;
  };
  document.querySelectorAll("[data-testid='stPlotlyChart']").forEach((c, i) => {
    if (c.offsetParent === null) return;
    const gd = c.querySelector('.js-plotly-plot');
    const svg = c.querySelector('.main-svg');
    const name = (gd && gd.layout && gd.layout.title && (gd.layout.title.text || gd.layout.title)) || `plotly #${i + 1}`;
    if (!gd || !svg) return;
    const fl = gd._fullLayout || {};
    for (const key of Object.keys(fl).filter(k => /^[xy]axis\d*$/.test(k))) {
      const ax = fl[key];
      if (!ax || ax.visible === false) continue;
      const dtick = ax.type === 'date' && typeof ax.dtick === 'number' ? ax.dtick : null;
      const labels = [...c.querySelectorAll(`g.${ax._id}tick text, g.${ax._id}tick2 text`)].map(t => t.textContent);
      out.ticks.push({chart: String(name), axis: key, type: ax.type, dtick, labels});
    }
    // text labels drawn by traces: inside the figure, and inside the plot area when clipped to it
    const fig = svg.getBoundingClientRect();
    const FIGURE_TEXT = 'text.xtitle, text.ytitle, text.gtitle, text.legendtext, text.cbtitle, .annotation-text';
    c.querySelectorAll(FIGURE_TEXT).forEach(t => {  // titles and legends: inside the figure
      const text = t.textContent.trim(), r = t.getBoundingClientRect();
      if (text && r.width && !inside(r, fig, 1.5)) out.clipped.push(`${name}: "${text}" runs outside the figure`);
    });
    c.querySelectorAll('text.bartext, .textpoint text, text.slicetext, .funnel text, g.node-label, text.node-label')
      .forEach(t => {
        const text = t.textContent.trim();
        if (!text) return;
        const r = t.getBoundingClientRect();
        if (r.width === 0) return;
        let clip = null;
        for (let p = t.parentElement; p && p !== svg; p = p.parentElement) {
          if (p.getAttribute && p.getAttribute('clip-path')) { clip = p; break; }
        }
        let box = fig;
        if (clip) {
          const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
          const plots = [...c.querySelectorAll('rect.nsewdrag')].map(d => d.getBoundingClientRect());
          box = plots.find(b => cx >= b.left && cx <= b.right && cy >= b.top && cy <= b.bottom) || plots[0] || fig;
        }
        if (!inside(r, box, 1.5)) out.clipped.push(`${name}: chart label "${text}" runs outside the ${clip ? 'plot area' : 'figure'}`);
      });
    const traces = (gd._fullData || []).filter(t => t.visible === true);
    const coloured = traces.filter(t => ['bar', 'scatter', 'scattergl', 'pie'].includes(t.type));
    const legend = !!c.querySelector('g.legend .traces');
    const labelled = coloured.every(t => t.text && t.text.length && t.mode !== 'lines' || (t.mode || '').includes('text'));
    const names = new Set(coloured.map(t => t.name));
    out.charts.push({chart: String(name), kind: 'plotly', alt: alt(c),
                     colour_only: coloured.length > 1 && names.size > 1 && !legend && !labelled});
  });
  document.querySelectorAll("[data-testid='stVegaLiteChart']").forEach((c, i) => {
    if (c.offsetParent === null) return;
    const labels = [...c.querySelectorAll('.role-axis-label text')].map(t => t.textContent);
    out.ticks.push({chart: `vega #${i + 1}`, axis: 'all', type: 'vega', dtick: null, labels});
    c.querySelectorAll('.role-axis-label text, .role-legend-label text, .role-title text')
      .forEach(t => { if (t.textContent.endsWith('…')) out.clipped.push(`vega #${i + 1}: label "${t.textContent}" is truncated`); });
    out.charts.push({chart: `vega #${i + 1}`, kind: 'vega', alt: alt(c), colour_only: false});
  });
  const main = document.querySelector("[data-testid='stMain']");
  // Python's empty values leaking into text: "None", "nan", "NaT"
  out.blanks = [];
  main.querySelectorAll("[data-testid='stMarkdownContainer'], [data-testid='stMetricValue'], [data-testid='stMetricDelta'], label")
    .forEach(el => {
      if (!visible(el) || el.querySelector("[data-testid='stMarkdownContainer']")) return;
      const m = el.innerText.match(/(^|[^\w'’])(None|nan|NaN|NaT|undefined|null)([^\w'’]|$)/);
      if (m) out.blanks.push(`"${el.innerText.trim().replace(/\s+/g, ' ').slice(0, 100)}" shows ${m[2]}`);
    });
  // Rebound's own text that is cut off: overflow hidden or an ellipsis, with more content than room
  const SKIP = "[data-testid='stCode'], [data-testid='stDataFrame'], textarea, input, .js-plotly-plot, "
             + "[data-testid='stVegaLiteChart'], [data-baseweb='select'], [data-testid='stTooltipContent'], "
             + "[data-testid='stMultiSelectTagsContainer'], [data-testid='stTable']";  // these scroll their insides
  const reported = [];
  if (main.scrollWidth > main.clientWidth + 1)  // a table or a row too wide: the whole page scrolls sideways
    out.clipped.push(`the page is wider than the screen (${main.scrollWidth}px in ${main.clientWidth}px)`);
  main.querySelectorAll('*').forEach(el => {
    if (el instanceof SVGElement || el.scrollWidth <= el.clientWidth + 1) return;
    const cs = getComputedStyle(el);
    if (!(['hidden', 'clip', 'auto', 'scroll'].includes(cs.overflowX) || cs.textOverflow === 'ellipsis')) return;
    if (!visible(el) || el.closest(SKIP) || !el.innerText.trim()) return;
    if (['auto', 'scroll'].includes(cs.overflowX) && el.querySelector("[role='tab']")) return;  // a tab bar scrolls
    if (reported.some(r => r.contains(el))) return;  // the outermost clipping box says it
    reported.push(el);
    out.clipped.push(`${el.tagName.toLowerCase()}${el.dataset.testid ? '[' + el.dataset.testid + ']' : ''}: "${el.innerText.trim().replace(/\s+/g, ' ').slice(0, 80)}" is cut off (${el.scrollWidth}px in ${el.clientWidth}px)`);
  });
  return out;
}"""


def full_height(page, base: int) -> int:
    """Grow the viewport to the page's content (Streamlit scrolls inside stMain, so a full-page
    screenshot would stop at the window) and return the content's height: everything is laid out,
    checkable and in the screenshot at once."""
    content = page.evaluate("""() => {
        const block = document.querySelector("[data-testid='stMainBlockContainer']");
        return block.getBoundingClientRect().bottom + document.querySelector("[data-testid='stMain']").scrollTop;
    }""")
    needed = int(min(max(base, content + 20), 9000))
    if needed > page.viewport_size["height"]:  # grow only: Streamlit's layout does not depend on height
        page.set_viewport_size({"width": page.viewport_size["width"], "height": needed})
        page.wait_for_timeout(600)  # plotly redraws every chart on a resize: let it finish
        wait_drawn(page)
    return needed


TALL = 2600  # the window a walk starts with: most pages fit, so few resizes (each redraws the charts)


def inspect(page) -> dict:
    return page.evaluate(INSPECT)


def bad_ticks(view: View) -> list[str]:
    """Axis labels that show times of day on a date axis (or a date axis ticking below a day)."""
    found = []
    for t in view.ticks:
        if t["type"] not in ("date", "vega"):
            continue
        times = [label for label in t["labels"] if TIME_TICK.search(label)]
        if times:
            found.append(f"{view.name}: {t['chart']} {t['axis']} shows times: {times[:4]}")
        elif t["dtick"] is not None and t["dtick"] < 86_400_000:
            found.append(f"{view.name}: {t['chart']} {t['axis']} ticks every {t['dtick'] / 3.6e6:g} h")
    return found


# -- axe-core ------------------------------------------------------------------------------------
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


def run_axe(page) -> list[dict]:
    """Serious and critical violations on the page: [{rule, impact, target, html, summary}]."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        from axe_playwright_python.sync_playwright import Axe

        page.evaluate(Axe().axe_script)
    import json

    results = page.evaluate(f"axe.run(document, {json.dumps(AXE_OPTIONS)})")
    found = []
    for v in results["violations"]:
        for node in v["nodes"]:
            impact = node.get("impact") or v.get("impact")
            if impact in ("serious", "critical"):
                found.append(
                    {
                        "rule": v["id"],
                        "impact": impact,
                        "target": " ".join(map(str, node["target"])),
                        "html": node["html"][:300],
                        "summary": (node.get("failureSummary") or "")[:300],
                    }
                )
    where = page.evaluate(WHERE, [f["target"] for f in found])
    for f, w in zip(found, where):
        f["within"] = w
    return found


# The Streamlit elements (data-testid) around a node, innermost first: tells Rebound's own content
# (markdown, captions, chart specs) from Streamlit's widgets and navigation.
WHERE = """targets => targets.map(t => {
  let el = null;
  try { el = document.querySelector(t); } catch (e) { return []; }
  const ids = [];
  for (; el; el = el.parentElement) if (el.dataset && el.dataset.testid) ids.push(el.dataset.testid);
  return ids;
})"""


# -- the walk --------------------------------------------------------------------------------------
SHOTS_ENV = "REBOUND_SCREENS_DIR"  # also save the screenshots there (e.g. docs/screens)


def walk(
    browser,
    server_url: str,
    dataset: str,
    out: Path | None,
    schemes=SCHEMES,
    with_axe: bool = True,
    width: int = 1400,
    height: int = 1000,
    tabs_of=lambda page, tabs: tabs,
    on_view=None,
    on_context=None,
    by_address: bool = False,
) -> list[View]:
    """Visit every view in each scheme; return what each showed (out=None: no screenshots).

    on_view(page, view) adds checks of its own; on_context(context) may listen to requests and dialogs.
    by_address: open each page by its address (at phone width the sidebar is folded away)."""
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    extra = Path(os.environ[SHOTS_ENV]) if os.environ.get(SHOTS_ENV) and out is not None else None
    if extra:
        extra.mkdir(parents=True, exist_ok=True)
    seen = []
    for scheme in schemes:
        context = browser.new_context(
            viewport={"width": width, "height": max(height, TALL) if out else height}, color_scheme=scheme
        )
        if on_context:
            on_context(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            first = True
            for title, path, tab in views(tabs_of):
                if tab is None:
                    go_to_page(page, f"{server_url}/{path}", title, first or by_address)
                    first = False
                else:
                    open_tab(page, tab)
                name = f"{dataset}-{scheme}-{slug(title)}" + (f"-{slug(tab)}" if tab else "")
                shot = None
                if out is not None:
                    shot = out / f"{name}.png"
                    tall = full_height(page, height)
                    page.screenshot(path=str(shot), clip={"x": 0, "y": 0, "width": width, "height": tall})
                    if extra:
                        (extra / shot.name).write_bytes(shot.read_bytes())
                view = View(dataset, scheme, title, tab, shot)
                found = inspect(page)
                view.exceptions, view.ticks = found["exceptions"], found["ticks"]
                view.clipped, view.charts, view.blanks = found["clipped"], found["charts"], found["blanks"]
                if with_axe:
                    view.axe = run_axe(page)
                if on_view:
                    on_view(page, view)
                seen.append(view)
        finally:
            context.close()
    return seen


# -- datasets ----------------------------------------------------------------------------------------
def fill_one(store, today: dt.date | None = None) -> None:
    """One of everything: one application with one event, one check-in, one goal, one of each log."""
    today = today or dt.date.today()
    app = store.applications.add("Acme", "Data Analyst", "referral", today - dt.timedelta(days=6))
    store.applications.add_event(
        app, "rejected", today - dt.timedelta(days=1), stage="applied", reason="Filled internally."
    )
    store.checkins.add(
        5,
        energy=4,
        emotions=["disappointment"],
        note="A quiet day.",
        application_id=app,
        checked_at=today - dt.timedelta(days=1),
    )
    store.coping.add(today - dt.timedelta(days=1), "friend", with_whom="Sam", minutes=30, helped=4, note="A call.")
    store.reflections.add(
        "after_rejection",
        {"went_well": "I prepared well."},
        themes=["preparation"],
        application_id=app,
        day=today - dt.timedelta(days=1),
    )
    store.goals.add(today, "applications", 3)
    store.activities.add(today - dt.timedelta(days=1), "networking", title="Coffee with a peer")
    store.contacts.add("Sam Lee", company="Acme", how_met="Meetup")
    store.wins.add("Finished a course", day=today - dt.timedelta(days=1), kind="learning")
    request = store.feedback_requests.save(app, "screen", "warm", ["What would have made my application stronger?"])
    store.actions.add(
        "resume", "Tighten the summary", due_on=today + dt.timedelta(days=3), source="feedback", source_id=request
    )


def fill_many(store, seed: int = 11) -> None:
    from rebound.demo import generate

    generate(store, weeks=26, seed=seed)


def make_db(path: str, dataset: str) -> str:
    from rebound.db import Database
    from rebound.store import Store

    db = Database(path)
    try:
        if dataset == "one":
            fill_one(Store(db, "local"))
        elif dataset == "many":
            fill_many(Store(db, "local"))
    finally:
        db.close()
    return path


# -- known problems: reported, routed, and tolerated only while they last -----------------------------
@dataclass(frozen=True)
class Known:
    """A problem seen and routed to its owner: matched by page, tab and a piece of its text."""

    page: str
    tab: str | None
    text: str
    reason: str
    dataset: str | None = None  # None: any dataset
    scheme: str | None = None  # None: either scheme

    def matches(self, view: View, problem: str) -> bool:
        return (
            view.page == self.page
            and view.tab == self.tab
            and self.text in problem
            and self.dataset in (None, view.dataset)
            and self.scheme in (None, view.scheme)
        )


def judge(problems: list[tuple[View, str]], known: list[Known] = ()) -> None:
    """Fail on any problem not in `known`; xfail (naming them) when only known problems remain."""
    import pytest

    new = [f"{v.name}: {p}" for v, p in problems if not any(k.matches(v, p) for k in known)]
    assert not new, f"{len(new)} problem(s):\n" + "\n".join(dict.fromkeys(new))
    seen = sorted({k.reason for v, p in problems for k in known if k.matches(v, p)})
    if seen:
        pytest.xfail("known, routed: " + " | ".join(seen))
