"""The files a command reads: each file named, and the documents under each directory named."""

from __future__ import annotations

from pathlib import Path

from extractor.ingest.readers import READABLE


def expand_paths(paths: tuple[Path, ...] | list[Path]) -> tuple[list[Path], list[str]]:
    """(the files to read, a note for each file skipped). A file in a directory that is not a readable
    format is skipped, and said so; a file named is always read (and fails clearly when it is not one)."""
    files: list[Path] = []
    skipped: list[str] = []
    for p in paths:
        if not p.is_dir():
            files.append(p)
            continue
        for f in sorted(f for f in p.rglob("*") if f.is_file()):
            if f.suffix.lower() in READABLE:
                files.append(f)
            elif not f.name.startswith("."):
                skipped.append(
                    f"{f}: not a document format the product reads "
                    f"({f.suffix or 'no extension'}; it reads {', '.join(READABLE)})"
                )
    return files, skipped
