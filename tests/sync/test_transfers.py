"""A person moves from centre A to centre B, end to end through the real county server.

A enrols X and syncs; B enrols X too and learns only that X is registered at A (masked);
B asks for a transfer; the county approves with its CLI; B's next sync takes X over (its
own record merged onto the county's, its enrolment accepted); A's next sync shows X owned
by B, and A's later edit of X is refused, naming B.
"""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from caseworker.domain.coverage import coverage_id
from caseworker.domain.ids import make_id_number
from caseworker.logs import uninstall_logging
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import ServiceError
from caseworker.services.sync_queue import accept_server, queue
from caseworker.services.transfers import transfer_requests
from caseworker.services.validation import PersonInput
from caseworker.store.models import (
    AuditEntry,
    CoverageStatus,
    Enrolment,
    OutboxEntry,
    Person,
    SyncBatch,
    TransferRequestRow,
)
from caseworker.sync.batches import SyncError, load_signer
from caseworker.sync.client import Transport
from caseworker.sync.protocol import DEVICE_HEADER, SIGNATURE_HEADER
from caseworker.sync.run import run_sync
from caseworker.sync.transfers import request_transfer
from caseworker.upstream.cli import main as upstream_cli
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import CountyAudit, RegistryChange, Transfer
from caseworker.upstream.models import Coverage as UpCoverage
from caseworker.upstream.models import Enrolment as UpEnrolment
from caseworker.upstream.models import Person as UpPerson
from tests.upstream.harness import FAST_RETRY, TODAY, Server, connect, new_centre

A_CODE, A_NAME = "320583101", "玉山镇社会保障服务中心"
B_CODE, B_NAME = "320583102", "周市镇社会保障服务中心"
BORN = date(1985, 6, 9)
ID_NUMBER = make_id_number("320583", BORN, 57)
PHONE, ADDRESS, BANK = "13812345678", "玉山镇同丰路12号", "6222020200998877665"


