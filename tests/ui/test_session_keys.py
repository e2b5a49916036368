"""Session state is named in rebound/ui/session.py, not retyped: no page or ui module (other than
session.py) indexes st.session_state with a string literal, unless the string is a widget key
named in session.WIDGET_KEYS.

An AST scan, so it is enforced, not remembered: `st.session_state["x"]`, `.get("x")`, `.pop("x")`,
`.setdefault("x")`, `"x" in st.session_state`, and the same through an alias (`state = st.session_state`).
"""

import ast
from pathlib import Path

import pytest

from rebound.ui import session

ROOT = Path(__file__).resolve().parents[1]
while not (ROOT / "pyproject.toml").exists():  # wherever this file sits under tests/
    ROOT = ROOT.parent
MODULES = sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "rebound" / "ui").glob("*.py")])
ACCESSORS = {"get", "pop", "setdefault"}


def _is_session_state(node: ast.AST, aliases: set[str]) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "session_state":
        return True
    return isinstance(node, ast.Name) and node.id in aliases


def literal_keys(source: str) -> list[tuple[int, str]]:
    """(line, key) for every string-literal key this source uses on st.session_state."""
    tree = ast.parse(source)
    aliases = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and _is_session_state(node.value, set())
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found = []

    def check(key: ast.AST | None) -> None:
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            found.append((key.lineno, key.value))

    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_session_state(node.value, aliases):
            check(node.slice)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ACCESSORS
            and _is_session_state(node.func.value, aliases)
            and node.args
        ):
            check(node.args[0])
        elif isinstance(node, ast.Compare) and any(
            isinstance(op, (ast.In, ast.NotIn)) and _is_session_state(right, aliases)
            for op, right in zip(node.ops, node.comparators)
        ):
            check(node.left)
    return found


def test_the_scan_finds_each_way_of_retyping_a_key():
    source = """
import streamlit as st
state = st.session_state
st.session_state["a"] = 1
st.session_state.get("b")
state.pop("c", None)
state.setdefault("d", 0)
if "e" in state:
    del state["f"]
st.session_state[KEY] = 2  # a name: fine
"""
    assert [k for _, k in literal_keys(source)] == ["a", "b", "c", "d", "e", "f"]


def test_the_modules_scanned_are_there():
    names = {p.name for p in MODULES}
    assert {"outcomes.py", "data.py", "session.py"} <= names


@pytest.mark.parametrize(
    "path", [p for p in MODULES if p.name != "session.py"], ids=lambda p: p.parent.name + "/" + p.name
)
def test_no_bare_session_key(path):
    bare = [(line, key) for line, key in literal_keys(path.read_text()) if key not in session.WIDGET_KEYS]
    assert not bare, (
        f"{path.relative_to(ROOT)} keeps {bare} in st.session_state by a string literal: name it once in "
        "rebound/ui/session.py (a Slot, or a widget key in WIDGET_KEYS)"
    )
