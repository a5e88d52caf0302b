"""Identity resolution rules on small hand-made cases, through real dbt and DuckDB.

Rows are written straight into the raw tables of a fresh warehouse (the loader's DDL), then
staging, the identity seeds and the identity models are built with dbt (fuzzy matcher off:
these cases test the deterministic rules). Each scenario uses its own identifiers, so one
build serves all the rule scenarios; the merge and rebuild scenarios build several times,
and one builds the timeline too (a merge reaching the rows an incremental fact built before).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from omni.landing.schema import create_schemas

PROJECT = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
NO_FUZZY = json.dumps({"identity_fuzzy_enabled": False})

DEFAULTS: dict[str, dict[str, object]] = {
    "web__events": {
        "type": "track",
        "event": "Product Viewed",
        "timestamp": "2026-03-01T10:00:00+00:00",
        "received_at": "2026-03-01T10:00:00+00:00",
        "context": json.dumps({"user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0"}),
    },
    "ecommerce__accounts": {
        "accepts_marketing": "true",
        "created_at": "2026-01-01T10:00:00+00:00",
        "updated_at": "2026-01-01T10:00:00+00:00",
    },
    "ecommerce__orders": {
        "first_name": "X",
        "last_name": "Y",
        "ship_address_line1": "1 rue de la Paix",
        "ship_postcode": "75002",
        "ship_city": "Paris",
        "ship_country": "FR",
        "created_at": "2026-02-01T10:00:00+00:00",
        "updated_at": "2026-02-01T10:00:00+00:00",
        "status": "paid",
        "sales_channel": "web",
        "fulfilment": "home_delivery",
        "currency": "EUR",
        "subtotal": "10.00",
        "discount_total": "0.00",
        "shipping_total": "0.00",
        "tax_total": "0.00",
        "total": "10.00",
        "refunded_total": "0.00",
    },
    "loyalty__members": {
        "address_line1": "5 avenue Victor Hugo",
        "postcode": "69001",
        "city": "Lyon",
        "country": "FR",
        "preferred_language": "fr",
        "email_opt_in": "true",
        "sms_opt_in": "true",
        "mail_opt_in": "true",
        "enrolled_at": "2026-01-05T10:00:00+00:00",
        "enrolled_channel": "store",
        "tier": "bronze",
        "status": "active",
        "updated_at": "2026-01-05T10:00:00+00:00",
    },
    "call_center__calls": {
        "direction": "IN",
        "started_at": "05/03/2026 10:00:00",
        "duration_sec": "120",
        "queue": "LOYALTY",
        "disposition": "RESOLVED",
        "agent_id": "AG101",
    },
    "pos__transactions": {
        "store_id": "FR-PAR-01",
        "register_id": "FR-PAR-01-R01",
        "transaction_local_time": "2026-03-02 11:00:00",
        "transaction_type": "sale",
        "currency": "EUR",
        "total_amount": "20.00",
        "item_count": "1",
        "payment_method": "card",
    },
    "pos__stores": {
        "store_name": "Paris Opéra",
        "city": "Paris",
        "country": "FR",
        "timezone": "Europe/Paris",
        "currency": "EUR",
        "opened_on": "2020-01-01",
    },
    "direct_mail__sends": {
        "campaign_id": "CMP9",
        "city": "Paris",
        "country": "FR",
        "sent_on": "2026-02-15",
        "piece_type": "catalog",
    },
    "email__events": {
        "campaign_id": "CMP1",
        "event_type": "sent",
        "occurred_at": "1772000000",
    },
}


class Warehouse:
    """A fresh warehouse file with raw tables, filled by hand, built by dbt."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.next_file_id = 1
        self.lines: dict[int, int] = defaultdict(int)
        with duckdb.connect(str(path)) as con:
            create_schemas(con)
        self.add_file("pos__stores", [{"store_id": "FR-PAR-01"}])

    def add_file(self, table: str, rows: list[dict[str, object]]) -> None:
        """Rows of one delivered file (one _file_id, lines from 2), loaded after the previous."""
        file_id = self.next_file_id
        self.next_file_id += 1
        with duckdb.connect(str(self.path)) as con:
            for line, row in enumerate(rows, start=2):
                values = {**DEFAULTS.get(table, {}), **row}
                values |= {
                    "_load_id": file_id,
                    "_file_id": file_id,
                    "_source_file": f"{table}/{file_id}.csv",
                    "_source_line": line,
                    # one load per file, each later (incremental staging reads what is new)
                    "_loaded_at": datetime(2026, 3, 10) + timedelta(seconds=file_id),
                }
                names = ", ".join(f'"{name}"' for name in values)
                marks = ", ".join("?" for _ in values)
                con.execute(
                    f"insert into raw.{table} ({names}) values ({marks})", list(values.values())
                )

    def dbt(self, *args: str) -> None:
        env = {
            **os.environ,
            "DBT_PROFILES_DIR": str(PROJECT),
            "OMNI_WAREHOUSE": str(self.path),
            # a target and log folder of its own: other dbt runs of the project can go on
            "DBT_TARGET_PATH": str(self.path.parent / "target"),
            "DBT_LOG_PATH": str(self.path.parent / "logs"),
        }
        result = subprocess.run([DBT, *args], cwd=PROJECT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-4000:]

    def build(self, *extra: str) -> None:
        self.dbt(
            "seed",
            "--select",
            "identity_rules",
            "identity_blocked_values",
            "identity_phone_line_types",
            *extra,
        )
        self.dbt("run", "--select", "path:models/staging", *extra)
        self.dbt(
            "build",
            "--select",
            "path:models/intermediate/identity",
            "path:models/marts/identity",
            "path:tests/dbt/identity",
            # not the tests of the marts that read the identity models (fct_orders...)
            "--indirect-selection",
            "cautious",
            "--vars",
            NO_FUZZY,
            *extra,
        )

    def build_timeline(self) -> None:
        """Every seed, then the timeline (fct_interactions) and all it reads."""
        self.dbt("seed")
        self.dbt("run", "--select", "+fct_interactions", "--vars", NO_FUZZY)

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def customer(self, record_key: str) -> str | None:
        rows = self.query(
            "select customer_id from intermediate.int_identity_records_clustered "
            "where record_key = ?",
            [record_key],
        )
        return rows[0][0] if rows else None

    def customers(self) -> dict[str, str]:
        return dict(
            self.query(
                "select record_key, customer_id from intermediate.int_identity_records_clustered"
            )
        )

    def refusals(self, record_key: str) -> set[tuple[str, str]]:
        return {
            (kind, rule)
            for kind, rule in self.query(
                "select identifier_type, rule from marts.identity_links_refused "
                "where record_key = ?",
                [record_key],
            )
        }


