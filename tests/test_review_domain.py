"""Review logic on a real SQLite file: order, leases, submits, undo, re-validation, approval, gold export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import Engine, func, select

from eval.gold import load_gold_file
from extractor.model import DocumentInfo, ExtractionResult, FieldValue, IngestedDocument, Record, Status
from extractor.queue_order import linked, settle_priorities
from extractor.review.accounts import Reviewer, create_user
from extractor.review.approval import approve, reopen
from extractor.review.errors import Forbidden, InvalidSubmit, LeaseHeld, ReadOnlyDocument, StaleVersion
from extractor.review.gold import export_gold
from extractor.review.history import document_history
from extractor.review.leases import claim, now_utc
from extractor.review.queue import QueueFilters, next_field, queue_page
from extractor.review.revalidation import revalidate_document
from extractor.review.service import submit_and_revalidate
from extractor.review.submit import Submit, SubmitOutcome, submit, undo
from extractor.review.synthetic import synthetic_result
from extractor.review.views import field_view
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from extractor.storage.queue_counts import drift
from extractor.storage.tables import AuditRow, FieldRow


@pytest.fixture()
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    init_db(eng)
    yield eng
    # whatever the test did (submits, undos, re-validations, approvals), the queue's kept totals equal a
    # fresh count of the fields
    with session_scope(eng, readonly=True) as s:
        assert drift(s) == []
        # and every stored priority is what settling the whole document afresh gives
        rows = s.execute(
            select(
                FieldRow.document_id,
                FieldRow.status,
                FieldRow.reasons,
                FieldRow.confidence,
                FieldRow.priority,
                FieldRow.kind,
                FieldRow.linked,
            ).order_by(FieldRow.document_id, FieldRow.id)
        ).all()
        assert [r.linked for r in rows] == [linked(r.reasons) for r in rows]
        for doc in {r.document_id for r in rows}:
            mine = [r for r in rows if r.document_id == doc]
            assert [r.priority for r in mine] == settle_priorities(mine, [r.kind for r in mine]), doc


@pytest.fixture()
def users(engine: Engine) -> dict[str, Reviewer]:
    with session_scope(engine) as s:
        return {
            "ann": create_user(s, username="ann", password="ann-password", role="reviewer"),
            "bob": create_user(s, username="bob", password="bob-password", role="reviewer"),
            "root": create_user(s, username="root", password="root-password", role="admin"),
        }


def korla_like() -> ExtractionResult:
    """A 收支总表 whose income total is misprinted: 314.6 where the parts sum to 314.66."""
    text = "本年收入 314.6\n一般公共预算 300.00\n政府性基金 14.66\n本年支出 314.66\n"
    sums = ["sum:income_total"]

    def fv(value: float, start: int, status: Status, extra: list[str] | None = None) -> FieldValue:
        end = start + len(f"{value}")
        reasons = sums + (extra or [])
        return FieldValue(
            value=value,
            span=(start, end),
            reasons=reasons,
            confidence=0.5 if status == "needs_review" else 0.99,
            status=status,
        )

    records = [
        Record(
            "income_summary",
            "本年收入",
            "收支总表",
            "万元",
            {"amount": fv(314.6, 5, "needs_review", ["sum_fails:income_total", "proposal:314.66"])},
        ),
        Record(
            "income_summary", "一般公共预算", "收支总表", "万元", {"amount": fv(300.0, 21, "needs_review")}
        ),
        Record("income_summary", "政府性基金", "收支总表", "万元", {"amount": fv(14.66, 38, "needs_review")}),
        Record(
            "expenditure_summary", "本年支出", "收支总表", "万元", {"amount": fv(314.66, 49, "auto_accepted")}
        ),
    ]
    return ExtractionResult(
        document=IngestedDocument(sha256="ab" * 32, source="korla.txt", text=text, format="txt"),
        info=DocumentInfo(unit_name="库尔勒", fiscal_year=2024, doc_type="budget", money_unit="万元"),
        segments=[],
        records=records,
    )


def sum_revalidator(result: ExtractionResult) -> None:
    """A stand-in for extractor.validate.revalidate: the income parts must sum to the income total."""
    amounts = {r.key: r.fields["amount"] for r in result.records}
    total, parts = amounts["本年收入"], [amounts["一般公共预算"], amounts["政府性基金"]]
    numbers = [float(cast(float, f.value)) for f in (total, *parts)]
    holds = abs(numbers[0] - sum(numbers[1:])) < 0.005
    for f in [total, *parts]:
        f.reasons = [r for r in f.reasons if not r.startswith(("sum_fails:", "sum:", "proposal:"))]
        f.add_reason("sum:income_total" if holds else "sum_fails:income_total")
        if holds and f.status == "needs_review":
            f.status, f.confidence = "auto_accepted", 0.97


def test_priorities_put_the_single_suspect_of_a_failed_sum_first() -> None:
    result = korla_like()
    fields = [fv for _, _, fv in result.fields()]
    p = settle_priorities(fields)
    assert p[0] > p[1] > 0 and p[1] == p[2] and p[3] == 0.0


def test_queue_groups_and_next_claims(engine: Engine, users: dict[str, Reviewer]) -> None:
    with session_scope(engine) as s:
        store_result(s, result=korla_like())
        store_result(s, result=synthetic_result(rows=30, review_share=0.5))
    with session_scope(engine, readonly=True) as s:
        page = queue_page(s, filters=QueueFilters(), limit=5)
        kinds = dict(page.kinds)
        only_korla = queue_page(s, filters=QueueFilters(kind="income_summary"))
        by_reason = queue_page(s, filters=QueueFilters(reason="sum_fails"))
    assert page.groups[0].key == "本年收入" and page.groups[0].items[0].name == "amount"
    assert len(page.groups) == 5 and page.fields_left == sum(kinds.values())
    assert only_korla.fields_left == 3 and {g.kind for g in only_korla.groups} == {"income_summary"}
    assert by_reason.fields_left == 1
    with session_scope(engine) as s:
        first = next_field(s, user=users["ann"], filters=QueueFilters(), lease_seconds=60)
        second = next_field(s, user=users["bob"], filters=QueueFilters(), lease_seconds=60)
        again = next_field(s, user=users["ann"], filters=QueueFilters(), lease_seconds=60)
        skipped = next_field(s, user=users["ann"], filters=QueueFilters(), lease_seconds=60, after=again)
        back = next_field(s, user=users["bob"], filters=QueueFilters(), lease_seconds=60)
    assert first is not None and second is not None and first != second
    assert again not in (first, second)  # "next" hands out a new item; her first lease stays hers
    assert skipped not in (first, second, again)
    assert back == again  # the skipped item's lease was released: it is back in the queue


def test_expired_lease_returns_the_item(engine: Engine, users: dict[str, Reviewer]) -> None:
    with session_scope(engine) as s:
        store_result(s, result=korla_like())
        fid = next_field(s, user=users["ann"], filters=QueueFilters(), lease_seconds=60)
        assert fid is not None
        with pytest.raises(LeaseHeld):
            claim(s, field_id=fid, user=users["bob"], seconds=60)
        later = now_utc() + timedelta(seconds=61)
        assert next_field(s, user=users["bob"], filters=QueueFilters(), lease_seconds=60, now=later) == fid


def test_submit_versions_idempotency_audit_and_undo(engine: Engine, users: dict[str, Reviewer]) -> None:
    ann, bob = users["ann"], users["bob"]
    with session_scope(engine) as s:
        store_result(s, result=korla_like())
        fid = s.scalar(select(FieldRow.id).order_by(FieldRow.priority.desc()).limit(1))
    assert fid is not None
    req = Submit(field_id=fid, action="correct", version=1, value="314.66", idempotency_key="k1")
    with session_scope(engine) as s:
        out = submit(s, user=ann, request=req)
    with session_scope(engine) as s:
        replay = submit(s, user=ann, request=req)
    assert out.field.value == 314.66 and out.field.status == "corrected" and out.field.version == 2
    assert replay.replayed and replay.field == out.field
    with session_scope(engine) as s, pytest.raises(StaleVersion) as stale:
        submit(s, user=bob, request=Submit(field_id=fid, action="confirm", version=1))
    assert stale.value.current_value == 314.66 and stale.value.current_version == 2
    with session_scope(engine) as s:
        back = undo(s, user=ann, field_id=fid, version=2)
        assert back.field.value == 314.6 and back.field.status == "needs_review"
        history = document_history(s, document_id=back.field.document_id)
        assert [(h.who, h.action, h.old, h.new) for h in history[:2]] == [
            ("ann", "undo", 314.66, 314.6),
            ("ann", "correct", 314.6, 314.66),
        ]
        assert s.scalar(select(func.count()).select_from(AuditRow)) == 2
    with session_scope(engine) as s, pytest.raises(InvalidSubmit):
        submit(
            s,
            user=ann,
            request=Submit(field_id=fid, action="correct", version=3, value="abc"),
        )


def test_a_decision_moves_the_priorities_it_should_and_only_those(
    engine: Engine, users: dict[str, Reviewer]
) -> None:
    """The refresh after a decision re-reads the kind only where a waiting field is linked; either way every
    priority ends as a fresh settle gives it (the fixture checks), and an unlinked kind moves none but the
    decided field's, an undo included."""
    ann = users["ann"]
    with session_scope(engine) as s:
        plain_doc, _ = store_result(s, result=synthetic_result(rows=6, review_share=1.0, seed=3))
        korla_doc, _ = store_result(s, result=korla_like())

    def decide(doc_id: int, key: str) -> dict[int, tuple[float, int]]:
        with session_scope(engine) as s:
            fid = s.scalar(
                select(FieldRow.id)
                .join(FieldRow.record)
                .where(FieldRow.document_id == doc_id, FieldRow.record.has(key=key))
                .order_by(FieldRow.id)
                .limit(1)
            )
            assert fid is not None
            version = s.scalar(select(FieldRow.version).where(FieldRow.id == fid))
            submit(s, user=ann, request=Submit(field_id=fid, action="confirm", version=int(version or 1)))
            return {r.id: (r.priority, r.version) for r in s.scalars(select(FieldRow))}

    def priorities() -> dict[int, float]:
        with session_scope(engine, readonly=True) as s:
            return {r.id: r.priority for r in s.scalars(select(FieldRow))}

    before = priorities()
    after = decide(plain_doc, "2010008")  # no linked field: only the decided field's priority moves
    assert sum(before[i] != p for i, (p, _v) in after.items()) == 1
    with session_scope(engine, readonly=True) as s:
        assert not s.scalar(
            select(func.count()).where(FieldRow.linked.is_(True), FieldRow.document_id == plain_doc)
        )
        assert (
            s.scalar(select(func.count()).where(FieldRow.linked.is_(True), FieldRow.document_id == korla_doc))
            == 1
        )
    before = priorities()
    after = decide(
        korla_doc, "政府性基金"
    )  # a part of the failing sum: the suspect total's priority moves too
    moved = {i for i, (p, _v) in after.items() if before[i] != p}
    assert len(moved) == 2


