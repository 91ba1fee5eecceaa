"""Assemble the gold files of the seed dataset: `<stem>.jsonl` = header line + the parts under
`gold-src/<stem>.<part>.jsonl` (budget tables, performance tables), in part-name order.

    .venv/bin/python eval/datasets/seeds/build.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build() -> list[Path]:
    written: list[Path] = []
    for doc in sorted((HERE / "docs").glob("*.txt")):
        stem = doc.stem
        parts = sorted((HERE / "gold-src").glob(f"{stem}.*.jsonl"))
        if not parts:
            continue
        header_path = HERE / "gold-src" / f"{stem}.header.json"
        lines: list[str] = []
        if header_path.exists():
            header = json.loads(header_path.read_text(encoding="utf-8"))
            lines.append(json.dumps(header, ensure_ascii=False))
        for part in parts:
            for line in part.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    json.loads(line)  # each line must be one JSON object
                    lines.append(line)
        out = HERE / f"{stem}.jsonl"
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(out)
    return written


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(HERE))
