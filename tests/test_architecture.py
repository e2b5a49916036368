"""The architecture's rules, enforced rather than remembered: the import-linter contracts in
pyproject.toml ([tool.importlinter]) hold for the code as it is, ruff (lint and format) is clean, and
rebound/'s functions are typed (ruff's ANN rules) and their types check (mypy)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    # In a fresh interpreter from the checkout's root, so the packages read are this checkout's.
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


SOURCES = ["app.py", "rebound", "pages", "tests", "benchmarks"]


def test_ruff_finds_nothing_and_the_code_is_formatted():
    # ruff's rules and width are in pyproject.toml ([tool.ruff]); the test extra pins ruff's version.
    for check in (["check"], ["format", "--check"]):
        run = subprocess.run(
            [sys.executable, "-m", "ruff", *check, *SOURCES], cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert run.returncode == 0, " ".join(check) + ":\n" + run.stdout[-4000:] + run.stderr[-2000:]


def test_rebounds_types_check():
    # mypy's settings are in pyproject.toml ([tool.mypy]: files = rebound); no cache, so a stale one
    # from another checkout cannot hide an error.
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", "/dev/null"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "no issues found" in run.stdout
