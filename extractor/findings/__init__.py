"""Disclosure checks: findings a 财政 reviewer can act on (see `rules` for the registry, `run` for the order)."""

from extractor.findings.model import DisclosureFinding, counts, finding_id
from extractor.findings.rules import RULES, plain
from extractor.findings.run import check_result, extract_for_check

__all__ = ["RULES", "DisclosureFinding", "check_result", "counts", "extract_for_check", "finding_id", "plain"]
