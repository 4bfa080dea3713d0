"""County migration 0011: the employers and stays the county held before they went into the
registry feed are appended to it once — employers under their centre's township and their
stays' persons' townships, stays under their person's — after every cursor handed out so far
(SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, select

from caseworker.upstream.db import open_upstream
from caseworker.upstream.devices import add_centre
from caseworker.upstream.intake import append_feed
from caseworker.upstream.models import (
    Employer,
    Employment,
    FeedCounter,
    Person,
    RegistryChange,
)


def test_0011_files_the_employers_and_stays_already_held(upstream_url: str):
    db = open_upstream(upstream_url, migrate=False)
    try:
        db.upgrade("0010")
        add_centre(db, "320583101", "玉山镇社会保障服务中心")
        person, employer, stay = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        with db.writing() as session:
            conn = session.connection()
            # Something already in the feed: the backfill comes after it.
            seq = append_feed(conn, "registry", 1) + 1
            conn.execute(
                insert(RegistryChange.__table__),
                [
                    {
                        **dict(seq=seq, township_code="320583102", entity_type="person"),
                        **dict(entity_id=uuid.uuid4(), version=1, centre_code="320583102"),
                        "payload": {},
                    }
                ],
            )
            conn.execute(
                insert(Person.__table__).values(
                    id=person,
                    version=1,
                    centre_code="320583101",
                    payload={"id": str(person)},
                    id_number="320583199001010010",
                    name="林小燕",
                    township_code="320583109",  # the hukou's township, not the centre's
                )
            )
            conn.execute(
                insert(Employer.__table__).values(
                    id=employer,
                    version=2,
                    centre_code="320583101",
                    payload={"id": str(employer), "name": "昆山小蜜蜂网络科技有限公司"},
                    credit_code="91320583MA1234567U",
                )
            )
            conn.execute(
                insert(Employment.__table__).values(
                    id=stay,
                    version=3,
                    centre_code="320583101",
                    payload={"id": str(stay), "base_fen": 500_000},
                    person_id=person,
                    employer_id=employer,
                )
            )
        db.upgrade()
        with db.reading() as session:
            filed = [
                (r.seq, r.township_code, r.entity_type, r.entity_id, r.version, r.centre_code)
                for r in session.scalars(select(RegistryChange).order_by(RegistryChange.seq))
            ]
            payloads = [r.payload for r in session.scalars(select(RegistryChange))]
            counter = session.get_one(FeedCounter, "registry").value
        assert filed[1:] == [
            (seq + 1, "320583101", "employer", employer, 2, "320583101"),
            # The person's township gets the employer too, before the stay that names it.
            (seq + 2, "320583109", "employer", employer, 2, "320583101"),
            (seq + 3, "320583109", "employment", stay, 3, "320583101"),
        ]
        assert counter == seq + 3  # the next accepted change gets the next cursor
        assert {"id": str(stay), "base_fen": 500_000} in payloads  # kept whole, read redacted
    finally:
        db.close()