def test_correction_revalidates_and_siblings_leave_the_queue(
    engine: Engine, users: dict[str, Reviewer]
) -> None:
    with session_scope(engine) as s:
        doc_id, _ = store_result(s, result=korla_like())
        fid = s.scalar(select(FieldRow.id).order_by(FieldRow.priority.desc()).limit(1))
        assert fid is not None
        view = field_view(s, field_id=fid)
        assert view.proposals == ["314.66"] and view.context.marked == "314.6"
        assert any(d.failing for d in view.doubts)
        f = s.get(FieldRow, fid)
        assert f is not None
        f.value, f.status = 314.66, "corrected"
        settled = revalidate_document(s, document_id=doc_id, cause="test", revalidator=sum_revalidator)
        page = queue_page(s, filters=QueueFilters(document_id=doc_id))
        row = s.get(FieldRow, fid)
        assert row is not None
    assert sorted(settled) == ["income_summary/一般公共预算/amount", "income_summary/政府性基金/amount"]
    assert page.fields_left == 0
    assert row.status == "corrected" and "sum:income_total" in row.reasons


def test_approval_is_read_only_until_an_admin_reopens(
    engine: Engine, users: dict[str, Reviewer], tmp_path: Path
) -> None:
    ann, root = users["ann"], users["root"]
    with session_scope(engine) as s:
        doc_id, _ = store_result(s, result=korla_like())
        ids = list(
            s.scalars(select(FieldRow.id).where(FieldRow.status == "needs_review").order_by(FieldRow.id))
        )
        with pytest.raises(InvalidSubmit):
            approve(s, user=ann, document_id=doc_id)
        with pytest.raises(InvalidSubmit):
            export_gold(s, document=str(doc_id), out_dir=tmp_path / "reviewed")
        for fid in ids:
            submit(s, user=ann, request=Submit(field_id=fid, action="confirm", version=1))
        approve(s, user=ann, document_id=doc_id)
        with pytest.raises(ReadOnlyDocument):
            submit(
                s,
                user=ann,
                request=Submit(field_id=ids[0], action="confirm", version=2),
            )
        with pytest.raises(Forbidden):
            reopen(s, user=ann, document_id=doc_id, reason="typo")
        reopen(s, user=root, document_id=doc_id, reason="a second look")
        fix = Submit(field_id=ids[0], action="correct", version=2, value="314.66")
        out = submit(s, user=ann, request=fix)
        assert out.field.status == "corrected"
        gold = export_gold(s, document="korla.txt", out_dir=tmp_path / "reviewed")
        actions = [h.action for h in document_history(s, document_id=doc_id)]
    assert actions[:3] == ["correct", "reopen", "approve"]
    lines = gold.path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["review"]["reviewers"] == ["ann", "root"] and header["doc"] == "docs/korla.txt"
    assert gold.doc_path.read_text(encoding="utf-8") == korla_like().document.text
    parsed = load_gold_file(gold.path)
    assert len(parsed.records) == 4 and parsed.doc_path == gold.doc_path
    first = parsed.records[0]["fields"]["amount"]
    assert first == {"value": 314.66, "span": [5, 10]}


