"""`extractor documents` off a terminal prints every column whole, however long a file name is."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from extractor.cli import main


def test_documents_off_a_terminal_cuts_nothing(
    seed_paths: dict[str, Path], tmp_path: Path, db_url: str
) -> None:
    long_name = tmp_path / ("a-very-long-file-name-of-a-published-disclosure-" * 3 + "004.txt")
    long_name.write_bytes(seed_paths["004"].read_bytes())
    db = db_url
    runner = CliRunner()
    env = {"EXTRACTOR_DATA_DIR": str(tmp_path / "var"), "EXTRACTOR_BACKEND": "rules", "COLUMNS": "80"}
    stored = runner.invoke(main, ["ingest", "--backend", "rules", "--db", db, str(long_name)], env=env)
    assert stored.exit_code == 0, stored.output
    listed = runner.invoke(main, ["documents", "--db", db], env=env)
    assert listed.exit_code == 0, listed.output
    assert long_name.name in listed.output
    assert max(len(line) for line in listed.output.splitlines()) > 80
