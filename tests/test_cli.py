"""The `rebound` command line."""

import json
import subprocess
import sys
from pathlib import Path

from rebound.cli import main
from rebound.vocab import CHANNELS, STATUSES


def stats_json(db_path, capsys) -> dict:
    assert main(["stats", "--json", "--db", db_path]) == 0
    return json.loads(capsys.readouterr().out)


def test_stats_on_an_empty_database(db_path, capsys):
    result = stats_json(db_path, capsys)
    assert result["applications"] == 0 and result["weeks"] == []
    assert set(result["by_status"]) == set(STATUSES)


def test_demo_is_deterministic_and_realistic(tmp_path, capsys):
    a, b = str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb")
    assert main(["demo", "--db", a, "--seed", "5", "--weeks", "20"]) == 0
    assert main(["demo", "--db", b, "--seed", "5", "--weeks", "20"]) == 0
    capsys.readouterr()
    first, second = stats_json(a, capsys), stats_json(b, capsys)
    assert first == second
    n = first["applications"]
    assert n >= 20 * 3
    s = first["by_status"]
    assert s["applied"] + s["rejected"] + s["ghosted"] > 0.7 * n  # most get no answer or a no
    assert 0 < s["screen"] + s["interview"] + s["final"] + s["offer"] + s["accepted"] + s["withdrawn"] < 0.25 * n
    assert set(first["by_channel"]) <= set(CHANNELS) and len(first["by_channel"]) >= 4
    weeks = first["weeks"]
    assert 20 <= len(weeks) <= 24
    assert sum(w["applications"] for w in weeks) == n
    assert all(len(w["week"]) == 10 and w["week"][4] == "-" for w in weeks)  # the Monday's ISO date
    assert sum(w["rejections"] for w in weeks) == s["rejected"] or sum(w["rejections"] for w in weeks) >= s["rejected"]
    assert sum(w["responses"] for w in weeks) <= n


def test_weekly_counts_by_hand(store, db_path, capsys):
    import datetime as dt

    a = store.applications.add("A", "r", "referral", dt.date(2026, 11, 2))  # Monday
    b = store.applications.add("B", "r", "job board", dt.date(2026, 11, 8))  # Sunday, same week
    store.applications.add_event(a, "screen", dt.date(2026, 11, 10))
    store.applications.add_event(a, "interview", dt.date(2026, 11, 12), round=1)
    store.applications.add_event(b, "rejected", dt.date(2026, 11, 16), stage="applied")
    store.db.close()
    result = stats_json(db_path, capsys)
    base = ["week", "applications", "responses", "interviews", "rejections", "offers"]
    assert [{k: w[k] for k in base} for w in result["weeks"][:3]] == [
        {"week": "2026-11-02", "applications": 2, "responses": 0, "interviews": 0, "rejections": 0, "offers": 0},
        {"week": "2026-11-09", "applications": 0, "responses": 1, "interviews": 1, "rejections": 0, "offers": 0},
        {"week": "2026-11-16", "applications": 0, "responses": 1, "interviews": 0, "rejections": 1, "offers": 0},
    ]
    assert result["by_status"]["interview"] == 1 and result["by_status"]["rejected"] == 1
    assert result["by_channel"] == {"job board": 1, "referral": 1}


def test_demo_refuses_to_mix_with_real_entries(store, db_path, capsys):
    import datetime as dt

    store.applications.add("Real Co", "Analyst", "referral", dt.date(2026, 11, 2))
    store.db.close()
    assert main(["demo", "--db", db_path]) == 2
    assert "never mixes" in capsys.readouterr().err


def test_module_entry_point_and_locked_database(db_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({db_path!r}); print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        run = subprocess.run(
            [sys.executable, "-m", "rebound", "stats", "--json", "--db", db_path],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 1
        assert "in use by another program" in run.stderr and "Traceback" not in run.stderr
    finally:
        holder.kill()
        holder.wait()


def test_demo_force_replaces_instead_of_doubling(tmp_path, capsys):
    path = str(tmp_path / "demo.duckdb")
    assert main(["demo", "--db", path, "--weeks", "8", "--seed", "1"]) == 0
    capsys.readouterr()
    first = stats_json(path, capsys)
    assert main(["demo", "--db", path, "--weeks", "8", "--seed", "1"]) == 2  # refuses without --force
    capsys.readouterr()
    assert main(["demo", "--db", path, "--weeks", "8", "--seed", "1", "--force"]) == 0
    capsys.readouterr()
    assert stats_json(path, capsys) == first  # the same demo, not twice the rows


def test_demo_is_one_transaction(store, monkeypatch):
    """A demo that fails at its last step leaves nothing: the areas' generators joined one transaction."""
    import pytest

    from rebound import demo

    def fail_last(store_, rng, today, weeks):
        assert store_.applications.count() > 0  # the applications were written (inside the transaction)
        raise RuntimeError("killed at the last step")

    monkeypatch.setattr("rebound.demo.feedback.generate", fail_last)
    with pytest.raises(RuntimeError):
        demo.generate(store, weeks=6, seed=1)
    assert all(n == 0 for n in store.account.row_counts().values())


def test_stats_into_a_closed_pipe_prints_no_traceback(tmp_path):
    path = str(tmp_path / "pipe.duckdb")
    assert main(["demo", "--db", path, "--weeks", "4"]) == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "rebound", "stats", "--db", path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proc.stdout.close()  # `rebound stats | head -0`: the reader is gone before anything is written
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_no_module_of_rebound_imports_the_cli():
    """The CLI sits on top: the importers, exporters, backup and mail never reach up into it (issue 16)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "rebound"
    reaching_up = []
    for path in root.rglob("*.py"):
        if path.name == "__main__.py" and path.parent == root:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "rebound.cli" or n.startswith("rebound.cli.") for n in names):
                reaching_up.append(str(path.relative_to(root)))
    assert reaching_up == []


def test_the_cli_wires_its_commands_by_import_not_by_name():
    """Every command's function is a module-level function of rebound.cli (no "module:function" registry)."""
    import rebound.cli as cli

    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == {
        "demo",
        "stats",
        "diagnose",
        "import",
        "export",
        "backup",
        "restore",
        "mail",
        "encrypt",
        "decrypt",
    }
    for name, command in sub.choices.items():
        func = command.get_default("func")
        assert func.__module__ == "rebound.cli" and getattr(cli, func.__name__) is func, name
    assert "importlib" not in Path(cli.__file__).read_text(encoding="utf-8")


def test_building_the_parser_loads_no_pandas():
    """`rebound --help` (and any command that needs no frame) starts without pandas: the parser is built
    from the formats' and exports' names only. Before, every command imported pandas through the importers."""
    code = (
        "import sys; from rebound.cli import build_parser; build_parser().parse_args(['stats']); "
        "heavy = [m for m in ('pandas', 'pyarrow', 'openpyxl', 'numpy') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.strip() == "[]"
    help_text = subprocess.run(
        [sys.executable, "-m", "rebound", "--help"], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert "import" in help_text and "export" in help_text and "mail" in help_text
