"""rebound.content: the one reader of rebound/content/*.toml."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from rebound import content

ROOT = Path(__file__).resolve().parents[1]


def test_every_content_file_loads_and_is_read_once():
    names = content.names()
    assert "goal_metrics.toml" in names and "mail_rules.toml" in names
    for name in names:
        assert isinstance(content.load(name), dict)
    assert content.load("themes.toml") is content.load("themes.toml")  # cached, not re-parsed


def test_reflection_templates_are_listed_by_prefix():
    assert content.names("reflection_") == sorted(n for n in content.names() if n.startswith("reflection_"))
    assert "reflection_journal.toml" in content.names("reflection_")


def test_bad_toml_names_the_file():
    with pytest.raises(content.ContentError, match=r"my_rules\.toml is not valid TOML"):
        content.parse("order = [\n", "my_rules.toml")


def test_missing_file_names_the_file():
    with pytest.raises(content.ContentError, match=r"rebound/content/nope\.toml does not exist"):
        content.load("nope.toml")


def test_no_other_module_parses_toml():
    """The loader exists once: no module in the package but rebound/content.py imports tomllib."""
    offenders = []
    for path in (ROOT / "rebound").rglob("*.py"):
        if path.name == "content.py" and path.parent.name == "rebound":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Import)
                and any(a.name == "tomllib" for a in node.names)
                or isinstance(node, ast.ImportFrom)
                and node.module == "tomllib"
            ):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
