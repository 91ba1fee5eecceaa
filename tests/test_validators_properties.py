"""Property-based tests of the validators: consistent tables raise no flag; one perturbed number is
flagged and the repair proposes the original; arbitrary text never crashes the pipeline."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.errors import ExtractorError
from extractor.ingest import ingest_bytes
from extractor.model import DocumentInfo, ExtractionResult, FieldValue, IngestedDocument, Record
from extractor.parsers.dispatch import rules_records
from extractor.segment import segment_document
from extractor.validate import validate_result

KIND = "expenditure_by_function"
cents = st.integers(min_value=0, max_value=500_000)


@st.composite
def consistent_table(draw: st.DrawFn) -> list[Record]:
    """类 → 款 → 项 rows with total = basic + project, parents the sums of their children."""
    records: list[Record] = []
    grand = [0, 0]
    for c in range(draw(st.integers(1, 3))):
        cls = f"2{c + 1:02d}"
        cls_sum = [0, 0]
        kuan_rows: list[Record] = []
        for k in range(draw(st.integers(1, 3))):
            kuan = f"{cls}{k + 1:02d}"
            kuan_sum = [0, 0]
            for x in range(draw(st.integers(1, 4))):
                basic, project = draw(cents), draw(cents)
                kuan_sum[0] += basic
                kuan_sum[1] += project
                kuan_rows.append(_row(f"{kuan}{x + 1:02d}", basic, project))
            cls_sum[0] += kuan_sum[0]
            cls_sum[1] += kuan_sum[1]
            kuan_rows.append(_row(kuan, *kuan_sum))
        grand[0] += cls_sum[0]
        grand[1] += cls_sum[1]
        records.append(_row(cls, *cls_sum))
        records.extend(kuan_rows)
    records.append(_row("total", *grand))
    return records


def _row(key: str, basic_cents: int, project_cents: int) -> Record:
    def fv(c: int) -> FieldValue:
        return FieldValue(c / 100, None, ["printed"])

    fields = {
        "total": fv(basic_cents + project_cents),
        "basic": fv(basic_cents),
        "project": fv(project_cents),
    }
    return Record(KIND, key, "支出总体情况表", "万元", fields)


def _result(records: list[Record]) -> ExtractionResult:
    doc = IngestedDocument(sha256="0" * 64, source="generated", text="", format="txt")
    return ExtractionResult(document=doc, info=DocumentInfo(), segments=[], records=records)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_table())
def test_consistent_tables_raise_no_flag(records: list[Record]) -> None:
    result = _result(records)
    validate_result(result)
    sums = [f for f in result.findings if f.check == "sum"]
    assert sums, "a generated table implies sums"
    assert all(f.ok and f.severity == "error" for f in sums), [f.name for f in sums if not f.ok]
    assert result.proposals == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_table(), st.data())
def test_one_perturbed_number_is_flagged_and_repaired(records: list[Record], data: st.DataObject) -> None:
    record = data.draw(st.sampled_from(records))
    name = data.draw(st.sampled_from(["total", "basic", "project"]))
    original = record.fields[name].value
    assert isinstance(original, float)
    # gaps up to 0.03 read as rounding (see extractor.validate.tolerance); larger ones are errors
    delta = data.draw(st.integers(min_value=4, max_value=100_000)) / 100 * data.draw(st.sampled_from([1, -1]))
    if original + delta < 0:
        delta = -delta
    record.fields[name].value = round(original + delta, 2)
    result = _result(records)
    validate_result(result)
    failing = [f for f in result.findings if not f.ok]
    address = record.address(name)
    assert any(address in f.addresses for f in failing)
    assert any(r.startswith(("sum_fails", "rounding_gap")) for r in record.fields[name].reasons)
    proposed = {p.address: p.proposed for p in result.proposals}
    assert proposed.get(address) == round(original, 2), (address, result.proposals)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=600))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        doc = ingest_bytes(text.encode("utf-8"), "fuzz.txt")
    except ExtractorError:
        return
    segments = segment_document(doc)
    info, records = rules_records(doc.text, segments)
    result = ExtractionResult(document=doc, info=info, segments=segments, records=records)
    validate_result(result)
    assert all(0 <= (fv.span or (0, 0))[0] <= len(doc.text) for _r, _n, fv in result.fields())


TABLE_WORDS = [
    "表3",
    "部门支出总体情况表",
    "合计",
    "基本支出",
    "项目支出",
    "201",
    "38",
    "01",
    "行政运行",
    "5",
    "203.53",
    "3,984.50",
    "\t",
    "\n",
    " ",
    "一般公共预算",
    "人员经费",
    "301",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TABLE_WORDS), max_size=120))
def test_table_like_noise_never_crashes(words: list[str]) -> None:
    text = " ".join(words)
    try:
        doc = ingest_bytes(text.encode("utf-8"), "noise.txt")
    except ExtractorError:
        return
    segments = segment_document(doc)
    info, records = rules_records(doc.text, segments)
    result = ExtractionResult(document=doc, info=info, segments=segments, records=records)
    validate_result(result)
    assert isinstance(result.findings, list)
