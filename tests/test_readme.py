"""The README's map is true: every file and folder its Layout names exists, and every module and
package at the root of `rebound/` is named there (a newcomer finds each one where the map says)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def layout() -> set[str]:
    """The paths the Layout block names: 'app.py', 'pages/', 'rebound/ui/', 'rebound/db.py' …"""
    block = README.split("## Layout", 1)[1].split("```", 2)[1]
    named, parent = set(), ""
    for line in block.splitlines()[1:]:
        indent = len(line) - len(line.lstrip(" "))
        if not line.strip() or indent > 2:  # a description's continuation
            continue
        names = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
        if indent == 0:
            parent = ""
        for name in names.split(", "):
            named.add(parent + name)
        if indent == 0 and names.endswith("/"):
            parent = names
    return named


def test_every_path_the_layout_names_exists():
    named = layout()
    assert len(named) > 20, named
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert missing == [], f"the README's Layout names what does not exist: {missing}"


def test_every_module_and_package_at_the_package_root_is_on_the_map():
    named = layout()
    here = {
        f"rebound/{p.name}/" if p.is_dir() else f"rebound/{p.name}"
        for p in (ROOT / "rebound").iterdir()
        if (p.is_dir() and (p / "__init__.py").exists() or p.suffix == ".py") and not p.name.startswith("__")
    }
    assert sorted(here - named) == [], "modules or packages of rebound/ the README's Layout does not place"


def test_the_readme_links_resolve():
    for target in re.findall(r"\]\((?!https?:|#)([^)]+)\)", README):
        assert (ROOT / target).exists(), target
