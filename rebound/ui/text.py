"""User text made inert before it reaches anything that renders Markdown (or HTML)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from rebound.vocab import fill

_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&=^\"'@%")
# Streamlit's Markdown (GFM) links bare URLs and e-mail addresses in the rendered text, escaped or not:
# an invisible word joiner keeps them plain text.
_NO_AUTOLINK = (("://", ":\u2060//"), ("www.", "www\u2060."), ("WWW.", "WWW\u2060."), ("@", "@\u2060"))


def md_escape(text: object) -> str:
    """User text made inert for st.markdown: no markdown, no HTML, no LaTeX, no links."""
    if text is None or (isinstance(text, float) and text != text):  # None or NaN
        return ""
    text = str(text)
    for plain, inert in _NO_AUTOLINK:
        text = text.replace(plain, inert)
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
