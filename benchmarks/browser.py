"""What the user feels: Rebound in headless Chromium against a running server, beside a hello-world app.

For one database this times, in the same browser and run as the hello-world floor:

* navigation → settled for every page: a first visit (fresh browser context, empty cache) and a
  return visit (same context, the browser's cache warm). Settled: Streamlit's script is not running,
  the page's title is drawn, no element is still a loading skeleton and every chart is drawn
  (plotly's `.js-plotly-plot`, Vega's canvas or svg);
* click → settled for every Progress tab and for the main actions (save an application, log a
  rejection, save a check-in), beside a hello-world button;
* click → settled for every page's link in the sidebar (moving around the app, each page's code
  already loaded), beside the same switch in a hello-world app of two pages; that app, visited
  straight at its second page's address, is also the floor for a visit to any page but the default;
* the first Progress visit after a write (after each action);
* the JavaScript each page loads: bytes of script responses that came over the network (the
  encoded body size; a cached response counts 0), on the first and on the return visit.

Servers are warmed (every page and tab visited once) before anything is timed.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 1000}
PROGRESS_TABS = ["Momentum", "Calendar", "Funnel", "Channels", "Where rejections happen", "Mood & coping", "Resilience"]
# Two tab switches: to Funnel (the tab that once loaded plotly) and to Channels (Vega-Lite only);
# "open the flow diagram" is the click that draws the Sankey, the one plotly chart on Progress.
SWITCH_TABS = {"switch a Progress tab (Funnel)": "Funnel", "switch a Progress tab (Channels)": "Channels"}
FLOW = "open the flow diagram"
FLOW_OPENER = "Show where every application went"
ACTIONS = ("save an application", "log a rejection", "save a check-in", *SWITCH_TABS, FLOW)
# Each write's page, run again with nothing changed (see page_rerun): reported beside the actions.
RERUN = {
    "save an application": "rerun Outcomes (nothing changed)",
    "log a rejection": "rerun Outcomes (nothing changed)",
    "save a check-in": "rerun Check-in (nothing changed)",
}
PAGE_RERUNS = tuple(dict.fromkeys(RERUN.values()))

# The floor: the same kind of page (a title, some text) and a button that reruns the script.
HELLO_BROWSER_APP = (
    'import streamlit as st\n\nst.title("Hello, world")\nst.write("A page with nothing on it.")\n'
    'if st.button("Click me"):\n    st.write("Clicked.")\n'
)

# A second floor, for tab switches: the same page with three tabs run lazily, as Progress's are
# (only the open tab's content runs): text, more text, and a small Vega-Lite chart (a year of
# weekly points), so a Progress tab's time can be read against what Streamlit and Vega-Lite take
# to switch to text and to draw a small chart.
HELLO_TABS_APP = (
    "import streamlit as st\n\n"
    'st.title("Hello, world")\n'
    'words, more, chart = st.tabs(["Words", "More words", "A chart"], key="tab", on_change="rerun")\n'
    'if words.open:\n    words.write("A tab with nothing on it.")\n'
    'if more.open:\n    more.write("Another tab with nothing on it.")\n'
    "if chart.open:\n"
    "    chart.vega_lite_chart(\n"
    '        spec={"data": {"values": [{"week": i, "value": (i * 37) % 11} for i in range(52)]},\n'
    '              "mark": {"type": "line", "point": True},\n'
    '              "encoding": {"x": {"field": "week", "type": "quantitative"},\n'
    '                           "y": {"field": "value", "type": "quantitative"}}},\n'
    '        width="stretch", key="chart")\n'
)
HELLO_TABS = {"tab_s": "More words", "chart_tab_s": "A chart"}

# A third floor, for moving between pages: the same hello-world as two pages in st.navigation's
# sidebar, as Rebound's are. A click in the sidebar switches page over the open connection (what
# a user does most). A visit straight to a page's address (/other, every Rebound page but Today)
# first asks /other/_stcore/health, gets a 404 and asks again at / (Streamlit finding its base
# address, streamlit#7074): that floor says what of a page's visit is that, not the page.
HELLO_NAV_APP = (
    "import streamlit as st\n\n"
    "def hello():\n"
    '    st.title("Hello, world")\n    st.write("A page with nothing on it.")\n\n'
    "def other():\n"
    '    st.title("Another page")\n    st.write("Another page with nothing on it.")\n\n'
    'st.navigation([st.Page(hello, title="Hello", default=True), st.Page(other, title="Other", url_path="other")]).run()\n'
)

HELLO_NAV = ("deep_first_s", "deep_return_s", "switch_s")

# The one-chart floor: the page Rebound's pages are closest to. Two pages in st.navigation's
# sidebar, each a title, some text, one small Vega-Lite chart (the chart tab's) and a button that
# reruns the script. Every Rebound figure is read against this floor reached the same way: a visit
# at the root or at a page's own address (/other), first or return; a click on a button (a save)
# against a click on its button; R (the page run again) against R; a sidebar switch against one.
HELLO_CHART_APP = (
    "import streamlit as st\n\n"
    "def body(title):\n"
    "    st.title(title)\n"
    '    st.write("A page with one small chart on it.")\n'
    "    st.vega_lite_chart(\n"
    '        spec={"data": {"values": [{"week": i, "value": (i * 37) % 11} for i in range(52)]},\n'
    '              "mark": {"type": "line", "point": True},\n'
    '              "encoding": {"x": {"field": "week", "type": "quantitative"},\n'
    '                           "y": {"field": "value", "type": "quantitative"}}},\n'
    '        width="stretch", key="chart")\n'
    '    if st.button("Click me"):\n'
    '        st.write("Clicked.")\n\n'
    'st.navigation([st.Page(lambda: body("Hello, world"), title="Hello", url_path="hello", default=True),\n'
    '               st.Page(lambda: body("Another page"), title="Other", url_path="other")]).run()\n'
)
HELLO_CHART = (
    "first_s",
    "return_s",
    "deep_first_s",
    "deep_return_s",
    "click_s",
    "rerun_s",
    "switch_s",
    "js_first",
)

# Counts the script runs the server reports finished: a ForwardMsg with field 6 (script_finished)
# set to anything but FINISHED_EARLY_FOR_RERUN (2). The app's script-state attribute is not enough:
# React batches a fast rerun's 'running' and 'notRunning' into one render, so it may never change.
COUNT_RUNS_JS = """(() => {
  window.__benchFinished = 0; window.__benchArmed = 0; window.__benchSeen = -1;
  function finished(buf) {
    const b = new Uint8Array(buf); let i = 0;
    const varint = () => { let x = 0, s = 0, c; do { c = b[i++]; x += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80 && i < b.length); return x; };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { const v = varint(); if (field === 6) return v !== 2; }
      else if (wire === 2) { const n = varint(); i += n; }  // read the length before adding to i
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return false;
    }
    return false;
  }
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => {
        if (e.data instanceof ArrayBuffer && finished(e.data)) window.__benchFinished++;
      });
    }
  };
})();"""
# True once the page is settled: a script run finished since arming (a new page is armed at 0),
# seen on an earlier animation frame too (Streamlit has handled the message), the app says it is
# not running, no element is still a loading skeleton and every chart is drawn.
SETTLED_JS = """() => {
  const n = window.__benchFinished;
  if (!(n > window.__benchArmed)) return false;
  if (window.__benchSeen !== n) { window.__benchSeen = n; return false; }
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const main = document.querySelector("[data-testid='stMain']") || document.body;
  if (main.querySelector("[data-testid='stSkeleton']")) return false;
  for (const el of main.querySelectorAll("[data-testid='stPlotlyChart']"))
    if (!el.querySelector('.js-plotly-plot .main-svg')) return false;
  for (const el of main.querySelectorAll("[data-testid='stVegaLiteChart']"))
    if (!el.querySelector('canvas, svg')) return false;
  return true;
}"""
ARM_JS = "() => { window.__benchArmed = window.__benchFinished; window.__benchSeen = -1; }"
WHY_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  const main = document.querySelector("[data-testid='stMain']") || document.body;
  return {state: app && app.getAttribute('data-test-script-state'), runs: window.__benchFinished, armed: window.__benchArmed, text: main.innerText.slice(0, 200), h1: !!main.querySelector('h1'),
          skeletons: [...main.querySelectorAll("[data-testid='stSkeleton']")].map(e => (e.closest("[data-testid='stElementContainer']") || e).className.slice(0, 120)),
          plotly_undrawn: [...main.querySelectorAll("[data-testid='stPlotlyChart']")].filter(e => !e.querySelector('.js-plotly-plot .main-svg')).length,
          vega_undrawn: [...main.querySelectorAll("[data-testid='stVegaLiteChart']")].filter(e => !e.querySelector('canvas, svg')).length};
}"""
CHARTS_JS = """() => ({plotly: document.querySelectorAll("[data-testid='stPlotlyChart']").length,
                     vega: document.querySelectorAll("[data-testid='stVegaLiteChart']").length})"""


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def url_path(page: str, default_page: str) -> str:
    """st.Page's URL path: the file's stem ('' for the default page)."""
    return "" if page == default_page else Path(page).stem