def _account(account_id, email, first, last, phone=None, **extra):
    return {
        "account_id": account_id,
        "email": email,
        "phone": phone,
        "first_name": first,
        "last_name": last,
        **extra,
    }


def _member(member_id, card, first, last, email=None, phone=None, account_id=None, **extra):
    return {
        "member_id": member_id,
        "card_number": card,
        "account_id": account_id,
        "email": email,
        "phone": phone,
        "first_name": first,
        "last_name": last,
        **extra,
    }


def _call(call_id, caller, member_id=None, order_ref=None):
    return {
        "call_id": call_id,
        "caller_number": caller,
        "member_id": member_id,
        "order_ref": order_ref,
    }


@pytest.fixture(scope="module")
def rules_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    w = Warehouse(tmp_path_factory.mktemp("identity") / "rules.duckdb")
    w.add_file(
        "ecommerce__accounts",
        [
            # shared landline: two accounts of one household
            _account("4000000001", "alice.martin@orange.fr", "Alice", "Martin", "01 40 00 00 01"),
            _account("4000000002", "bob.martin@orange.fr", "Bob", "Martin", "+33 1 40 00 00 01"),
            # family email: an account and a membership (no account) of two people
            _account("4000000003", "famille.durand@orange.fr", "Claire", "Durand"),
            # chain of five hops
            _account("4000000008", "eve.roux@free.fr", "Eve", "Roux"),
            # an account and a membership of one person (same name, same email)
            _account(
                "4000000010",
                "iris.blanc@free.fr",
                "Iris",
                "Blanc",
                address_line1="9 rue Oberkampf",
                postcode="75011",
                city="Paris",
                country="FR",
            ),
            # namesakes of one household: two people, two emails
            _account(
                "4000000011",
                "jules.roy@free.fr",
                "Jules",
                "Roy",
                address_line1="4 rue Caulaincourt",
                postcode="75018",
                city="Paris",
                country="FR",
            ),
        ],
    )
    w.add_file(
        "loyalty__members",
        [
            _member(
                "M00000003", "6034 1000 0000 0003", "Denis", "Durand", "famille.durand@orange.fr"
            ),
            _member(
                "M00000007", "6034 1000 0000 0007", "Gaston", "Lagaffe", phone="06 11 11 11 07"
            ),
            _member(
                "M00000008",
                "6034 1000 0000 0008",
                "Eve",
                "Roux",
                "eve.r@laposte.net",
                "06 11 11 11 08",
            ),
            _member("M00000009", "6034 1000 0000 0009", "Hugo", "Petit", phone="06 11 11 11 09"),
            _member("M00000012", "6034 1000 0000 0012", "Kate", "Lee", phone="(514) 555-0112"),
            _member(
                "M00000010",
                "6034 1000 0000 0010",
                "BLANC",
                "Iris",
                "Iris.Blanc@free.fr",
                address_line1="9 r. Oberkampf",
                postcode="75011",
            ),
            _member(
                "M00000011",
                "6034 1000 0000 0011",
                "Jules",
                "Roy",
                "jules.roy.junior@free.fr",
                address_line1="4 rue Caulaincourt",
                postcode="75018",
            ),
        ],
    )
    w.add_file(
        "call_center__calls",
        [
            _call("CALL1", "01.40.00.00.01"),  # the shared landline
            _call("CALL7A", "0611111107", member_id="M00000007"),  # corroborated by the phone
            _call("CALL7B", "0622222208", member_id="00000007"),  # typed without M, no agreement
            _call("CALL7C", "0633333309", member_id="M99999999"),  # no such member
            _call("CALL8", "+33 6 11 11 11 08", member_id="M00000008"),  # last hop of the chain
            _call("CALL9", "06.11.11.11.09"),  # a French mobile: links to its member
            _call("CALL12", "514-555-0112"),  # a North American number: line type unknown
        ],
    )
    w.add_file(
        "direct_mail__sends",
        [
            # the name + address of one person's account and membership
            {
                "mailing_id": "DM10",
                "recipient_name": "Mme Iris Blanc",
                "address_line1": "9 avenue Oberkampf",
                "postcode": "75011",
            },
            # the name + address of two namesakes: nobody's
            {
                "mailing_id": "DM11",
                "recipient_name": "M. Jules Roy",
                "address_line1": "4 rue Caulaincourt",
                "postcode": "75018",
            },
        ],
    )
    w.add_file(
        "pos__transactions",
        [
            # the staff card swiped for two different customers
            {
                "receipt_id": "R5A",
                "loyalty_card": "6034 0000 0000 0000",
                "receipt_email": "fanny@a.fr",
            },
            {"receipt_id": "R5B", "loyalty_card": "6034000000000000", "receipt_email": "gus@b.fr"},
            # a blocked card (seed identity_blocked_values)
            {
                "receipt_id": "R6A",
                "loyalty_card": "6034 1111 1111 1111",
                "receipt_email": "hugo@c.fr",
            },
            {"receipt_id": "R6B", "loyalty_card": "6034111111111111", "receipt_email": "ines@d.fr"},
            # chain: the account's email and the member's card on one receipt
            {
                "receipt_id": "R8",
                "loyalty_card": "6034100000000008",
                "receipt_email": " Eve.Roux@free.fr",
            },
        ],
    )
    w.add_file(
        "web__events",
        [
            # chain: an anonymous visit, then the same cookie logged in
            {"message_id": "W8A", "anonymous_id": "cookie-8"},
            {
                "message_id": "W8B",
                "anonymous_id": "cookie-8",
                "user_id": "4000000008",
                "received_at": "2026-03-01T10:05:00+00:00",
            },
        ],
    )
    w.build()
    return w