def test_service_revalidates_outside_the_write_and_drops_stale_verdicts(
    engine: Engine, users: dict[str, Reviewer]
) -> None:
    ann, bob = users["ann"], users["bob"]
    with session_scope(engine) as s:
        doc_id, _ = store_result(s, result=korla_like())
        ids = list(s.scalars(select(FieldRow.id).where(FieldRow.document_id == doc_id).order_by(FieldRow.id)))
    total, general = ids[0], ids[1]

    def racing(result: ExtractionResult) -> None:
        """Validators during which another reviewer corrects a value of the same document."""
        sum_revalidator(result)
        with session_scope(engine) as s:
            submit(s, user=bob, request=Submit(field_id=general, action="correct", version=1, value="299.00"))

    raced = submit_and_revalidate(
        engine,
        user=ann,
        request=Submit(total, "correct", 1, "314.66"),
        settings=Settings(),
        revalidator=racing,
    )
    assert raced.settled == [] and raced.field.status == "corrected"
    with session_scope(engine, readonly=True) as s:
        assert queue_page(s, filters=QueueFilters(document_id=doc_id)).fields_left == 1  # nothing applied
    fixed = submit_and_revalidate(
        engine,
        user=bob,
        request=Submit(general, "correct", 2, "300.00"),
        settings=Settings(),
        revalidator=sum_revalidator,
    )
    assert fixed.settled == ["income_summary/政府性基金/amount"] and fixed.revalidated
    with session_scope(engine, readonly=True) as s:
        assert queue_page(s, filters=QueueFilters(document_id=doc_id)).fields_left == 0
        verdicts = [h for h in document_history(s, document_id=doc_id) if h.action == "revalidate"]
    assert [(v.who, v.address, v.new_status) for v in verdicts] == [
        ("validators", "income_summary/政府性基金/amount", "auto_accepted")
    ]


