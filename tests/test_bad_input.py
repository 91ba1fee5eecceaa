"""Bad input gets a clear one-line error, is recorded, and loses or duplicates nothing stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from extractor.cli import main
from extractor.errors import IngestError
from extractor.ingest import ingest_bytes
from extractor.pipeline import extract_bytes
from extractor.settings import Settings
from extractor.storage import make_engine, session_scope
from extractor.storage.tables import DocumentRow, FieldRow, IngestFailureRow

RULES = Settings(backend="rules")


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "empty.txt", "empty"),
        (b"   \n\n", "blank.txt", "empty"),
        (b"%PDF-1.4\n%garbage that is not a pdf body\n", "broken.pdf", "corrupt"),
        (bytes(range(256)) * 20, "blob.txt", "binary"),
        (b"PK\x03\x04 not really a zip", "fake.docx", "corrupt"),
        (b"hello", "sheet.xlsx", "corrupt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.doc", "Word"),
    ],
)
def test_unreadable_files_raise_clear_errors(data: bytes, name: str, words: str) -> None:
    with pytest.raises(IngestError) as info:
        ingest_bytes(data, name)
    message = info.value.user_message()
    assert message.startswith(name)
    assert words in message
    assert "\n" not in message


def test_document_without_tables_is_read_with_a_warning() -> None:
    text = "第一部分 概况\n一、主要职能\n本单位负责市场监督管理。\n".encode()
    result = extract_bytes(text, "notes.txt", settings=RULES)
    assert [r.kind for r in result.records][:1] == ["document"]
    assert any("no budget or performance table" in e for e in result.errors)


def _counts(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    with session_scope(engine) as s:
        docs = s.scalar(select(func.count()).select_from(DocumentRow)) or 0
        fields = s.scalar(select(func.count()).select_from(FieldRow)) or 0
        failures = s.scalar(select(func.count()).select_from(IngestFailureRow)) or 0
    return docs, fields, failures


def test_ingest_goes_on_after_bad_files_and_loses_nothing(
    tmp_path: Path, seed_paths: dict[str, Path], db_url: str
) -> None:
    url = db_url
    good = tmp_path / "004.txt"
    shutil.copy(seed_paths["004"], good)
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", str(good), "--backend", "rules", "--db", url])
    assert first.exit_code == 0, first.output
    before = _counts(url)
    assert before[0] == 1 and before[1] > 200

    bad_pdf = tmp_path / "broken.pdf"
    bad_pdf.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    other = tmp_path / "002.txt"
    shutil.copy(seed_paths["002"], other)
    second = runner.invoke(
        main, ["ingest", str(bad_pdf), str(empty), str(good), str(other), "--backend", "rules", "--db", url]
    )
    assert second.exit_code == 1
    assert "broken.pdf" in second.output and "empty.txt" in second.output
    docs, fields, failures = _counts(url)
    assert docs == 2  # 004 stored once, 002 added
    assert fields > before[1]
    assert failures == 2
    third = runner.invoke(main, ["ingest", str(good), "--backend", "rules", "--db", url])
    assert third.exit_code == 0
    assert _counts(url)[:2] == (docs, fields)


def test_an_output_that_cannot_be_written_costs_that_file_only(
    tmp_path: Path, seed_paths: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """extract: a file whose JSON cannot be written (here a full disk) gets one line, the batch goes on, and
    an older JSON at that path is left whole; export: one line and exit 1, the old file intact."""
    import os

    real_replace = os.replace

    def full_disk_for_002(src: str, dst: str) -> None:
        if Path(dst).name == "002.json":
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr("extractor.files.os.replace", full_disk_for_002)
    out = tmp_path / "out"
    out.mkdir()
    (out / "002.json").write_text("older export", encoding="utf-8")
    inputs = [tmp_path / "002.txt", tmp_path / "004.txt"]
    for name, path in zip(("002", "004"), inputs, strict=True):
        shutil.copy(seed_paths[name], path)
    runner = CliRunner()
    result = runner.invoke(main, ["extract", *map(str, inputs), "--backend", "rules", "--out", str(out)])
    assert result.exit_code == 1
    said = " ".join(result.output.split())  # the console wraps long lines at its width
    assert said.count("cannot write") == 1
    assert "error 002.txt: cannot write" in said and "002.json: No space left on device" in said
    assert "Traceback" not in result.output
    assert (out / "002.json").read_text(encoding="utf-8") == "older export"
    assert (out / "004.json").stat().st_size > 1000
    assert sorted(p.name for p in out.iterdir()) == ["002.json", "004.json"]  # no temporary left

    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert runner.invoke(main, ["ingest", str(inputs[0]), "--backend", "rules", "--db", db]).exit_code == 0
    target = out / "002.json"
    exported = runner.invoke(main, ["export", "--all", "--db", db, "--out", str(target)])
    assert exported.exit_code == 1
    assert "No space left on device" in " ".join(exported.output.split())
    assert "Traceback" not in exported.output
    assert target.read_text(encoding="utf-8") == "older export"


@pytest.mark.parametrize(
    "command",
    [["documents"], ["export", "--all", "--out", "x.json"], ["users", "list"], ["users", "revoke", "r1"]],
)
def test_a_damaged_database_is_one_line_for_every_command(tmp_path: Path, command: list[str]) -> None:
    damaged = tmp_path / "store.sqlite"
    damaged.write_bytes(b"this is not a SQLite database file, " * 200)
    args = [*command, "--db", f"sqlite:///{damaged}"]
    result = CliRunner().invoke(main, [a.replace("x.json", str(tmp_path / "x.json")) for a in args])
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "the database file is not a SQLite database or is damaged" in said
    assert "Traceback" not in result.output and "[SQL:" not in result.output
    assert damaged.read_bytes().startswith(b"this is not a SQLite")  # nothing written over it


def test_a_driver_error_mid_command_is_one_line_without_sql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure the driver raises after the store opened (here SQLite's lock timeout) is said by its cause,
    without the statement and parameters SQLAlchemy appends."""
    from sqlalchemy.exc import OperationalError

    import extractor.storage

    def locked(*_args: object, **_kw: object) -> None:
        raise OperationalError("SELECT documents.id FROM documents", {}, Exception("database is locked"))

    monkeypatch.setattr(extractor.storage, "list_documents", locked)
    result = CliRunner().invoke(main, ["documents", "--db", f"sqlite:///{tmp_path / 'ok.sqlite'}"])
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "cannot use the database: the database is locked by another process" in said
    assert "SELECT" not in said and "Traceback" not in result.output