def test_shared_landline_links_nobody(rules_warehouse: Warehouse) -> None:
    w = rules_warehouse
    alice = w.customer("ecommerce/accounts:4000000001")
    bob = w.customer("ecommerce/accounts:4000000002")
    assert alice and bob and alice != bob
    # refused as shared, or not linking at all while phone links are off (identity_rules)
    for key in ("ecommerce/accounts:4000000001", "call_center/calls:CALL1"):
        assert w.refusals(key) & {("phone", "shared_identifier"), ("phone", "not_linking")}
    # the call has nothing else: it belongs to no customer
    assert w.customer("call_center/calls:CALL1") is None
    linking = w.query(
        "select is_linking from marts.customer_identifiers where customer_id = ? "
        "and identifier_type = 'phone'",
        [alice],
    )
    assert linking == [(False,)]


def test_phones_link_by_line_type(rules_warehouse: Warehouse) -> None:
    w = rules_warehouse
    # a French mobile is one person's: the call belongs to the member
    assert w.customer("call_center/calls:CALL9") == w.customer("loyalty/members:M00000009")
    assert w.customer("call_center/calls:CALL9") is not None
    # a North American number may be a household landline (identity_rules: phone off)
    assert w.customer("call_center/calls:CALL12") is None
    assert ("phone", "not_linking") in w.refusals("call_center/calls:CALL12")
    rules = w.query(
        "select rule from intermediate.int_identity_links_evaluated "
        "where record_key = 'call_center/calls:CALL9' and identifier_type = 'phone'"
    )
    assert rules == [("exact_phone_mobile",)]


