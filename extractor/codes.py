"""Classification codes as printed (`201 38 01`, `2013801`, `301 1`) joined and zero-padded.

Function codes (功能分类): 类 3 digits (2xx), 款 +2, 项 +2 → `2013801`. Economic codes (经济分类):
类 3 digits (3xx), 款 +2 → `30101`. A code whose first part is not a 3-digit 2xx/3xx class was
mangled by the text export (`01 8` for `201 38 01`); it is returned as None and repaired later.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

_PART = re.compile(r"^\d{1,7}$")


def join_code(parts: list[str]) -> str | None:
    parts = [p for p in parts if p]
    if not parts or not all(_PART.match(p) for p in parts):
        return None
    first = parts[0]
    if len(parts) == 1:
        return first if len(first) in (3, 5, 7) and first[0] in "23" else None
    if len(first) != 3 or first[0] not in "23":
        return None
    rest = parts[1:]
    if len(rest) > 2 or any(len(p) > 2 for p in rest):
        return None
    return first + "".join(p.zfill(2) for p in rest)


def parent_code(code: str, present: set[str]) -> str | None:
    """The longest printed code that is a proper prefix of `code` at a level boundary."""
    for cut in (5, 3):
        if len(code) > cut and code[:cut] in present:
            return code[:cut]
    return None


@lru_cache(maxsize=1)
def load_catalogue() -> dict[str, dict[str, Any]]:
    """The code catalogue shipped as data, by code: the codes documents print (`catalogue.json`) and the
    national function classes (`function_classes.toml`) where no document printed them yet."""
    try:
        raw = resources.files("extractor.data").joinpath("catalogue.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        raw = '{"codes": []}'
    out: dict[str, dict[str, Any]] = {e["code"]: e for e in json.loads(raw)["codes"]}
    for code, names in national_classes().items():
        entry = out.setdefault(code, {"code": code, "name": names[0], "aliases": [], "seen": []})
        entry["aliases"] = [
            *entry["aliases"],
            *(n for n in names if n != entry["name"] and n not in entry["aliases"]),
        ]
    return out


@lru_cache(maxsize=1)
def national_classes() -> dict[str, list[str]]:
    """The 类 of the national function classification: code → its names (the current one first)."""
    import tomllib

    text = resources.files("extractor.data").joinpath("function_classes.toml").read_text(encoding="utf-8")
    classes: dict[str, list[str]] = tomllib.loads(text)["classes"]
    return classes


_ORDINAL = re.compile(r"^[一二三四五六七八九十]+[、.．]|^\d+[、.．]")


@lru_cache(maxsize=1)
def _class_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, entry in load_catalogue().items():
        if len(code) == 3 and code.startswith("2"):
            for name in (entry["name"], *entry.get("aliases", [])):
                names.setdefault(re.sub(r"\s+", "", name), code)
    return names


def class_code_by_name(label: str) -> str | None:
    """The 类 code of a function class printed by name only (`十八、住房保障支出` → `221`), from the
    catalogue; None when the name is not a 类 the catalogue knows."""
    name = _ORDINAL.sub("", re.sub(r"\s+", "", label))
    return _class_names().get(name)