def x(name: str = "欧阳秀英", **extra: object) -> PersonInput:
    return PersonInput(
        id_number=ID_NUMBER,
        name=name,
        hukou_village_code="320583101201",
        hukou_nature="family_farm",
        employment_category="farmer",
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def centres(server: Server, tmp_path: Path):
    a = new_centre(tmp_path / "a", A_CODE, A_NAME)
    b = new_centre(tmp_path / "b", B_CODE, B_NAME)
    connect(a, server)
    connect(b, server)
    yield a, b
    a.close()
    b.close()


def county(server: Server):
    return open_upstream(server.db_url)


def cli(server: Server, *args: str) -> int:
    # Its log goes to the server's folder, not logs/ wherever the tests run (the default for
    # a PostgreSQL URL), and the logging is taken down again for the tests after this one.
    try:
        return upstream_cli(
            ["transfer", *args, "--db", server.db_url, "--log-dir", str(server.log_dir)]
        )
    finally:
        uninstall_logging()


def test_a_person_moves_to_another_centre(server, centres, capsys):
    a, b = centres
    enrol(
        a.database,
        a.actor,
        x(phone=PHONE, residence_address=ADDRESS, bank_account=BANK),
        [EnrolmentChoice("resident_pension", tier_fen=50_000)],
        today=TODAY,
    )
    # X, the enrolment, and the pension status it derives.
    assert run_sync(a.database, retry=FAST_RETRY).counts == {"accepted": 3}

    # B registers X on its own: told where X is, and nothing of A's record.
    enrol(b.database, b.actor, x(), [EnrolmentChoice("resident_medical")], today=TODAY)
    assert run_sync(b.database, retry=FAST_RETRY).counts == {"conflict": 1, "rejected": 2}
    with b.database.reading() as db:
        answer = db.scalars(select(SyncBatch.answer)).one()
    for secret in (PHONE, ADDRESS, BANK, BORN.isoformat(), ID_NUMBER, "秀英"):
        assert secret.encode() not in answer, secret
    person_issue, enrolment_issue, status_issue = queue(b.database)
    assert (status_issue.entity_type, status_issue.code) == ("coverage", "unknown_person")
    assert person_issue.code == "registered_elsewhere" and person_issue.can_request_transfer
    assert person_issue.server_copy is None
    assert person_issue.elsewhere["centre_name"] == A_NAME
    assert person_issue.elsewhere["name_masked"] == "欧阳**"
    assert person_issue.elsewhere["schemes"] == ["resident_pension"]
    assert enrolment_issue.code == "unknown_person"
    with pytest.raises(ServiceError) as caught:
        accept_server(b.database, b.actor, person_issue.seq)  # there is no copy to take
    assert caught.value.code == "no_server_copy"

    # B asks for X (by the queue entry); asking again is the same request.
    asked = request_transfer(
        b.database, b.actor, person_issue.seq, "已迁入周市镇务工居住", retry=FAST_RETRY
    )
    assert asked.state == "requested" and asked.from_centre == A_CODE
    assert asked.from_centre_name == A_NAME
    again = request_transfer(b.database, b.actor, ID_NUMBER, "再次申请", retry=FAST_RETRY)
    assert again.id == asked.id

    # The county lists it, refuses nonsense, approves it once.
    assert cli(server, "list", "--state", "requested") == 0
    listed = capsys.readouterr().out
    assert str(asked.id) in listed and ID_NUMBER not in listed
    assert cli(server, "approve", "not-an-id", "--by", "张科长") == 1
    assert "格式不对" in capsys.readouterr().err
    assert cli(server, "approve", "0190a0b1-0000-7000-8000-000000000000", "--by", "张科长") == 1
    assert "没有编号为" in capsys.readouterr().err
    assert cli(server, "approve", str(asked.id), "--by", " ") == 1
    assert "--by" in capsys.readouterr().err
    assert cli(server, "approve", str(asked.id), "--by", "张科长", "--note", "户籍所在地同意") == 0
    assert "已批准" in capsys.readouterr().out
    assert cli(server, "approve", str(asked.id), "--by", "李四") == 1
    err = capsys.readouterr().err
    assert "已于" in err and "张科长" in err and "already approved" in err
    assert cli(server, "refuse", str(asked.id), "--by", "李四", "--note", "晚了") == 1
    db = county(server)
    with db.reading() as up:
        person = up.scalars(select(UpPerson)).one()
        assert person.centre_code == B_CODE
        assert up.scalars(select(UpEnrolment.centre_code)).all() == [B_CODE]
        transfer = up.get_one(Transfer, asked.id)
        assert (transfer.state, transfer.decided_by) == ("approved", "张科长")
        actions = [row.action for row in up.scalars(select(CountyAudit).order_by(CountyAudit.seq))]
        assert actions == ["transfer.request", "transfer.approve"]
        fed = up.execute(
            select(RegistryChange.township_code, RegistryChange.entity_type).where(
                RegistryChange.entity_id == person.id, RegistryChange.centre_code == B_CODE
            )
        ).all()
        assert sorted(fed) == [(A_CODE, "person"), (B_CODE, "person")]
        # X's statuses follow X, to both townships.
        pension = coverage_id(person.id, "pension")
        fed = up.scalars(
            select(RegistryChange.township_code).where(
                RegistryChange.entity_id == pension, RegistryChange.centre_code == B_CODE
            )
        ).all()
        assert sorted(fed) == [A_CODE, B_CODE]
    db.close()

    # B's next sync: X is B's, under the county's id; B's enrolment goes through, and B's
    # medical status with it, under the county's id for X.
    report = run_sync(b.database, retry=FAST_RETRY)
    assert report.transfers_adopted == 1 and report.transfers_decided == 1
    assert report.counts.get("accepted") == 2
    assert queue(b.database) == []
    with b.database.reading() as db:
        statuses = {
            row.line: (row.status, row.source, row.version)
            for row in db.scalars(
                select(CoverageStatus).where(CoverageStatus.person_id == person.id)
            )
        }
    assert statuses["pension"] == ("insured_here", "enrolment", 1)  # A's, through the county
    assert statuses["medical"] == ("not_insured", "enrolment", 1)  # B's own, merged
    db = county(server)
    with db.reading() as up:
        medical = up.get_one(UpCoverage, coverage_id(person.id, "medical"))
        assert (medical.centre_code, medical.payload["reason"]) == (B_CODE, "lapsed")
    db.close()
    with b.database.reading() as db:
        local = db.scalars(select(Person)).one()
        assert local.id == person.id and local.owner_centre_code is None
        assert sorted(e.scheme for e in db.scalars(select(Enrolment))) == [
            "resident_medical",
            "resident_pension",
        ]
        assert {"transfer.request", "transfer.approved", "transfer.adopt"} <= set(
            db.scalars(select(AuditEntry.action))
        )
        assert db.scalars(select(TransferRequestRow.state)).one() == "approved"
    assert [t.adopted for t in transfer_requests(b.database)] == [True]
    db = county(server)
    with db.reading() as up:
        assert sorted(up.scalars(select(UpEnrolment.scheme))) == [
            "resident_medical",
            "resident_pension",
        ]
    db.close()

    # A hears of it, and A's later edit of X is refused, naming B.
    run_sync(a.database, retry=FAST_RETRY)
    with a.database.reading() as db:
        assert db.scalars(select(Person.owner_centre_code)).one() == B_CODE
    enrol(a.database, a.actor, x(name="欧阳秀兰"), [], today=TODAY)
    assert run_sync(a.database, retry=FAST_RETRY).counts == {"rejected": 1}
    (refused,) = queue(a.database)
    assert refused.code == "not_owner" and refused.owner == {
        "centre_code": B_CODE,
        "centre_name": B_NAME,
    }
    assert B_NAME in refused.message
    db = county(server)
    with db.reading() as up:
        assert up.scalars(select(UpPerson.name)).one() == "欧阳秀英"
    db.close()


def test_transfer_requests_refused_and_replayed(server, centres, tmp_path):
    a, b = centres
    enrol(
        a.database,
        a.actor,
        x(),
        [EnrolmentChoice("resident_pension", tier_fen=50_000)],
        today=TODAY,
    )
    run_sync(a.database, retry=FAST_RETRY)
    # A cannot ask for its own person; nobody can ask for a person the county lacks.
    with pytest.raises(SyncError) as caught:
        request_transfer(a.database, a.actor, ID_NUMBER, "自己的人", retry=FAST_RETRY)
    assert caught.value.code == "already_owner"
    unknown = make_id_number("320583", date(1990, 1, 1), 11)
    with pytest.raises(SyncError) as caught:
        request_transfer(b.database, b.actor, unknown, "新来的", retry=FAST_RETRY)
    assert caught.value.code == "unknown_person" and "直接登记" in caught.value.message
    with pytest.raises(ServiceError) as caught:
        request_transfer(b.database, b.actor, ID_NUMBER, " ", retry=FAST_RETRY)
    assert caught.value.code == "invalid_reason"
    with pytest.raises(ServiceError) as caught:
        request_transfer(b.database, b.actor, "12345", "x", retry=FAST_RETRY)
    assert caught.value.code == "no_registered_elsewhere"

    asked = request_transfer(b.database, b.actor, ID_NUMBER, "已迁入", retry=FAST_RETRY)
    with b.database.reading() as db:
        body = db.get_one(TransferRequestRow, asked.id).body
        signer = load_signer(db)
    assert body is not None

    def post(raw: bytes, key=signer) -> httpx.Response:
        headers = {
            DEVICE_HEADER: str(key.device_id),
            SIGNATURE_HEADER: base64.b64encode(key.sign(raw)).decode(),
        }
        return httpx.post(f"{server.base}/v1/transfers", content=raw, headers=headers, timeout=20)

    first, replay = post(body), post(body)
    assert first.status_code == replay.status_code == 200
    assert first.content == replay.content
    # The same id with other bytes is refused; so is A's device replaying B's bytes.
    other = body.replace("已迁入".encode(), "改了".encode())
    assert post(other).json()["code"] == "transfer_id_reused"
    with a.database.reading() as db:
        a_signer = load_signer(db)
    assert post(body, a_signer).json()["code"] == "transfer_id_reused"
    # Both centres may read where the request stands (signed GET); a third centre may not.
    third = new_centre(tmp_path / "c", "320583103", "千灯镇社会保障服务中心")
    try:
        connect(third, server)
        for session, allowed in ((b, True), (a, True), (third, False)):
            with session.database.reading() as db:
                transport = Transport(server.base, load_signer(db), FAST_RETRY)
            try:
                status = transport.get_transfer(asked.id)
            finally:
                transport.close()
            assert (status is not None) == allowed
            if status is not None:
                assert (status.state, status.from_centre, status.to_centre) == (
                    "requested",
                    A_CODE,
                    B_CODE,
                )
    finally:
        third.close()
    unsigned = httpx.get(f"{server.base}/v1/transfers/{asked.id}", timeout=20)
    assert unsigned.status_code == 400 and unsigned.json()["code"] == "bad_device_header"
    # Refused with a reason; the refusal reaches B on its next sync.
    assert cli(server, "refuse", str(asked.id), "--by", "张科长") == 1
    assert cli(server, "refuse", str(asked.id), "--by", "张科长", "--note", "未见居住证明") == 0
    report = run_sync(b.database, retry=FAST_RETRY)
    assert report.transfers_decided == 1
    kept = {t.id: t for t in transfer_requests(b.database)}
    assert (kept[asked.id].state, kept[asked.id].note) == ("refused", "未见居住证明")
    # The request for a person the county lacks stays unsent, with the county's reason.
    (unsent,) = [t for t in kept.values() if t.id != asked.id]
    assert unsent.state == "unsent" and unsent.last_error.startswith("unknown_person")
    db = county(server)
    with db.reading() as up:
        assert up.scalars(select(UpPerson.centre_code)).one() == A_CODE
        assert len(up.scalars(select(Transfer)).all()) == 1
    db.close()
    with b.database.reading() as db:
        assert db.scalar(select(OutboxEntry.seq).limit(1)) is None  # nothing went upstream


def test_the_clerk_asks_from_the_command_line(server, centres, tmp_path):
    from tests.sync.test_cli_transfer import client

    a, b = centres
    enrol(a.database, a.actor, x(), [EnrolmentChoice("resident_medical")], today=TODAY)
    run_sync(a.database, retry=FAST_RETRY)
    home = Path(b.database.paths.root)
    b.close()  # the command line opens the store itself

    bad = client(home, "transfer", "request", "3205831985", "--reason", "已迁入")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "身份证" in bad.stderr or "号码" in bad.stderr
    done = client(home, "transfer", "request", ID_NUMBER, "--reason", "已迁入周市镇")
    assert done.returncode == 0, done.stderr
    assert "已申请转入" in done.stdout and A_NAME in done.stdout and ID_NUMBER not in done.stdout
    status = client(home, "transfer", "status")
    assert status.returncode == 0 and "待审批" in status.stdout and "已迁入周市镇" in status.stdout


def test_a_neighbour_that_already_holds_the_county_record_takes_it_over(server, tmp_path):
    """B in A's township has X from the feed; its edit and enrolment of X are refused until
    the transfer, then go up as they were."""
    a = new_centre(tmp_path / "a", A_CODE, A_NAME)
    b = new_centre(tmp_path / "b", A_CODE + "9", "玉山镇第二服务点")  # same township
    try:
        connect(a, server)
        connect(b, server)
        enrol(
            a.database,
            a.actor,
            x(),
            [EnrolmentChoice("resident_pension", tier_fen=50_000)],
            today=TODAY,
        )
        run_sync(a.database, retry=FAST_RETRY)
        run_sync(b.database, retry=FAST_RETRY)
        with b.database.reading() as db:
            assert db.scalars(select(Person.owner_centre_code)).one() == A_CODE
        enrol(
            b.database, b.actor, x(phone=PHONE), [EnrolmentChoice("resident_medical")], today=TODAY
        )
        assert run_sync(b.database, retry=FAST_RETRY).counts == {"rejected": 2}
        assert {i.code for i in queue(b.database)} == {"not_owner"}
        asked = request_transfer(b.database, b.actor, ID_NUMBER, "迁入", retry=FAST_RETRY)
        assert cli(server, "approve", str(asked.id), "--by", "张科长") == 0

        report = run_sync(b.database, retry=FAST_RETRY)
        assert report.transfers_adopted == 1 and report.counts == {"accepted": 2}
        assert queue(b.database) == []
        db = county(server)
        with db.reading() as up:
            person = up.scalars(select(UpPerson)).one()
            assert person.centre_code == b.actor.centre_code
            assert person.payload["phone"] == PHONE  # B's refused edit, sent again
            assert sorted(up.scalars(select(UpEnrolment.scheme))) == [
                "resident_medical",
                "resident_pension",
            ]
        db.close()
        with b.database.reading() as db:
            assert db.scalars(select(Person.owner_centre_code)).one() is None
    finally:
        a.close()
        b.close()