def test_name_address_of_one_person_links_and_of_namesakes_does_not(
    rules_warehouse: Warehouse,
) -> None:
    w = rules_warehouse
    # a membership without account, with the account's name and email: one strong identity,
    # so the mail piece with that name and address joins them
    iris = w.customer("ecommerce/accounts:4000000010")
    assert iris is not None
    assert w.customer("loyalty/members:M00000010") == iris
    assert w.customer("direct_mail/sends:DM10") == iris
    # two people of one name at one address (different emails): two customers, and the
    # mail piece that could be either's goes to neither
    junior = w.customer("loyalty/members:M00000011")
    assert junior is not None and junior != w.customer("ecommerce/accounts:4000000011")
    assert w.customer("direct_mail/sends:DM11") is None
    assert ("name_address", "shared_identifier") in w.refusals("direct_mail/sends:DM11")


def test_family_email_links_nobody(rules_warehouse: Warehouse) -> None:
    w = rules_warehouse
    claire = w.customer("ecommerce/accounts:4000000003")
    denis = w.customer("loyalty/members:M00000003")
    assert claire and denis and claire != denis
    assert ("email", "shared_identifier") in w.refusals("loyalty/members:M00000003")


def test_staff_and_blocked_cards_link_nobody(rules_warehouse: Warehouse) -> None:
    w = rules_warehouse
    assert w.customer("pos/transactions:R5A") != w.customer("pos/transactions:R5B")
    # the staff card is null from staging on: no identifier, nothing to refuse
    assert not any(kind == "card_number" for kind, _ in w.refusals("pos/transactions:R5A"))
    assert w.customer("pos/transactions:R6A") != w.customer("pos/transactions:R6B")
    assert ("card_number", "blocked_value") in w.refusals("pos/transactions:R6A")


def test_typed_member_id_needs_corroboration(rules_warehouse: Warehouse) -> None:
    w = rules_warehouse
    member = w.customer("loyalty/members:M00000007")
    assert w.customer("call_center/calls:CALL7A") == member
    detail = w.query(
        "select rule, detail from marts.customer_identity_explained "
        "where record_key = 'call_center/calls:CALL7A' and linked_by = 'member_id_typed'"
    )
    assert detail and detail[0][0] == "corroborated_member_id" and "phone" in detail[0][1]
    assert w.customer("call_center/calls:CALL7B") != member
    assert ("member_id_typed", "uncorroborated_member_id") in w.refusals("call_center/calls:CALL7B")
    assert ("member_id_typed", "unknown_member_id") in w.refusals("call_center/calls:CALL7C")


def test_chain_of_five_hops_is_one_customer(rules_warehouse: Warehouse) -> None:
    w = rules_warehouse
    keys = [
        "web/events:W8A",  # cookie (before the login)
        "web/events:W8B",  # cookie + account
        "ecommerce/accounts:4000000008",  # account + email
        "pos/transactions:R8",  # email + card
        "loyalty/members:M00000008",  # card + member + phone
        "call_center/calls:CALL8",  # typed member id, corroborated by the phone
    ]
    customers = {w.customer(key) for key in keys}
    assert len(customers) == 1 and None not in customers
    (customer,) = customers
    row = w.query(
        "select record_count, web_records, first_name, email, anchor_record_key "
        "from marts.dim_customers where customer_id = ?",
        [customer],
    )
    assert row[0][:3] == (6, 2, "Eve")
    # the anchor is the first delivered record, whatever the event times
    assert row[0][4] == "ecommerce/accounts:4000000008"


