"""User text made inert before it reaches anything that renders Markdown (or HTML)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

from rebound.vocab import fill

_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&=^\"'@%")
# Streamlit's Markdown (GFM) links bare URLs and e-mail addresses in the rendered text, escaped or not
# (remark-gfm finds them in each text node after parsing). An empty coloured-text directive splits
# the text node where a link would start: it renders as an empty <span>, so nothing changes on
# screen, for a screen reader, or in what a copy gives (an invisible character would be copied).
_NO_AUTOLINK = re.compile(r"(?=://)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
_SPLIT = ":gray[]"


def md_escape(text: object) -> str:
    """User text made inert for st.markdown: no markdown, no HTML, no LaTeX, no links."""
    if text is None or (isinstance(text, float) and text != text):  # None or NaN
        return ""
    return _SPLIT.join(_escape(part) for part in _NO_AUTOLINK.split(str(text)))


def _escape(text: str) -> str:
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text).replace("\n", "  \n")


def literal(template: str, **user_text: object) -> str:
    """`template` (Rebound's own Markdown) with each `{name}` filled by user text made inert.

    Toasts, captions, labels and help text render Markdown (and toasts HTML): user text must
    never reach them raw. `literal("Logged {company}.", company=name)`.
    """
    return fill(template, **{k: md_escape(v) for k, v in user_text.items()})


def md_table(rows: Iterable[Sequence[object]], header: Sequence[str], numeric: Collection[str] = ()) -> str:
    """A Markdown table of plain cells (each made inert; `numeric` columns right-aligned): for a few
    rows, drawn as text where st.table would load a 0.74 MB Arrow-formatting chunk in the browser."""

    def line(cells: Iterable[object]) -> str:
        return "| " + " | ".join(md_escape(c).replace("  \n", " ") for c in cells) + " |"

    align = "| " + " | ".join("---:" if name in numeric else "---" for name in header) + " |"
    return "\n".join([line(header), align, *(line(row) for row in rows)])
