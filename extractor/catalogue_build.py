"""Building the code catalogue from documents: every function (2xx) and economic (3xx) code a
document prints with a readable name, with the documents it was seen in."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from extractor.model import ExtractionResult
from extractor.reasons import family
from extractor.validate.catalogue import CODED_KINDS


def catalogue_entries(results: list[ExtractionResult]) -> list[dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for result in results:
        for r in result.records:
            code = r.key.split("/", 1)[0]
            if r.kind not in CODED_KINDS or not re.fullmatch(r"[23]\d{2}(?:\d{2}){0,2}", code):
                continue
            if any(family(x) == "code" for fv in r.fields.values() for x in fv.reasons):
                continue
            name = r.fields.get("name")
            if (
                name is None
                or not isinstance(name.value, str)
                or "project_name_not_separable" in name.reasons
            ):
                continue
            e = entries.setdefault(code, {"code": code, "name": name.value, "aliases": [], "seen": []})
            if name.value != e["name"] and name.value not in e["aliases"]:
                e["aliases"].append(name.value)
            if result.document.source not in e["seen"]:
                e["seen"].append(result.document.source)
    return [entries[c] for c in sorted(entries)]


def write_catalogue(results: list[ExtractionResult], out: Path) -> int:
    entries = catalogue_entries(results)
    payload = {
        "about": "Function (2xx) and economic (3xx) classification codes as printed in real disclosures; "
        "`seen` lists the documents. Built by `extractor catalogue build`.",
        "codes": entries,
    }
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(entries)
