"""`users add/list/revoke` and `gold export` through click, on a real SQLite file."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from extractor.commands.serve_cmd import gold_group, users_group
from extractor.review.accounts import authenticate, open_session, session_user
from extractor.review.submit import Submit, submit
from extractor.review.synthetic import synthetic_result
from extractor.storage import init_db, make_engine, session_scope, store_result
from extractor.storage.tables import FieldRow


def test_users_and_gold_export(tmp_path: Path, db_url: str) -> None:
    db = db_url
    runner = CliRunner()
    added = runner.invoke(users_group, ["add", "ann", "--db", db], input="ann-password\nann-password\n")
    assert added.exit_code == 0 and "created reviewer ann" in added.output
    twice = runner.invoke(users_group, ["add", "ann", "--db", db], input="ann-password\nann-password\n")
    assert twice.exit_code == 1 and "ann: this user already exists" in twice.output
    short = runner.invoke(
        users_group, ["add", "bob", "--password-stdin", "--role", "admin", "--db", db], input="short\n"
    )
    assert short.exit_code == 1 and "at least 8 characters" in short.output
    listed = runner.invoke(users_group, ["list", "--db", db])
    assert listed.output.split() == ["ann", "reviewer"]

    engine = make_engine(db)
    init_db(engine)
    with session_scope(engine) as s:
        user = authenticate(s, username="ann", password="ann-password")
        assert user is not None and authenticate(s, username="ann", password="wrong-password") is None
        login = open_session(s, user=user, ttl=timedelta(hours=1))
        doc_id, _ = store_result(s, result=synthetic_result(rows=3, review_share=1.0, source="doc.txt"))
        ids = list(s.scalars(select(FieldRow.id).where(FieldRow.document_id == doc_id)))
    revoked = runner.invoke(users_group, ["revoke", "ann", "--db", db])
    assert revoked.exit_code == 0 and "revoked 1 sessions" in revoked.output
    with session_scope(engine, readonly=True) as s:
        assert session_user(s, token=login.token) is None

    out_dir = tmp_path / "reviewed"
    early = runner.invoke(gold_group, ["export", "doc.txt", "--out-dir", str(out_dir), "--db", db])
    assert early.exit_code == 1 and "12 fields still need review" in early.output
    with session_scope(engine) as s:
        for fid in ids:
            submit(s, user=user, request=Submit(fid, "confirm", 1))
    done = runner.invoke(gold_group, ["export", "doc.txt", "--out-dir", str(out_dir), "--db", db])
    assert done.exit_code == 0 and "reviewed by ann" in done.output
    header, *records = (json.loads(line) for line in (out_dir / "doc.jsonl").read_text().splitlines())
    assert header["review"]["reviewers"] == ["ann"] and len(records) == 3
    assert all("confidence" not in f and "status" not in f for r in records for f in r["fields"].values())