def test_merge_keeps_the_older_id_and_logs_it(tmp_path: Path) -> None:
    w = Warehouse(tmp_path / "merge.duckdb")
    w.add_file("ecommerce__accounts", [_account("4000000020", "jules@free.fr", "Jules", "Verne")])
    w.add_file(
        "loyalty__members",
        [_member("M00000020", "6034 1000 0000 0020", "Jules", "Verne", "j.verne@laposte.net")],
    )
    w.build()
    older = w.customer("ecommerce/accounts:4000000020")
    younger = w.customer("loyalty/members:M00000020")
    assert older and younger and older != younger

    # an order with the account and the member's email: the two customers merge
    w.add_file(
        "ecommerce__orders",
        [
            {
                "order_id": "9000000020",
                "account_id": "4000000020",
                "email": "j.verne@laposte.net",
                "first_name": "VERNE",  # swapped and in capitals: the same name
                "last_name": "Jules",
            }
        ],
    )
    w.build()
    assert w.customer("loyalty/members:M00000020") == older
    assert w.customer("ecommerce/orders:9000000020") == older
    log = w.query(
        "select merged_customer_id, surviving_customer_id, records_moved, identifier_type "
        "from marts.identity_merge_log"
    )
    assert log == [(younger, older, 1, "email")]
    history = w.query(
        "select customer_id, previous_customer_id from marts.identity_assignment_history "
        "where record_key = 'loyalty/members:M00000020' order by assigned_at"
    )
    assert history == [(younger, None), (older, younger)]

    # a full rebuild keeps every id, the history and the merge log
    before = w.customers()
    w.build("--full-refresh")
    assert w.customers() == before
    assert len(w.query("select * from marts.identity_merge_log")) == 1

    # and so does a rebuild of the same raw data in a fresh warehouse
    fresh = tmp_path / "fresh.duckdb"
    shutil.copyfile(w.path, fresh)
    with duckdb.connect(str(fresh)) as con:
        for schema in ("intermediate", "marts", "staging", "reference"):
            con.execute(f"drop schema if exists {schema} cascade")
    rebuilt = Warehouse.__new__(Warehouse)
    rebuilt.path = fresh
    rebuilt.build()
    assert rebuilt.customers() == before
    # an explanation of the merged id follows it to the survivor
    from omni.explain import explain

    text = explain(w.path, younger)
    assert f"{younger} was merged into {older}" in text


def _app_event(event_id: str, device_id: str, user_id: str | None = None) -> dict[str, object]:
    return {
        "event_id": event_id,
        "event_name": "login" if user_id else "app_open",
        "event_timestamp": 1772000000000000,
        "device_id": device_id,
        "platform": "ios",
        "app_version": "5.1.0",
        "user_id": user_id,
    }


def test_a_device_that_logs_in_brings_its_earlier_app_events_to_the_customer(
    tmp_path: Path,
) -> None:
    """The incremental timeline reaches rows it built before: a device known alone (an
    anonymous customer, so no customer on its events) logs in to a new account; the
    device's customer is older, so its id survives and no earlier app event moves, yet
    those events must now show that customer (refresh_customer_ids)."""
    w = Warehouse(tmp_path / "device.duckdb")
    w.add_file("app__events", [_app_event("AE1", "DEV-77"), _app_event("AE2", "DEV-77")])
    w.build_timeline()
    timeline = "select source_record_id, customer_id from marts.fct_interactions order by 1"
    assert w.query(timeline) == [("AE1", None), ("AE2", None)]
    device_customer = w.customer("app/events:AE1")
    assert device_customer is not None

    w.add_file(
        "ecommerce__accounts", [_account("4000000077", "ada.lovelace@free.fr", "Ada", "Lovelace")]
    )
    w.add_file("app__events", [_app_event("AE3", "DEV-77", "4000000077")])
    w.build_timeline()
    assert w.customer("ecommerce/accounts:4000000077") == device_customer
    assert w.query(timeline) == [
        ("AE1", device_customer),
        ("AE2", device_customer),
        ("AE3", device_customer),
    ]
    # the refresh found AE1 and AE2 through the customer's change of anonymity, flagged
    # alone by the second run
    tracker = "intermediate.int_customer_anonymity_changes_detected"
    assert w.query(
        f"select customer_id, is_anonymous from {tracker} "
        f"where changed_at = (select max(changed_at) from {tracker})"
    ) == [(device_customer, False)]
