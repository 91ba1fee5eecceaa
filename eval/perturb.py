"""Can the confidence tell right from wrong on errors nobody has seen? Inject them and look.

The seed documents are the ones the rules were written against, so the extractor gets nearly every
field right and gold alone cannot show how the checks behave when a value is wrong. This harness makes
wrong values the way broken PDFs do: one digit of one printed number is changed in the document text
(same length, so every other span stays put), the document is extracted again, and the field that now
holds the misprinted value is looked at. It is wrong with respect to the table the document meant, and
the product should not vouch for it.

Reported, over all injected errors and per record kind:
- detected: the field went to review (status needs_review), and its confidence;
- repaired: a repair proposal for the field offers the original value;
- AUROC of confidence between the injected wrong fields and the fields of the clean runs that are
  right and trusted by gold, i.e. how well confidence ranks a misprint below a good value.

Deterministic: the fields and digits come from `random.Random(seed)`. Only `.txt` gold documents are
perturbed (their text is the normalised text the spans point into).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eval.calibration import auroc
from eval.gold import Dataset, GoldDocument
from eval.matching import normalise_text, values_equal
from extractor.ingest import ingest_bytes
from extractor.model import ExtractionResult, FieldValue, Record
from extractor.numbers import parse_amount
from extractor.pipeline import extract_document
from extractor.settings import Settings


@dataclass
class Injection:
    document: str
    address: str
    kind: str
    original: float
    printed: str
    perturbed: str
    found: bool = False
    detected: bool = False
    repaired: bool = False
    confidence: float | None = None
    reasons: list[str] = field(default_factory=list)


@dataclass
class PerturbationReport:
    injections: list[Injection]
    clean_confidences: list[float]

    def summary(self) -> dict[str, Any]:
        return _summary(self.injections, self.clean_confidences)

    def per_kind(self) -> dict[str, dict[str, Any]]:
        groups: dict[str, list[Injection]] = defaultdict(list)
        for inj in self.injections:
            groups[inj.kind].append(inj)
        return {k: _summary(v, self.clean_confidences) for k, v in sorted(groups.items())}

    seed: int = 0
    backend: str = "rules"

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "backend": self.backend,
            "overall": self.summary(),
            "per_kind": self.per_kind(),
            "missed": [
                {
                    "document": i.document,
                    "address": i.address,
                    "printed": i.printed,
                    "perturbed": i.perturbed,
                    "confidence": i.confidence,
                    "reasons": i.reasons,
                }
                for i in self.injections
                if i.found and not i.detected
            ],
        }


def _summary(injections: Sequence[Injection], clean: Sequence[float]) -> dict[str, Any]:
    found = [i for i in injections if i.found]
    detected = [i for i in found if i.detected]
    wrong = [i.confidence for i in found if i.confidence is not None]
    return {
        "injected": len(injections),
        "read_back": len(found),
        "detected": len(detected),
        "detection_rate": len(detected) / len(found) if found else None,
        "repaired": sum(1 for i in found if i.repaired),
        "repair_rate": sum(1 for i in found if i.repaired) / len(found) if found else None,
        "mean_confidence_injected": sum(wrong) / len(wrong) if wrong else None,
        "auroc": auroc(list(clean) + wrong, [True] * len(clean) + [False] * len(wrong)) if wrong else None,
    }


def _numeric_fields(gold: GoldDocument, text: str) -> list[tuple[str, str, float, tuple[int, int]]]:
    """(kind, address, value, span) of gold numbers printed at their span with at least two digits."""
    out = []
    for rec in gold.records:
        for name, entry in (rec.get("fields") or {}).items():
            value, span = entry.get("value"), entry.get("span")
            if isinstance(value, bool) or not isinstance(value, int | float) or not span:
                continue
            start, end = span
            printed = text[start:end]
            if parse_amount(printed) is None or abs(parse_amount(printed) - float(value)) > 0.005:  # type: ignore[operator]
                continue
            if sum(ch.isdigit() for ch in printed) < 2 or "intended" in entry:
                continue
            out.append(
                (
                    rec["kind"],
                    _address(rec["kind"], rec["key"], name),
                    float(value),
                    (start, end),
                )
            )
    return out


def _perturb(printed: str, rng: random.Random) -> str:
    positions = [i for i, ch in enumerate(printed) if ch.isdigit()]
    i = rng.choice(positions)
    old = printed[i]
    new = rng.choice([d for d in "0123456789" if d != old and not (i == positions[0] and d == "0")])
    return printed[:i] + new + printed[i + 1 :]


def _address(kind: str, key: str, name: str) -> str:
    """A field address with the key compared as gold and predictions are matched (whitespace removed)."""
    return f"{kind}/{normalise_text(key)}/{name}"


def _field(result: ExtractionResult, address: str) -> tuple[Record, str, FieldValue] | None:
    for record, name, fv in result.fields():
        if _address(record.kind, record.key, name) == address:
            return record, name, fv
    return None


def run_perturbation(
    dataset: Dataset, *, per_document: int, settings: Settings, seed: int = 0, backend: str = "rules"
) -> PerturbationReport:
    rng = random.Random(seed)
    injections: list[Injection] = []
    clean: list[float] = []
    for gold in dataset.documents:
        if gold.doc_path is None or gold.doc_path.suffix != ".txt":
            continue
        raw = gold.doc_path.read_bytes()
        text = raw.decode("utf-8")
        trusted = _trusted_values(gold)
        base = extract_document(ingest_bytes(raw, gold.doc_path.name), backend=backend, settings=settings)
        for record, name, fv in base.fields():
            address = _address(record.kind, record.key, name)
            if address in trusted and values_equal(trusted[address], fv.value) and fv.confidence is not None:
                clean.append(fv.confidence)
        candidates = _numeric_fields(gold, text)
        for kind, address, value, (start, end) in rng.sample(candidates, min(per_document, len(candidates))):
            printed = text[start:end]
            perturbed = _perturb(printed, rng)
            inj = Injection(gold.stem, address, kind, value, printed, perturbed)
            injections.append(inj)
            changed = (text[:start] + perturbed + text[end:]).encode("utf-8")
            result = extract_document(
                ingest_bytes(changed, gold.doc_path.name), backend=backend, settings=settings
            )
            hit = _field(result, address)
            if hit is None:
                continue
            record, name, fv = hit
            read = fv.value if isinstance(fv.value, int | float) else None
            if read is None or abs(float(read) - value) < 0.005:
                continue  # the misprint did not reach this field
            inj.found = True
            inj.confidence = fv.confidence
            inj.detected = fv.status == "needs_review"
            inj.reasons = list(fv.reasons)
            inj.repaired = any(
                p.address == record.address(name)
                and isinstance(p.proposed, int | float)
                and abs(float(p.proposed) - value) < 0.005
                for p in result.proposals
            )
    return PerturbationReport(injections, clean, seed, backend)


def _trusted_values(gold: GoldDocument) -> dict[str, Any]:
    """Gold value by address of every field the document does not contradict."""
    out: dict[str, Any] = {}
    for rec in gold.records:
        for name, entry in (rec.get("fields") or {}).items():
            if isinstance(entry, Mapping) and "intended" not in entry:
                out[_address(rec["kind"], rec["key"], name)] = entry.get("value")
    return out
