"""serve.py: the README's entry point is an st.App whose lifespan warms the first page's imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from streamlit.web.server.app_discovery import discover_asgi_app

from rebound import warmup

ROOT = Path(__file__).resolve().parents[1]


def test_streamlit_run_serves_serve_py_as_an_asgi_app():
    found = discover_asgi_app(ROOT / "serve.py")
    assert found.is_asgi_app and found.app_name == "app"
    assert not discover_asgi_app(ROOT / "app.py").is_asgi_app  # app.py stays a plain script


def test_warm_up_imports_the_first_pages_modules_in_a_fresh_interpreter():
    code = ("import sys; from rebound.warmup import warm_up, FIRST_PAGE_MODULES; "
            "before = [m for m in FIRST_PAGE_MODULES if m in sys.modules]; failed = warm_up(); "
            "print(before, failed, all(m in sys.modules for m in FIRST_PAGE_MODULES))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("] ")[-1].strip() == "True"
    assert "[] [] True" in out.stdout  # nothing was loaded before, nothing failed, all loaded after


def test_a_failed_warm_up_import_is_reported_not_raised():
    assert warmup.warm_up(("json", "rebound.no_such_module")) == ["rebound.no_such_module"]
