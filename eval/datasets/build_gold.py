"""Build gold JSONL from hand-typed sources: `eval/datasets/<dataset>/src/*.gold.tsv` →
`eval/datasets/<dataset>/<stem>.jsonl` (header line + one record per row, the record shape of
`eval/gold.py`; spans are null: the values are typed from the document, not located by a reader).

    .venv/bin/python eval/datasets/build_gold.py [dataset …]      (default: dev)

The source document must be `eval/datasets/<dataset>/docs/<file>`; its sha256 goes into the header.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parents[1]) not in sys.path:
    sys.path.insert(0, str(HERE.parents[1]))

from eval.datasets.goldsrc import GoldSource, read_source  # noqa: E402


def gold_lines(src: GoldSource, docs: Path) -> list[str]:
    doc = docs / src.file
    digest = hashlib.sha256(doc.read_bytes()).hexdigest() if doc.is_file() else None
    header: dict[str, object] = {
        "document": {"sha256": digest, "source": src.file, **src.document},
        "doc": f"docs/{src.file}",
    }
    if src.covers:
        header["covers"] = src.covers
    lines = [json.dumps(header, ensure_ascii=False)]
    lines += [json.dumps(record, ensure_ascii=False) for record in src.records]
    return lines


def build(dataset: str) -> list[Path]:
    root = HERE / dataset
    written: list[Path] = []
    for path in sorted((root / "src").glob("*.gold.tsv")):
        src = read_source(path)
        out = root / f"{Path(src.file).stem}.jsonl"
        out.write_text("\n".join(gold_lines(src, root / "docs")) + "\n", encoding="utf-8")
        written.append(out)
    return written


if __name__ == "__main__":
    for name in sys.argv[1:] or ["dev"]:
        for written in build(name):
            print(written.relative_to(HERE))
