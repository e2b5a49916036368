"""rebound.errors: the exceptions every layer shares, defined once; the old names are the same classes."""

from __future__ import annotations

import ast
from pathlib import Path

from rebound import db, errors, outcomes, sessions
from rebound.mail import parse

ROOT = Path(__file__).resolve().parents[1]
SHARED = {
    name
    for name in vars(errors)
    if isinstance(getattr(errors, name), type) and issubclass(getattr(errors, name), Exception)
}


def test_the_old_names_are_the_classes_defined_in_errors():
    assert outcomes.ValidationError is errors.ValidationError
    assert db.DatabaseError is errors.DatabaseError
    assert db.DatabaseLockedError is errors.DatabaseLockedError and db.DatabaseFileError is errors.DatabaseFileError
    assert sessions.SessionsFull is errors.SessionsFull
    assert parse.MailReadError is errors.MailReadError
    assert issubclass(errors.DatabaseLockedError, errors.DatabaseError)


def test_no_other_module_defines_a_shared_exception_again():
    assert {"ValidationError", "DatabaseError", "DatabaseLockedError", "SessionsFull"} <= SHARED
    again = []
    for path in [*(ROOT / "rebound").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), ROOT / "app.py"]:
        if path == ROOT / "rebound" / "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name in SHARED:
                again.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert again == []
