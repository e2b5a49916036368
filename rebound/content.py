"""The one reader of rebound/content/*.toml (questions, phrases, metrics, templates, the vocabularies).

Each file is parsed once per process (content ships with the package and never changes while the
app runs). A file that is not valid TOML raises ContentError naming the file, so a typo in a
content edit says where it is instead of surfacing as a bare tomllib traceback.
The parsed data is shared between callers: read it, copy before changing it.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

FOLDER = resources.files("rebound") / "content"  # data only: this module is its one reader


class ContentError(ValueError):
    """A content file is missing or is not valid TOML; the message names the file."""


def parse(text: str, source: str = "<text>") -> dict:
    """TOML text as a dict; ContentError naming `source` if it does not parse."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{source} is not valid TOML: {error}") from error


@functools.cache
def load(name: str) -> dict:
    """rebound/content/<name> parsed (cached for the process)."""
    entry = FOLDER / name
    try:
        text = entry.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ContentError(f"rebound/content/{name} does not exist") from error
    return parse(text, f"rebound/content/{name}")


def names(prefix: str = "") -> list[str]:
    """The content files whose names start with `prefix`, sorted."""
    return sorted(e.name for e in FOLDER.iterdir() if e.name.startswith(prefix) and e.name.endswith(".toml"))
