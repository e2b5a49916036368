"""rebound.ui.base_address: the page Streamlit serves states the app's base address, and anything
the middleware cannot read goes through unchanged. The browser half (no probe on a direct visit)
is tests/browser/test_browser_base_address.py."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import re
from pathlib import Path

import pytest
import streamlit

from rebound.ui import base_address
from rebound.ui.base_address import StateBaseAddress, insert_script, page_part

ROOT = Path(__file__).resolve().parents[2]
STATIC = Path(streamlit.__file__).parent / "static"
PAGE = b"<!DOCTYPE html><html><head><meta charset='UTF-8'></head><body></body></html>"


def _bundle() -> str:
    (index,) = [p for p in (STATIC / "static" / "js").glob("index.*.js") if not p.name.startswith("index.esm")]
    return index.read_text(encoding="utf-8")


def test_this_streamlit_reads_the_base_address_from_window_streamlit():
    """What the middleware relies on. If a Streamlit upgrade fails this, the app still works (with
    the probe): read the new bundle and adapt rebound/ui/base_address.py, or drop serve.py."""
    bundle = _bundle()
    # The setting is read once, from window.__streamlit, when the bundle loads ...
    assert re.search(r"let (\w+)=window\.__streamlit;if\(\1\)", bundle)
    assert re.search(r"get BACKEND_BASE_URL\(\)\{return \w+\?\.BACKEND_BASE_URL\}", bundle)
    # ... and the addresses tried are that one alone when its path is the root, else it and its parent.
    candidates = re.search(
        r"function \w+\(\)\{let \w+=\w+\((\w+)\.BACKEND_BASE_URL\),\{pathname:(\w+)\}=\w+;if\(\2===`/`\)", bundle
    )
    assert candidates, "the base-address candidates no longer start from BACKEND_BASE_URL"
    assert "_stcore/health" in bundle
    # The page it is inserted into: Streamlit's index.html, with a <head> and its script a module
    # (run after every classic script in the page, so after ours).
    html = (STATIC / "index.html").read_bytes()
    assert insert_script(html, "progress") is not None
    assert re.search(rb'<script type="module"[^>]*src="\./static/js/index\.', html)


@pytest.mark.parametrize(
    ("path", "base", "tail"),
    [
        ("/progress", "", "progress"),
        ("/progress/", "", "progress"),
        ("/", "", None),  # the root: nothing to find, nothing to state
        ("/pre/fix/progress", "pre/fix", "progress"),
        ("/pre/fix/progress", "/pre/fix/", "progress"),
        ("/pre/fix", "pre/fix", None),
        ("/elsewhere/progress", "pre/fix", None),  # outside the base
        ("/pre/fixed/progress", "pre/fix", None),
        ("/caf\u00e9", "", None),  # a browser shows it percent-encoded: not compared
        ("/a b", "", None),
        ("/outcomes/extra", "", "outcomes/extra"),
    ],
)
def test_the_page_part_is_the_path_below_the_base(path, base, tail):
    assert page_part(path, base) == tail


def _serve(response_headers: list, body_chunks: list[bytes], path: str = "/progress", method: str = "GET", **kw):
    """Run the middleware over an app that answers with these headers and body chunks."""

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": kw.get("status", 200), "headers": response_headers})
        for i, chunk in enumerate(body_chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": i < len(body_chunks) - 1})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}
    # In a thread of its own: a browser test earlier in this worker leaves Playwright's loop running here.
    middleware = StateBaseAddress(app, base_url_path=kw.get("base", ""))
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, middleware(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return dict(start["headers"]), body


HTML = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(PAGE)).encode())]


def test_a_page_below_the_root_gets_the_script_first_in_its_head_and_a_true_length():
    headers, body = _serve(HTML, [PAGE[:30], PAGE[30:]])  # a body in two chunks
    script = base_address.script_for("progress")
    assert body == PAGE.replace(b"<head>", b"<head>" + script)
    assert b'var tail = "progress"' in script
    assert headers[b"content-length"] == str(len(body)).encode()


def test_a_gzipped_page_is_read_and_sent_plain():
    zipped = gzip.compress(PAGE)
    headers, body = _serve(
        [(b"content-type", b"text/html"), (b"content-encoding", b"gzip"), (b"content-length", b"1")], [zipped]
    )
    assert body.startswith(b"<!DOCTYPE html><html><head><script>")
    assert b"content-encoding" not in headers and headers[b"content-length"] == str(len(body)).encode()


@pytest.mark.parametrize(
    ("headers", "chunks", "kw"),
    [
        (HTML, [PAGE], {"path": "/"}),  # the root
        (HTML, [PAGE], {"method": "HEAD"}),
        (HTML, [PAGE], {"path": "/other/progress", "base": "app"}),  # outside the base
        ([(b"content-type", b"application/javascript")], [b"let a = '<head>'"], {}),  # not a page
        ([(b"content-type", b"text/html"), (b"content-encoding", b"br")], [b"\x01<head>"], {}),  # unread
        ([(b"content-type", b"text/html"), (b"content-encoding", b"gzip")], [b"not gzip"], {}),
        ([(b"content-type", b"text/html")], [b"<html>no head here</html>"], {}),
        (HTML, [b"Not Found"], {"status": 404}),
    ],
)
def test_what_it_cannot_read_goes_through_unchanged(headers, chunks, kw):
    got_headers, body = _serve(headers, chunks, **kw)
    assert body == b"".join(chunks)
    assert got_headers == dict(headers)


def test_serve_py_is_found_as_an_app_and_app_py_is_not():
    """`streamlit run serve.py` serves through app mode; `streamlit run app.py` (the README's
    command, and Community Cloud's) stays on the default server."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    assert discover_asgi_app(ROOT / "serve.py").import_string == "serve:app"
    assert not discover_asgi_app(ROOT / "app.py").is_asgi_app


def test_serve_py_run_as_a_plain_script_is_rebound_as_usual(monkeypatch, db_path):
    """Where `streamlit run serve.py` cannot use app mode (a Streamlit without st.App runs the file
    as a script), it runs app.py: the app works, with the probe."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from rebound import ui

    monkeypatch.setenv("REBOUND_DB", db_path)
    monkeypatch.chdir(ROOT)
    try:
        at = AppTest.from_file(str(ROOT / "serve.py"), default_timeout=60).run()
        assert not at.exception, [e.message for e in at.exception]
        assert [t.value for t in at.title] == ["Today"]  # app.py ran: its default page
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
        ui.clear_cached()
