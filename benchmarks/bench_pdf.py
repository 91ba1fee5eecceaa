"""PDF speed, side by side in one process and one run, over every PDF of a folder (default
../shared/corpus-dev): pdfplumber's `extract_text()` of every page alone (the baseline: what reading the
text cost before), against the product's whole extraction (read by geometry → records → validate →
score → JSON export, in-process, rules backend). CPU seconds, pages/s and their ratio, and the digits each read (a reader that drops digits shows here); the target is a
ratio of at most 0.5 (the whole extraction in half the time pdfplumber needs just to read the text).

    python benchmarks/bench_pdf.py [DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    import pdfplumber

    from extractor.export import result_to_json
    from extractor.pipeline import extract_path
    from extractor.settings import Settings

    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir", nargs="?", type=Path, default=here.parent / "shared" / "corpus-dev")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    settings = Settings(backend="rules")
    pdfs = sorted(args.dir.glob("*.pdf"))
    rows = []
    print(
        f"{'document':<44} {'pages':>5} {'pdfplumber s':>12} {'product s':>10} {'ratio':>6} {'digits:pl':>8} {'product':>8}"
    )
    for path in pdfs:
        t0 = time.process_time()
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
            plumber_digits = sum(ch.isdigit() for page in pdf.pages for ch in (page.extract_text() or ""))
        baseline = time.process_time() - t0
        t0 = time.process_time()
        result = extract_path(path, backend="rules", settings=settings)
        json.dumps(result_to_json(result), ensure_ascii=False)
        product = time.process_time() - t0
        digits = sum(ch.isdigit() for ch in result.document.text)
        rows.append(
            {
                "document": path.name,
                "pages": pages,
                "pdfplumber_s": baseline,
                "product_s": product,
                "pdfplumber_digits": plumber_digits,
                "product_digits": digits,
            }
        )
        print(
            f"{path.name[:44]:<44} {pages:>5} {baseline:>12.2f} {product:>10.2f} {product / baseline:>6.2f} "
            f"{plumber_digits:>8} {digits:>8}",
            flush=True,
        )
    pages = sum(r["pages"] for r in rows)
    base = sum(r["pdfplumber_s"] for r in rows)
    prod = sum(r["product_s"] for r in rows)
    print(f"{'total':<44} {pages:>5} {base:>12.2f} {prod:>10.2f} {prod / base:>6.2f}")
    print(
        f"pdfplumber extract_text: {pages / base:.1f} pages/s; whole extraction: {pages / prod:.1f} pages/s; "
        f"ratio {prod / base:.2f} (target ≤ 0.50)"
    )
    if args.json:
        args.json.write_text(
            json.dumps({"documents": rows, "ratio": prod / base}, indent=1), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
