"""Build the performance gold of a PDF-layout seed (001, 004) from its hand-written spec.

The spec (perf_spec_<nnn>.py) lists every table as a person read it: the header values and one
tuple per indicator row, each value as printed (whitespace removed). This script only *locates*
each value in the text — in reading order, whitespace allowed between any two characters (PDF
lines break anywhere) — to give it its span, and parses numbers and 指标值. A value that cannot be
found where the spec says stops the build.

Row tuples: (level1, level2, name, target, basis, last_year, weight, scoring_rule, evidence).
A value is a string, None (not printed), "^" (一级/二级 of a merged cell: the span of the row
above), or a dict with "v" (the value) and options:
    "line": N      search from the start of line N (1-based) instead of the reading cursor
    "stray": S     the printed value is interleaved with the text S (a fragment of another cell);
                   the span covers both, and the field's note says so (the test reads S from it)
    "note": str    a note for the field (a contradiction, a decision)
    "intended": x  what the document meant, where it contradicts itself

    .venv/bin/python eval/datasets/seeds/tools/perf_build_pdf.py 001|004
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent))

from perf_common import (  # noqa: E402
    STEMS,
    compact,
    fv,
    parse_number,
    parse_target,
    read_doc,
    record,
    unique_keys,
    write_gold,
)

ROW = ("level1", "level2", "name", "target", "basis", "last_year", "weight", "scoring_rule", "evidence")
NUMERIC = {"weight", "budget_total", "budget_fiscal", "budget_other"}


def line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


class Locator:
    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.end, self.cursor = text, end, start
        self.lines = line_starts(text)

    def find(self, value: str, *, line: int | None = None, stray: str | None = None,
             advance: bool = True) -> tuple[int, int]:
        start = self.lines[line - 1] if line is not None else self.cursor
        chars = compact(value)
        stray_re = None if stray is None else r"\s*".join(re.escape(c) for c in compact(stray))
        sep = r"\s*" if stray_re is None else r"(?:\s|" + stray_re + r")*"
        m = re.compile(sep.join(re.escape(c) for c in chars)).search(self.text, start, self.end)
        if m is None:
            raise LookupError(f"{value!r} not found from offset {start} (line {line}) to {self.end}")
        if stray is not None and compact(m.group()).replace(stray, "", 1) != chars:
            raise LookupError(f"{value!r}: stray {stray!r} not found exactly once in {m.group()!r}")
        if advance:
            self.cursor = m.end()
        return m.start(), m.end()


def opts(value: Any) -> tuple[Any, dict[str, Any]]:
    if isinstance(value, dict):
        return value["v"], {k: v for k, v in value.items() if k != "v"}
    return value, {}


def make_field(text: str, name: str, value: str, span: tuple[int, int], o: dict[str, Any]) -> dict[str, Any]:
    note = o.get("note")
    if "stray" in o:
        extra = f"interleaved: the span also holds 「{o['stray']}」, a fragment of another cell"
        note = f"{extra}; {note}" if note else extra
    kw: dict[str, Any] = {"note": note}
    if "intended" in o:
        kw["intended"] = o["intended"]
        kw["has_intended"] = True
    if name in NUMERIC:
        return cast(dict[str, Any], fv(parse_number(value), span, **kw))
    return cast(dict[str, Any], fv(compact(value), span, **kw))


def build_table(text: str, t: dict[str, Any], start: int, end: int) -> list[dict[str, Any]]:
    loc = Locator(text, start, end)
    key, title, unit = t["key"], t["title"], t.get("unit", "万元")
    head: dict[str, Any] = {}
    # header: (field, label, value) in reading order; label None = no label to pass first
    for field, label, raw in t["head"]:
        value, o = opts(raw)
        if label is not None:
            loc.find(label, line=o.get("label_line"))
        span = loc.find(value, line=o.get("line"), stray=o.get("stray"))
        head[field] = make_field(text, field, value, span, o)
    for field, (value, note) in t.get("derived", {}).items():
        head[field] = fv(value, None, note=note)
    order = ("project_name", "owner", "budget_total", "budget_fiscal", "budget_other", "overall_goal")
    head = {k: head[k] for k in order if k in head}
    out = [record("performance_target", key, title, unit, head)]
    pn = head["project_name"]
    loc.find(t["indicator_header"])
    prev: dict[str, dict[str, Any]] = {}
    for row in t["rows"]:
        assert len(row) == len(ROW), row
        f: dict[str, Any] = {"project_name": fv(pn["value"], pn["span"])}
        for name, raw in zip(ROW, row, strict=True):
            value, o = opts(raw)
            if value is None:
                continue
            if value == "^":
                f[name] = dict(prev[name])
                if not str(f[name].get("note", "")).startswith("interleaved:"):
                    f[name].pop("note", None)  # a note of the row above, not of this one
                continue
            span = loc.find(value, line=o.get("line"), stray=o.get("stray"))
            if name == "target":
                parsed = parse_target(text, span, o.get("stray"))
                assert parsed["target"]["value"] == compact(value), (parsed, value)
                note = make_field(text, name, value, span, o).get("note")
                if note:
                    parsed["target"]["note"] = note
                for part in ("target_operator", "target_value", "target_unit"):
                    ps = parsed.get(part, {}).get("span")
                    if ps and o.get("stray") and compact(o["stray"]) in compact(text[ps[0] : ps[1]]):
                        parsed[part]["note"] = make_field(text, "target", value, span, {"stray": o["stray"]})["note"]
                f.update(parsed)
            else:
                f[name] = make_field(text, name, value, span, o)
        prev = f
        ind_name = f["name"]["value"]
        out.append(record("performance_indicator", f"{key}/{ind_name}", title, unit, f))
    return out


def build(nnn: str) -> tuple[str, list[dict[str, Any]]]:
    stem = next(s for s in STEMS if s.startswith(nnn))
    spec = importlib.import_module(f"perf_spec_{nnn}")
    text = read_doc(stem)
    starts = line_starts(text)
    records: list[dict[str, Any]] = []
    tables = spec.TABLES
    for i, t in enumerate(tables):
        start = starts[t["line"] - 1]
        end = starts[tables[i + 1]["line"] - 1] if i + 1 < len(tables) else starts[spec.END_LINE - 1]
        assert compact(text[start : start + 40]).startswith(t["title"]), (t["title"], text[start : start + 40])
        records.extend(build_table(text, t, start, end))
    unique_keys(records)
    for (k, field), note in getattr(spec, "NOTES", {}).items():
        rec = next(r for r in records if r["key"] == k)
        rec["fields"][field]["note"] = note
    return stem, records


if __name__ == "__main__":
    stem, recs = build(sys.argv[1])
    print(write_gold(stem, recs), len(recs), "records")
