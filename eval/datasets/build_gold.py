"""The one gold builder. Two source forms, both data files:

- `eval/datasets/<dataset>/src/*.gold.tsv` (hand-typed rows, `eval/datasets/goldsrc.py`) →
  `<dataset>/<stem>.jsonl`: header line + one record per row; spans are null (typed, not located);
  the source document must be `<dataset>/docs/<file>` (its sha256 goes into the header);
- `eval/datasets/<dataset>/gold-src/<stem>.header.json` + `<stem>.<part>.jsonl` (the seeds: records with
  their spans, one JSON object per line) → `<dataset>/<stem>.jsonl`, the parts in part-name order.

    .venv/bin/python eval/datasets/build_gold.py [dataset …]      (default: dev and seeds)
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


def assembled_lines(root: Path, stem: str) -> list[str]:
    """Header + parts of one seed document, each part line kept byte for byte."""
    lines: list[str] = []
    header_path = root / "gold-src" / f"{stem}.header.json"
    if header_path.exists():
        lines.append(json.dumps(json.loads(header_path.read_text(encoding="utf-8")), ensure_ascii=False))
    for part in sorted((root / "gold-src").glob(f"{stem}.*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            if line.strip():
                json.loads(line)  # each line must be one JSON object
                lines.append(line)
    return lines


def _assembled_stems(root: Path) -> list[str]:
    stems = {p.name.split(".")[0] for p in (root / "gold-src").glob("*.jsonl")}
    return sorted(s for s in stems if any((root / "docs").glob(f"{s}.*")))


def build(dataset: str) -> list[Path]:
    root = HERE / dataset
    written: list[Path] = []
    for stem in _assembled_stems(root) if (root / "gold-src").is_dir() else []:
        out = root / f"{stem}.jsonl"
        out.write_text("\n".join(assembled_lines(root, stem)) + "\n", encoding="utf-8")
        written.append(out)
    for path in sorted((root / "src").glob("*.gold.tsv")):
        src = read_source(path)
        out = root / f"{Path(src.file).stem}.jsonl"
        out.write_text("\n".join(gold_lines(src, root / "docs")) + "\n", encoding="utf-8")
        written.append(out)
    return written


if __name__ == "__main__":
    for name in sys.argv[1:] or ["dev", "seeds"]:
        for written in build(name):
            print(written.relative_to(HERE))
