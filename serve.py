"""Rebound served without the base-address probe: `streamlit run serve.py` (flags as for app.py).

The same app as `streamlit run app.py`, through Streamlit's app mode (`st.App`, which `streamlit
run` finds in this file), with one middleware that states the app's base address in the page it
serves: a visit straight to a page's own address (/progress) then skips the front end's probe of
/progress/_stcore/health (about 0.1 s). Why and how: rebound/ui/base_address.py.
"""

import streamlit as st

from rebound.ui import base_address

if __name__ == "__main__":
    # Run as a plain script: this Streamlit has no app mode. Rebound as usual, with the probe.
    import runpy
    from pathlib import Path

    runpy.run_path(str(Path(__file__).with_name("app.py")), run_name="__main__")
else:
    app = st.App("app.py", middleware=base_address.middleware())