def test_one_idempotency_key_sent_twice_at_once_applies_once_and_replays(
    engine: Engine, users: dict[str, Reviewer]
) -> None:
    """A retried submit that overtakes its first attempt: the second waits for the document's lock (on
    PostgreSQL a row lock; on SQLite the writer's file lock), then replays the first's answer instead of
    failing on the version the first moved."""
    import threading
    import time

    ann = users["ann"]
    with session_scope(engine) as s:
        store_result(s, result=korla_like())
        fid = s.scalar(select(FieldRow.id).order_by(FieldRow.priority.desc()).limit(1))
    assert fid is not None
    req = Submit(field_id=fid, action="correct", version=1, value="314.66", idempotency_key="retry-1")
    outcome: dict[str, object] = {}
    first_holds = threading.Event()

    def second() -> None:
        first_holds.wait()
        try:
            with session_scope(engine) as s:
                outcome["second"] = submit(s, user=ann, request=req)
        except Exception as exc:  # the assertion below names it
            outcome["second"] = exc

    thread = threading.Thread(target=second)
    thread.start()
    with session_scope(engine) as s:
        first = submit(s, user=ann, request=req)
        first_holds.set()
        time.sleep(0.5)  # the second submit has read no key yet and waits on the lock this one holds
    thread.join(timeout=30)
    again = outcome["second"]
    assert isinstance(again, SubmitOutcome), again
    assert again.replayed and again.field == first.field
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(AuditRow)) == 1