# -- servers ----------------------------------------------------------------------------------------------
def streamlit_run(script: str, port: int) -> list[str]:
    """The command line of a headless server on `port`, as the benchmark starts every app."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run SCRIPT` from the checkout (so the project's .streamlit/config.toml applies)."""

    def __init__(self, script: str, db: str | None = None, timeout: float = 90, args: tuple[str, ...] = ()):
        self.port = free_port()
        base = next((v for k, v in zip(args, args[1:]) if k == "--server.baseUrlPath"), "").strip("/")
        self.url = f"http://127.0.0.1:{self.port}" + (f"/{base}" if base else "")
        env = {**os.environ}
        env.pop("REBOUND_DB", None)
        if db:
            env["REBOUND_DB"] = db
        self.proc = subprocess.Popen(
            [*streamlit_run(script, self.port), *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + timeout
        while True:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                if time.time() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"streamlit did not start for {script}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# -- one browser ------------------------------------------------------------------------------------------
class Tab:
    """A browser context and its page, counting the JavaScript that comes over the network."""

    def __init__(self, browser, timeout_s: float = 60):
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.add_init_script(COUNT_RUNS_JS)
        self.page = self.context.new_page()
        self.page.set_default_timeout(timeout_s * 1000)
        self.timeout_ms = timeout_s * 1000
        self._responses: list = []
        self.page.on("response", lambda r: self._responses.append(r))

    def close(self) -> None:
        self.context.close()

    def __enter__(self) -> Tab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def js_since(self, mark: int) -> dict:
        """Script responses since `mark` (an index into the responses): bytes over the network
        (encoded body size; cache hits report no body) and how many came from the cache."""
        net, cached, files = 0, 0, []
        for r in self._responses[mark:]:
            if r.request.resource_type != "script":
                continue
            size = r.request.sizes().get("responseBodySize", 0)
            if size > 0:
                net += size
                files.append((r.url.rsplit("/", 1)[-1], size))
            else:
                cached += 1
        return {"bytes": net, "cached": cached, "largest": sorted(files, key=lambda f: -f[1])[:3]}

    def mark(self) -> int:
        return len(self._responses)

    def settle(self) -> None:
        try:
            self.page.wait_for_function(SETTLED_JS, polling="raf", timeout=self.timeout_ms)
        except Exception as error:
            raise RuntimeError(f"not settled at {self.page.url}: {self.page.evaluate(WHY_JS)}") from error

    def visit(self, url: str) -> tuple[float, dict]:
        """Seconds from navigation to settled, and the JavaScript it loaded."""
        mark = self.mark()
        t = time.perf_counter()
        self.page.goto(url, wait_until="commit")
        self.settle()
        took = time.perf_counter() - t
        return took, self.js_since(mark)

    def click(self, locator) -> float:
        """Seconds from a click to the settled rerun it caused."""
        locator.wait_for()
        self.page.evaluate(ARM_JS)
        t = time.perf_counter()
        locator.click()
        self.settle()
        return time.perf_counter() - t

    def charts(self) -> dict:
        return self.page.evaluate(CHARTS_JS)


# -- the main actions ----------------------------------------------------------------------------------------
def _sidebar_link(tab: Tab, url: str, path: str):
    """The sidebar's link to the page at `path` ("" for the default page, whose link is the root)."""
    # app.py's own page links (rebound.ui.nav.sidebar_links); a floor app has Streamlit's menu
    found = [
        f"{nav}[href='{href}']"
        for nav in (".st-key-rebound_nav a", "[data-testid='stSidebarNav'] a")
        for href in (path, f"/{path}", f"{url}/{path}")
    ]
    return tab.page.locator(", ".join(found)).first


def page_switches(tab: Tab, url: str, paths: dict[str, str]) -> dict[str, float]:
    """Click → settled for each page's sidebar link, from the page before it, once every page has
    been opened this way (its widgets' code is loaded): moving around the app as a user does."""
    first, *rest = paths
    tab.visit(f"{url}/{paths[first]}")
    order = [*rest, first]
    for page in order:
        tab.click(_sidebar_link(tab, url, paths[page]))
    return {page: tab.click(_sidebar_link(tab, url, paths[page])) for page in order}


def page_rerun(tab: Tab) -> float:
    """R, Streamlit's rerun key, → settled: the page run again with nothing changed. No action on
    a page can settle faster than this (every click reruns it), so it is each action's own floor."""
    tab.page.evaluate(ARM_JS)
    t = time.perf_counter()
    tab.page.locator("body").press("r")
    tab.settle()
    return time.perf_counter() - t


def action_save_application(tab: Tab, url: str, n: int) -> dict:
    """Outcomes: open the add form, fill it, time the save. Then log that application's rejection."""
    page = tab.page
    tab.visit(f"{url}/outcomes")
    rerun = page_rerun(tab)
    opener = page.get_by_text("Add an application").or_(page.get_by_text("Add your first application")).first
    tab.click(opener)
    company = f"Benchmark & Co {n} {int(time.time() * 1000) % 100000}"
    page.get_by_label("Company *").first.fill(company)
    page.get_by_label("Role *").first.fill("Data Analyst")
    saved = tab.click(page.get_by_role("button", name="Add application"))
    page.get_by_role("heading", name=f"{company} — Data Analyst").first.wait_for()
    tab.click(page.get_by_role("button", name="Log rejection").first)
    rejected = tab.click(page.get_by_role("button", name="Save", exact=True).first)
    return {"save an application": saved, "log a rejection": rejected, RERUN["save an application"]: rerun}


def action_save_checkin(tab: Tab, url: str) -> dict:
    tab.visit(f"{url}/checkin")
    # A logged rejection starts the gentle steps, kept in the database: Check-in then shows them
    # instead of its form until they are closed.
    close = tab.page.get_by_role("button", name="Close the steps for now")
    if close.count():
        tab.click(close.first)
    rerun = page_rerun(tab)
    return {
        "save a check-in": tab.click(tab.page.get_by_role("button", name="Save check-in").first),
        RERUN["save a check-in"]: rerun,
    }


def progress_tabs(tab: Tab, url: str) -> dict:
    """Each tab after the first: click → settled, and the JavaScript the switch loaded."""
    tab.visit(f"{url}/progress")
    out = {}
    for name in PROGRESS_TABS[1:] + PROGRESS_TABS[:1]:
        mark = tab.mark()
        took = tab.click(tab.page.get_by_role("tab", name=name, exact=True))
        out[name] = {"s": took, "js": tab.js_since(mark), "charts": tab.charts()}
    return out


def open_flow_diagram(tab: Tab, url: str) -> dict | None:
    """Progress → Funnel tab, then the click that draws the Sankey: click → settled and the
    JavaScript it loaded (plotly's chunk, on a fresh context). None where there is no opener
    (no applications, or a Rebound that draws the Sankey with the tab)."""
    tab.visit(f"{url}/progress")
    tab.click(tab.page.get_by_role("tab", name="Funnel", exact=True))
    opener = tab.page.get_by_text(FLOW_OPENER)
    if not opener.count():
        return None
    mark = tab.mark()
    took = tab.click(opener.first)
    return {"s": took, "js": tab.js_since(mark), "charts": tab.charts()}


# -- the whole suite on one database ------------------------------------------------------------------------------
def _warm(browser, url: str, paths: list[str], tabs: bool) -> None:
    """Every page once (and Progress' tabs): the server's imports, caches and figures are warm."""
    with Tab(browser) as tab:
        for path in paths:
            tab.visit(f"{url}/{path}")
        if tabs:
            progress_tabs(tab, url)


def measure_hello(browser, url: str) -> dict:
    """The plain floor: a visit at the root (first, return), a button click and R."""
    with Tab(browser) as tab:
        first, js_first = tab.visit(url)
        back, js_back = tab.visit(url)
        click = tab.click(tab.page.get_by_role("button", name="Click me"))
        rerun = page_rerun(tab)
        return {
            "first_s": first,
            "return_s": back,
            "click_s": click,
            "rerun_s": rerun,
            "js_first": js_first["bytes"],
            "js_return": js_back["bytes"],
        }


def measure_hello_nav(browser, url: str, rounds: int = 3) -> dict:
    """The multipage floor: a visit straight to its second page (first, and return), and the median
    sidebar switch between its two pages."""
    with Tab(browser) as tab:
        first, _ = tab.visit(f"{url}/other")
        back, _ = tab.visit(f"{url}/other")
        paths = {"hello": "", "other": "other"}
        switches = [t for _ in range(rounds) for t in page_switches(tab, url, paths).values()]
        return {"deep_first_s": first, "deep_return_s": back, "switch_s": median(switches)}


def measure_hello_chart(browser, url: str, rounds: int = 2) -> dict:
    """The one-chart floor (HELLO_CHART_APP), every way Rebound is reached: the root and the second
    page's address (first and return visit, each in a fresh context), a button click, R, and the
    median sidebar switch."""
    with Tab(browser) as tab:
        first, js_first = tab.visit(url)
        back, _ = tab.visit(url)
        click = tab.click(tab.page.get_by_role("button", name="Click me"))
        rerun = page_rerun(tab)
        paths = {"hello": "", "other": "other"}
        switches = [t for _ in range(rounds) for t in page_switches(tab, url, paths).values()]
    with Tab(browser) as tab:
        deep_first, _ = tab.visit(f"{url}/other")
        deep_back, _ = tab.visit(f"{url}/other")
    return {
        "first_s": first,
        "return_s": back,
        "deep_first_s": deep_first,
        "deep_return_s": deep_back,
        "click_s": click,
        "rerun_s": rerun,
        "switch_s": median(switches),
        "js_first": js_first["bytes"],
    }


def measure_hello_tabs(browser, url: str, rounds: int = 3) -> dict:
    """Click → settled for the floor's text tab and its chart tab (each from the first tab), medians."""
    with Tab(browser) as tab:
        tab.visit(url)
        times: dict[str, list[float]] = {key: [] for key in HELLO_TABS}
        for _ in range(rounds):
            for key, name in HELLO_TABS.items():
                times[key].append(tab.click(tab.page.get_by_role("tab", name=name, exact=True)))
                tab.click(tab.page.get_by_role("tab", name="Words", exact=True))
        return {key: median(values) for key, values in times.items()}


def measure_floors(browser, floors: dict[str, str | None]) -> dict:
    """One round of every floor that has a server: {"hello", "hello_chart", "hello_nav", "hello_tabs"}."""
    measure = {
        "hello": measure_hello,
        "hello_chart": measure_hello_chart,
        "hello_nav": measure_hello_nav,
        "hello_tabs": measure_hello_tabs,
    }
    return {name: measure[name](browser, url) for name, url in floors.items() if url}


def measure_app(
    browser,
    url: str,
    pages: list[str],
    default_page: str,
    reps: int,
    hello_url: str,
    everything: bool = True,
    hello_tabs_url: str | None = None,
    hello_nav_url: str | None = None,
    hello_chart_url: str | None = None,
) -> dict:
    """The suite on one running Rebound in `reps` rounds, each with its own floors, measured before
    Rebound in even rounds and after it in odd ones, so each round's ratios read Rebound and its
    floors under the same load. everything=False (a growth scale in the default run): the pages,
    then a check-in and the Progress visit after it; no tabs, no page switches and no other actions."""
    paths = {page: url_path(page, default_page) for page in pages}
    with_tabs = everything and "pages/progress.py" in pages
    _warm(browser, url, list(paths.values()), tabs=with_tabs)
    floors = {
        "hello": hello_url,
        "hello_chart": hello_chart_url,
        "hello_nav": hello_nav_url if everything and len(paths) > 1 else None,
        "hello_tabs": hello_tabs_url if with_tabs else None,
    }
    for name, floor_url in floors.items():
        if floor_url:
            _warm(browser, floor_url, ["", "other"] if name in ("hello_chart", "hello_nav") else [""], tabs=False)
    out: dict = {
        "default_page": default_page,
        "floors": [],
        "pages": {p: [] for p in pages},
        "switches": {p: [] for p in pages},
        "tabs": {t: [] for t in PROGRESS_TABS},
        "actions": {a: [] for a in (*ACTIONS, *PAGE_RERUNS)},
        "progress_after_write_s": [],
        "flow": [],
    }
    for rep in range(reps):
        if rep % 2 == 0:
            out["floors"].append(measure_floors(browser, floors))
        for page, path in paths.items():
            with Tab(browser) as tab:
                first, js_first = tab.visit(f"{url}/{path}")
                charts = tab.charts()
                back, js_back = tab.visit(f"{url}/{path}")
                out["pages"][page].append(
                    {
                        "first_s": first,
                        "return_s": back,
                        "js_first": js_first["bytes"],
                        "js_return": js_back["bytes"],
                        "largest_js": js_first["largest"],
                        "charts": charts,
                    }
                )
        if everything and len(paths) > 1:
            with Tab(browser) as tab:
                for page, took in page_switches(tab, url, paths).items():
                    out["switches"][page].append(took)
        if with_tabs:
            with Tab(browser) as tab:
                for name, entry in progress_tabs(tab, url).items():
                    out["tabs"][name].append(entry)
            with Tab(browser) as tab:
                flow = open_flow_diagram(tab, url)
                out["flow"].append(flow)
        # Each action's context has seen Progress once, so the visit after the write is a return
        # visit (JavaScript cached) that differs from the plain one only by the write.
        after = []
        if everything:
            with Tab(browser) as tab:
                tab.visit(f"{url}/progress")
                for name, took in action_save_application(tab, url, rep).items():
                    out["actions"][name].append(took)
                after.append(tab.visit(f"{url}/progress")[0])
        with Tab(browser) as tab:
            tab.visit(f"{url}/progress")
            for name, took in action_save_checkin(tab, url).items():
                out["actions"][name].append(took)
            after.append(tab.visit(f"{url}/progress")[0])
        out["progress_after_write_s"].append(median(after))
        if rep % 2 == 1:
            out["floors"].append(measure_floors(browser, floors))
        log(f"  browser round {rep + 1} of {reps} done")
    return summarize(out)


def per_round(values: list, floors: list) -> dict:
    """Ratios of values to the floor measured in the same round: their median and their spread
    (x_min–x_max). A round with either figure missing counts for neither."""
    ratios = [v / f for v, f in zip(values, floors, strict=False) if v is not None and f]
    if not ratios:
        return {"x": None, "x_min": None, "x_max": None, "rounds": 0}
    return {"x": median(ratios), "x_min": min(ratios), "x_max": max(ratios), "rounds": len(ratios)}


def summarize(raw: dict) -> dict:
    """Medians, each with its ratios to the floors of the same kind: the median of the per-round
    ratios and their spread (see per_round). Keys: `x…` ÷ the plain hello-world (the root visit,
    a button click), `x_chart…` ÷ the one-chart floor reached the same way, `x_chart_tab` ÷ the
    chart-tab floor's switch."""
    rounds = raw["floors"]
    n = len(rounds)

    def floor(kind: str, key: str) -> list:
        return [(r.get(kind) or {}).get(key) for r in rounds]

    hello: dict = {}
    for kind in ("hello", "hello_chart", "hello_nav", "hello_tabs"):
        for key in {k for r in rounds for k in (r.get(kind) or {})}:
            hello[key if kind in ("hello", "hello_tabs", "hello_nav") else f"chart_{key}"] = median(floor(kind, key))
    default = raw.get("default_page")
    pages = {}
    for page, runs in raw["pages"].items():
        if not runs:
            continue
        e = {k: median(r[k] for r in runs) for k in ("first_s", "return_s", "js_first", "js_return")}
        deep = page != default
        for visit in ("first", "return"):
            values = [r[f"{visit}_s"] for r in runs]
            e[f"{visit}_x_rounds"] = per_round(values, floor("hello", f"{visit}_s"))
            e[f"{visit}_x"] = e[f"{visit}_x_rounds"]["x"]
            # ÷ a floor reached the same way: a page's own address, or the root for the default page
            same_way = f"deep_{visit}_s" if deep else f"{visit}_s"
            e[f"{visit}_x_chart_rounds"] = per_round(values, floor("hello_chart", same_way))
            e[f"{visit}_x_chart"] = e[f"{visit}_x_chart_rounds"]["x"]
            plain = floor("hello_nav", same_way) if deep else floor("hello", same_way)
            e[f"{visit}_x_same_way"] = per_round(values, plain)["x"]
        switches = raw.get("switches", {}).get(page) or []
        if switches:
            e["switch_s"] = median(switches)
            e["switch_x"] = per_round(switches, floor("hello_nav", "switch_s"))["x"]
            e["switch_x_chart_rounds"] = per_round(switches, floor("hello_chart", "switch_s"))
            e["switch_x_chart"] = e["switch_x_chart_rounds"]["x"]
            e["switch_runs_s"] = switches
        e["charts"] = runs[-1]["charts"]
        e["largest_js"] = runs[0]["largest_js"]
        e["runs"] = runs
        pages[page] = e
    tabs = {}
    for name, runs in raw["tabs"].items():
        if runs:
            values = [r["s"] for r in runs]
            tabs[name] = {
                "s": median(values),
                "x": per_round(values, floor("hello", "click_s"))["x"],
                "x_chart_tab_rounds": per_round(values, floor("hello_tabs", "chart_tab_s")),
                "js": median(r["js"]["bytes"] for r in runs),
                "charts": runs[-1]["charts"],
                "largest_js": runs[0]["js"]["largest"],
                "runs_s": values,
            }
            tabs[name]["x_chart_tab"] = tabs[name]["x_chart_tab_rounds"]["x"]
    actions = {}
    for name, runs in raw["actions"].items():
        js = None
        if name in SWITCH_TABS:  # a fresh context's first switch to that tab (its JavaScript not cached)
            runs = [r["s"] for r in raw["tabs"].get(SWITCH_TABS[name], [])]
        elif name == FLOW:
            flows = raw["flow"]
            runs = [r["s"] if r else None for r in flows]
            js = median(r["js"]["bytes"] for r in flows if r) if any(flows) else None
        if any(r is not None for r in runs):
            # A click against a click: a button on the plain floor and on the one-chart floor; the
            # page run again by R (no click on that page can settle faster) against R on the floor.
            key = "rerun_s" if name in PAGE_RERUNS else "click_s"
            rounds_x = per_round(runs, floor("hello_chart", key))
            actions[name] = {
                "s": median(runs),
                "x": per_round(runs, floor("hello", key))["x"],
                "x_chart": rounds_x["x"],
                "x_chart_rounds": rounds_x,
                "runs_s": runs,
            }
            if name in SWITCH_TABS:
                actions[name]["x_chart_tab"] = tabs[SWITCH_TABS[name]]["x_chart_tab"]
            if js is not None:
                actions[name]["js"] = js
    after_runs = raw["progress_after_write_s"]
    # A return visit to /progress after a write: ÷ the one-chart floor's return visit at its second page
    after_x = per_round(after_runs, floor("hello_chart", "deep_return_s"))
    return {
        "rounds": n,
        "hello": {**hello, "runs": rounds},
        "pages": pages,
        "tabs": tabs,
        "actions": actions,
        "progress_after_write": {
            "s": median(after_runs),
            "x": per_round(after_runs, floor("hello", "return_s"))["x"],
            "x_chart": after_x["x"],
            "x_chart_rounds": after_x,
            "runs_s": after_runs,
        },
    }


def in_app_mode(script: Path) -> bool:
    """True when `streamlit run script` serves it through Streamlit's app mode (st.App: serve.py)."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    return discover_asgi_app(Path(script)).is_asgi_app


def floor_script(work: Path, name: str, source: str, app_mode: bool) -> Path:
    """A floor app written to `work`; with app_mode, served as Rebound's serve.py serves app.py
    (st.App with rebound.ui.base_address's middleware), so every floor is reached the same way."""
    script = work / f"{name}.py"
    script.write_text(source)
    if not app_mode:
        return script
    launcher = work / f"{name}_served.py"
    launcher.write_text(
        "import streamlit as st\n\nfrom rebound.ui import base_address\n\n"
        f"app = st.App({script.name!r}, middleware=base_address.middleware())\n"
    )
    return launcher


def run_suite(
    dbs: dict[str, str],
    default_page: str,
    work: Path,
    pages: dict[str, list[str]],
    full: dict[str, bool],
    reps: int | dict[str, int],
    app: Path = ROOT / "app.py",
) -> dict:
    """{label: summary} for each database in `dbs` (label -> path), one server per floor for all.
    `reps`: rounds, for every database or by label. Served through app mode (serve.py), Rebound
    has its floors served that way too."""
    if not Path(CHROMIUM).exists():
        return {"skipped": f"{CHROMIUM} is missing"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright is not installed"}
    app_mode = in_app_mode(app)
    scripts = {
        name: floor_script(work, name, source, app_mode)
        for name, source in (
            ("hello_browser_app", HELLO_BROWSER_APP),
            ("hello_tabs_app", HELLO_TABS_APP),
            ("hello_nav_app", HELLO_NAV_APP),
            ("hello_chart_app", HELLO_CHART_APP),
        )
    }
    out: dict = {}
    with (
        sync_playwright() as p,
        Server(str(scripts["hello_browser_app"])) as hello,
        Server(str(scripts["hello_tabs_app"])) as hello_tabs,
        Server(str(scripts["hello_nav_app"])) as hello_nav,
        Server(str(scripts["hello_chart_app"])) as hello_chart,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for label, db in dbs.items():
                log(f"browser on {label} …")
                t = time.perf_counter()
                try:
                    with Server(str(app), db) as server:
                        out[label] = measure_app(
                            browser,
                            server.url,
                            pages[label],
                            default_page,
                            reps[label] if isinstance(reps, dict) else reps,
                            hello.url,
                            everything=full[label],
                            hello_tabs_url=hello_tabs.url,
                            hello_nav_url=hello_nav.url,
                            hello_chart_url=hello_chart.url,
                        )
                except Exception as error:  # one scale's failure costs its figures, not the run
                    out[label] = {"error": f"{type(error).__name__}: {error}"[:500]}
                out[label]["elapsed_s"] = time.perf_counter() - t
                out[label]["app"] = Path(app).name
                log(f"  {out[label]['elapsed_s']:.0f} s")
        finally:
            browser.close()
    return out


HEALTH_ASKED_JS = """(url) => {
  const e = performance.getEntriesByType('resource').find(e => e.name === url);
  return e ? e.startTime : null;
}"""


def compare_probe(browser, urls: dict[str, str], paths: list[str], rounds: int) -> dict:
    """Return visits at each page's own address, the same database served two ways ({"app.py":
    url, "serve.py": url}), alternating which goes first in each round: {path: {name: [s, …]},
    "ratio": {path: per-round serve.py ÷ app.py}}."""
    times: dict[str, dict[str, list[float]]] = {path: {name: [] for name in urls} for path in paths}
    # When, after the navigation started, the page asked the base's health check (ms, the browser's
    # own Resource Timing): the probe's cost inside each visit, whatever the load between visits.
    asked: dict[str, dict[str, list[float]]] = {path: {name: [] for name in urls} for path in paths}
    tabs = {name: Tab(browser) for name in urls}
    try:
        for name, url in urls.items():  # each context's first visit: the JavaScript cached
            for path in paths:
                tabs[name].visit(f"{url}/{path}")
        for n in range(rounds):
            order = list(urls) if n % 2 == 0 else list(urls)[::-1]
            for path in paths:
                for name in order:
                    times[path][name].append(tabs[name].visit(f"{urls[name]}/{path}")[0])
                    asked[path][name].append(tabs[name].page.evaluate(HEALTH_ASKED_JS, f"{urls[name]}/_stcore/health"))
    finally:
        for tab in tabs.values():
            tab.close()
    before, after = list(urls)
    return {
        "times": times,
        "median_s": {path: {name: median(v) for name, v in by.items()} for path, by in times.items()},
        "ratio": {path: per_round(by[after], by[before]) for path, by in times.items()},
        "health_asked_ms": {path: {name: median(v) for name, v in by.items()} for path, by in asked.items()},
        "health_asked_runs_ms": asked,
    }


def probe_main(db: str, work: Path, paths: list[str], rounds: int) -> dict:
    """`--compare-probe`: Rebound and the two-page hello-world, each served by `streamlit run`
    (app.py: the front end probes a page's own address) and through serve.py's app mode."""
    from playwright.sync_api import sync_playwright

    nav_plain = floor_script(work, "hello_nav_app", HELLO_NAV_APP, app_mode=False)
    nav_served = floor_script(work, "hello_nav_app", HELLO_NAV_APP, app_mode=True)
    dbs = {}
    for name in ("app", "serve"):
        dbs[name] = str(work / f"{name}.duckdb")
        Path(dbs[name]).write_bytes(Path(db).read_bytes())
    with (
        sync_playwright() as p,
        Server(str(ROOT / "app.py"), dbs["app"]) as plain,
        Server(str(ROOT / "serve.py"), dbs["serve"]) as served,
        Server(str(nav_plain)) as floor_plain,
        Server(str(nav_served)) as floor_served,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            _warm(browser, plain.url, ["", *paths], tabs=False)
            _warm(browser, served.url, ["", *paths], tabs=False)
            rebound = compare_probe(browser, {"app.py": plain.url, "serve.py": served.url}, paths, rounds)
            floor = compare_probe(browser, {"app.py": floor_plain.url, "serve.py": floor_served.url}, ["other"], rounds)
        finally:
            browser.close()
    return {"rebound": rebound, "floor": floor}


def render_probe(result: dict) -> list[str]:
    lines = [
        "Return visit at a page's own address, served by `streamlit run app.py` (probe) and `streamlit run "
        "serve.py` (no probe), interleaved; seconds median, ratio serve ÷ app per round, median (min–max):"
    ]
    for label, r in (("Rebound", result["rebound"]), ("two-page hello-world", result["floor"])):
        for path, by in r["median_s"].items():
            x = r["ratio"][path]
            lines.append(
                f"  {label} /{path}: app.py {by['app.py']:.3f} s, serve.py {by['serve.py']:.3f} s, "
                f"{x['x']:.2f}× ({x['x_min']:.2f}–{x['x_max']:.2f}) over {x['rounds']} rounds"
            )
            h = r["health_asked_ms"][path]
            if h.get("app.py") is not None and h.get("serve.py") is not None:
                lines.append(
                    f"    the base's health check asked {h['app.py']:.0f} ms after the navigation started "
                    f"(app.py) against {h['serve.py']:.0f} ms (serve.py)"
                )
    return lines


def main(argv=None) -> int:
    """The browser part alone, on the heavy user (or --db): `python -m benchmarks.browser`."""
    import argparse
    import datetime as dt
    import json
    import shutil
    import tempfile

    from benchmarks import bench

    p = argparse.ArgumentParser(prog="python -m benchmarks.browser", description=__doc__.split("\n\n")[0])
    p.add_argument("--db", help="a Rebound database to copy and measure (default: the benchmark's heavy user)")
    p.add_argument("--pages", nargs="*", default=None, help="only these pages (default: every page in app.py)")
    p.add_argument("--reps", type=int, default=5, help="interleaved browser rounds (default %(default)s)")
    p.add_argument("--app", default="app.py", help="the script to serve: app.py, or serve.py (no base-address probe)")
    p.add_argument("--out", help="also write the JSON here")
    p.add_argument(
        "--compare-probe",
        action="store_true",
        help="only: return visits at each page's own address served by app.py and by serve.py, interleaved",
    )
    args = p.parse_args(argv)
    all_pages = bench.pages_in_app()
    pages = args.pages or all_pages
    load_start = os.getloadavg()
    t = time.perf_counter()
    if args.db:
        source = args.db
    else:
        cache = ROOT / "bench-results" / "db"
        source = bench.build_databases(cache, dict(bench.FULL), dt.date.today())["heavy"]["path"]
    with tempfile.TemporaryDirectory(prefix="rebound-browser-") as tmp:
        work = Path(tmp)
        db = str(work / "heavy.duckdb")
        shutil.copyfile(source, db)
        if args.compare_probe:
            paths = [url_path(page, all_pages[0]) for page in pages if page != all_pages[0]]
            probe = probe_main(db, work, paths, args.reps)
            print("\n".join(render_probe(probe)))
            if args.out:
                Path(args.out).write_text(json.dumps({"probe": probe, "load": os.getloadavg()}, indent=2))
            return 0
        results = run_suite(
            {"heavy": db},
            default_page=all_pages[0],
            work=work,
            pages={"heavy": pages},
            full={"heavy": True},
            reps=args.reps,
            app=ROOT / args.app,
        )
    load_end = os.getloadavg()
    print("\n".join(bench.render_browser(results)))
    for name, e in (results.get("heavy") or {}).get("tabs", {}).items():
        if e.get("largest_js"):
            print(f"  tab {name} loaded: {', '.join(f'{f} {bench._mb(b)} MB' for f, b in e['largest_js'])}")
    for name, e in (results.get("heavy") or {}).get("actions", {}).items():
        if "js" in e:
            print(f"  {name}: JS {bench._mb(e['js'])} MB over the network")
    elapsed = time.perf_counter() - t
    print(
        f"\n{elapsed:.0f} s · load average (1/5/15 min) {'/'.join(f'{v:.1f}' for v in load_start)} at the start, "
        f"{'/'.join(f'{v:.1f}' for v in load_end)} at the end"
    )
    if args.out:
        Path(args.out).write_text(
            json.dumps(
                {"browser": results, "load": [load_start, load_end], "elapsed_s": elapsed}, indent=2, default=str
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
