"""Where the database lives: --db flag > REBOUND_DB > Streamlit secrets > default."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

DEFAULT_DB = Path("data") / "rebound.duckdb"
ENV_VAR = "REBOUND_DB"


def db_flag(argv: Sequence[str]) -> str | None:
    """The value of a --db flag in argv, if any (unknown flags are ignored)."""
    return _parse_db_flag(tuple(argv))


@lru_cache(maxsize=16)  # asked on every rerun of every page; argv does not change
def _parse_db_flag(argv: tuple[str, ...]) -> str | None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    known, _ = parser.parse_known_args(list(argv))
    return known.db


def resolve_db_path(
    argv: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    secrets: Mapping | None = None,
) -> str:
    """Pick the database path by precedence; `md:` paths (MotherDuck) pass through."""
    env = os.environ if env is None else env
    flag = db_flag(argv)
    if flag:
        return flag
    if env.get(ENV_VAR):
        return env[ENV_VAR]
    if secrets:
        try:
            value = secrets.get("REBOUND_DB") or (secrets.get("rebound") or {}).get("db")
        except Exception:  # secrets objects raise on access when no file exists
            value = None
        if value:
            return str(value)
    return str(DEFAULT_DB)


def is_local_file(path: str) -> bool:
    return not (path.startswith("md:") or path.startswith("motherduck:") or path == ":memory:")


def other_writers_possible(path: str) -> bool:
    """True where a process other than this one may write the database at the same time: MotherDuck
    (every app instance and the CLI reach the same cloud database). A local file is locked to one
    process by DuckDB, and ":memory:" is private to its connection."""
    return path.startswith("md:") or path.startswith("motherduck:")


def demo_db_path(path: str) -> str:
    """The demo database sits beside the real one, so demo rows never mix with real ones."""
    if not is_local_file(path):
        return ":memory:"
    p = Path(path)
    return str(p.with_name(p.stem + ".demo" + (p.suffix or ".duckdb")))
