"""Rebound with a warm start: `streamlit run serve.py` (same app as `streamlit run app.py`).

`streamlit run` sees the st.App below and serves app.py through it. The lifespan hook starts
importing pandas, DuckDB and the first page's modules as the server starts, while the
browser is still loading Streamlit's frontend, so the first page appears about 0.4 s sooner
(see the README's Performance section).
"""

import contextlib
import threading

import streamlit as st

from rebound.warmup import warm_up


@contextlib.asynccontextmanager
async def lifespan(app):
    threading.Thread(target=warm_up, name="rebound-warm-up", daemon=True).start()
    yield


app = st.App("app.py", lifespan=lifespan)
