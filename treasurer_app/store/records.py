"""What the file holds, edit by edit: years, scalar form values, the ledger header, attachments,
acknowledged warnings and the rows of the tables (roster, training sessions, ledger entries, the LINE
subsidy's tables), and the whole project read back (``load``).

Personal values are sealed by ``treasurer_app.privacy`` before they reach SQL, bound to their table, row id
and column. ``Records`` is the half of ``Store`` that knows the project's shape; the other half
(``treasurer_app.store``) opens the file and runs every edit method here as one transaction.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from treasurer_app import normalise, privacy
from treasurer_app.forms import FORMS, SCALAR_FORMS
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.ledger.sheet import ENTRY_FIELD, ENTRY_KEYS, HEADER_FIELD, HEADER_KEYS
from treasurer_app.line_subsidy.forms import LINE_FORMS, LINE_SCALAR_FORMS, LINE_TABLES
from treasurer_app.project import ATTACHMENT_KINDS, Project, YearBook, YearRows
from treasurer_app.store.deferred import DeferredRows
from treasurer_app.store.errors import StoreDamaged, StoreError, translate_open_error
from treasurer_app.store.order import POSITION_GAP, RowOrder

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "roster": tuple(f.key for f in FORMS["roster"].columns),
    "training_report": tuple(f.key for f in FORMS["training_report"].columns),
    "ledger": ENTRY_KEYS,
    **{table: tuple(f.key for f in LINE_FORMS[table].columns) for table in LINE_TABLES},
}
TABLE_NAMES = {
    "roster": "會員名冊", "training_report": "教育訓練成果報告", "ledger": "現金收支登記簿",
    **{table: LINE_FORMS[table].sheet_name for table in LINE_TABLES},
}  # fmt: skip
_FORM_KEYS: dict[str, frozenset[str]] = {
    form_id: frozenset(f.key for f in (*FORMS[form_id].fields, *FORMS[form_id].extra_fields))
    for form_id in SCALAR_FORMS
} | {form_id: frozenset(f.key for f in LINE_FORMS[form_id].fields) for form_id in LINE_SCALAR_FORMS}
_COLUMN_SETS = {table: frozenset(columns) for table, columns in TABLE_COLUMNS.items()}
_TABLE_FIELDS = {"roster": normalise.ROSTER_FIELDS, "training_report": normalise.SESSION_FIELDS, "ledger": ENTRY_FIELD,
                 **normalise.LINE_TABLE_FIELDS}  # fmt: skip
_KEY_LOOKUP = threading.Lock()  # a key left for later is looked up once, by the first thread that needs it
# meta: the normalisation rules (normalise.RULES_VERSION) every stored value was last written with.
NORMALISED_KEY = "normalised"
_ABSENT = object()
MetaValue = str | int | float | None  # what the meta table holds (SQLite's types but blobs, which it never holds)


class Records:
    """The project's records in an open file; ``Store`` supplies the connection and the transactions."""

    path: Path
    read_only: bool
    project_id: str
    _key_problem: privacy.PrivacyError | None
    _key_pending: bool  # the key is looked up when first needed (see _open_key)
    _key_check: str  # meta's key_check, read at opening: the key may be looked up on another thread
    _cipher: privacy.Cipher | None
    _key: bytes | None
    _depth: int
    _orders: dict[tuple[int, str], RowOrder]
    _years: set[int] | None
    network: bool
    rows_read: int  # rows decoded since the file was opened: for the tests of lazy loading

    if TYPE_CHECKING:  # supplied by Store (treasurer_app/store/__init__.py)

        def _db(self) -> sqlite3.Connection: ...
        def _reader(self) -> tuple[sqlite3.Connection, bool]: ...
        def transaction(self) -> contextlib.AbstractContextManager[None]: ...
        def _write(self) -> contextlib.AbstractContextManager[None]: ...
        def _refuse_writes(self) -> None: ...
        def _meta(self, key: str) -> MetaValue: ...
        def _set_meta(self, key: str, value: object) -> None: ...
        def backup_now(self, now: datetime | None = None, kind: str = "") -> Path: ...

    # ---- validation helpers ----

    @staticmethod
    def _table(table: str) -> str:
        if table not in TABLE_COLUMNS:
            raise ValueError(f"unknown table {table!r}")
        return table

    @staticmethod
    def _record(table: str, record: Mapping[str, str]) -> dict[str, str]:
        columns = _COLUMN_SETS[table]
        for key, value in record.items():
            if key not in columns:
                raise ValueError(f"{table} has no column {key!r}")
            if not isinstance(value, str):
                raise TypeError(f"{table}.{key} must be text, got {type(value).__name__}")
        return dict(record)

    def _known_years(self) -> set[int]:
        if self._years is None:
            self._years = {row[0] for row in self._db().execute("SELECT year FROM years")}
        return self._years

    def _require_year(self, year: int) -> None:
        if year not in self._known_years():
            raise ValueError(f"{year} 年度不存在")

    def years(self) -> list[int]:
        return sorted(self._known_years())

    # ---- the key that seals personal values ----

    def _open_key(self, *, required: bool) -> None:
        """At opening: a file holding sealed values has its key looked up now (``required``: a missing or
        wrong key stops a writable opening, as the user must import it first). A file with none (an empty
        project) has it looked up when first needed: a personal value written or read, ``key_problem`` or
        ``personal_available`` asked, the key exported. Opening it then asks no credential store."""
        self._key_check = str(self._meta("key_check") or "")
        if self._db().execute("SELECT 1 FROM rows WHERE sealed != '{}' LIMIT 1").fetchone() is None:
            self._key_pending = True
            return
        self._load_key(required=required)

    def _load_key(self, *, required: bool) -> None:
        try:
            key = privacy.load_key(self.project_id)
            if key is None:
                raise privacy.KeyMissing(str(self.path), self.project_id)
            cipher = privacy.Cipher(key, self.project_id)
            if not cipher.fits(self._key_check):
                raise privacy.KeyMissing(str(self.path), self.project_id, wrong=True)
        except privacy.PrivacyError as problem:
            if required:
                raise
            self._key_problem = problem
            return
        self._key, self._cipher, self._key_problem = key, cipher, None

    def _ensure_key(self) -> None:
        """The key looked up, if opening left that for later (once, whichever thread asks first)."""
        if self._key_pending:
            with _KEY_LOOKUP:
                if self._key_pending:
                    self._load_key(required=False)
                    self._key_pending = False

    @property
    def key_problem(self) -> privacy.PrivacyError | None:
        """Why personal values can be neither read nor sealed (no key on this PC, or the wrong one); None when
        they can."""
        self._ensure_key()
        return self._key_problem

    @property
    def personal_available(self) -> bool:
        """False while the key is missing: personal values read as ``privacy.LOCKED_TEXT``."""
        self._ensure_key()
        return self._cipher is not None

    def export_key(self, passphrase: str, *, n: int = privacy.SCRYPT_N) -> str:
        """The project's key wrapped under a recovery passphrase (``privacy.export_key``)."""
        self._ensure_key()
        if self._key is None:
            raise self.key_problem or privacy.KeyMissing(str(self.path), self.project_id)
        return privacy.export_key(self._key, self.project_id, passphrase, n=n)

    def import_key(self, text: str, passphrase: str) -> None:
        """Put an exported key into the credential store after checking it opens this project.

        A store opened read-only for want of the key stays read-only; reopen it to edit.
        """
        project_id, key = privacy.import_key(text, passphrase)
        if project_id != self.project_id:
            raise privacy.KeyFileMismatch(project_id, self.project_id)
        cipher = privacy.Cipher(key, project_id)
        if not cipher.fits(str(self._meta("key_check") or "")):
            raise privacy.KeyMissing(str(self.path), self.project_id, wrong=True)
        privacy.save_key(project_id, key)
        self._key, self._cipher, self._key_problem, self._key_pending = key, cipher, None, False

    # ---- sealing rows ----

    def _require_cipher(self) -> privacy.Cipher:
        self._ensure_key()
        if self._cipher is None:
            raise self.key_problem or privacy.KeyMissing(str(self.path), self.project_id)
        return self._cipher

    def _encode(self, table: str, row_id: int, record: Mapping[str, str]) -> tuple[str, str]:
        personal = privacy.PERSONAL_FIELDS.get(table, frozenset())
        plain = {key: value for key, value in record.items() if key not in personal}
        sealed: dict[str, str] = {}
        if any(key in personal for key in record):
            cipher = self._require_cipher()
            sealed = {key: cipher.seal(value, table, row_id, key) for key, value in record.items() if key in personal}
        return json.dumps(plain, ensure_ascii=False), json.dumps(sealed)

    def _stored_text(self, value: object, key: str) -> str:
        """A value as the model holds it: text. The app writes nothing else; a number (the file edited by
        another tool) is read as its digits, anything else means the file is damaged."""
        if isinstance(value, str):
            return value
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise StoreDamaged(self.path, f"資料內容不符（「{key}」不是文字）")

    def _decode(self, table: str, row_id: int, plain: str, sealed: str) -> dict[str, str]:
        values = json.loads(plain)
        secrets = json.loads(sealed) if sealed != "{}" else {}
        if not isinstance(values, dict) or not isinstance(secrets, dict):
            raise StoreDamaged(self.path, f"資料內容不符（{TABLE_NAMES[table]} 第 {row_id} 筆不是欄位與值）")
        if secrets and self._key_pending:  # sealed since this copy opened the file (by another copy)
            self._ensure_key()
        cipher = self._cipher
        for key, value in secrets.items():
            if cipher is None:
                values[key] = privacy.LOCKED_TEXT
                continue
            try:
                values[key] = cipher.open(value, table, row_id, key)
            except privacy.DecryptionFailed:
                raise StoreDamaged(self.path, f"{TABLE_NAMES[table]} 第 {row_id} 筆的「{key}」無法解密") from None
        # Text (all the app writes) as it is; anything else through _stored_text.
        return {
            key: value if type(value) is str else self._stored_text(value, key)
            for key in TABLE_COLUMNS[table]
            if (value := values.get(key, _ABSENT)) is not _ABSENT
        }

    # ---- years ----

    def add_year(self, year: int) -> None:
        if year in self._known_years():
            raise ValueError(f"{year} 年度已存在")
        with self.transaction():
            self._db().execute("INSERT INTO years (year) VALUES (?)", (year,))
            self._known_years().add(year)

    def delete_year(self, year: int) -> None:
        with self.transaction():
            self._require_year(year)
            self._db().execute("DELETE FROM years WHERE year = ?", (year,))
            self._known_years().discard(year)
            for table in TABLE_COLUMNS:
                self._orders.pop((year, table), None)

    def put_year(self, book: YearBook) -> None:
        """Write a whole year, replacing what the file holds for it (after Project.roll_over, say)."""
        book.read_rows()  # rows not read yet are read before the file's copy of them goes
        with self.transaction():
            if book.year in self._known_years():
                self.delete_year(book.year)
            self._write_year(book)

    def _write_year(self, book: YearBook) -> None:
        conn = self._db()
        conn.execute("INSERT INTO years (year, has_ledger) VALUES (?, ?)", (book.year, book.ledger is not None))
        self._known_years().add(book.year)
        values = []
        for form_id, record in book.forms.items():
            for key, text in record.items():
                self._check_form_key(form_id, key, text)
                values.append((book.year, form_id, key, text))
        conn.executemany("INSERT INTO form_values (year, form_id, key, value) VALUES (?, ?, ?, ?)", values)
        tables: list[tuple[str, list[dict[str, str]]]] = [
            ("roster", book.roster), ("training_report", book.training_report), *book.line_rows.items()]  # fmt: skip
        if book.ledger is not None:
            header = [(book.year, key, text) for key, text in self._ledger_header(book.ledger.header).items()]
            conn.executemany("INSERT INTO ledger_header (year, key, value) VALUES (?, ?, ?)", header)
            tables.append(("ledger", book.ledger.entries))
        next_id = self._next_row_id()
        for table, records in tables:
            order = RowOrder()
            batch = []
            for index, record in enumerate(records):
                row_id, position = next_id, (index + 1) * POSITION_GAP
                next_id += 1
                plain, sealed = self._encode(table, row_id, self._record(table, record))
                batch.append((row_id, book.year, table, position, plain, sealed))
                order.append(row_id, position)
            conn.executemany(
                "INSERT INTO rows (id, year, tbl, position, plain, sealed) VALUES (?, ?, ?, ?, ?, ?)", batch
            )
            self._orders[(book.year, table)] = order
        for kind, path in book.attachments.items():
            self._check_attachment_kind(kind)
            conn.execute("INSERT INTO attachments (year, kind, path) VALUES (?, ?, ?)", (book.year, kind, path))
        conn.executemany(
            "INSERT INTO acknowledged (year, finding) VALUES (?, ?)", [(book.year, key) for key in book.acknowledged]
        )

    # ---- scalar forms and the ledger header ----

    @staticmethod
    def _check_form_key(form_id: str, key: str, text: str) -> None:
        keys = _FORM_KEYS.get(form_id)
        if keys is None:
            raise ValueError(f"unknown form {form_id!r}")
        if key not in keys:
            raise ValueError(f"form {form_id!r} has no field {key!r}")
        if not isinstance(text, str):
            raise TypeError(f"{form_id}.{key} must be text, got {type(text).__name__}")

    def set_value(self, year: int, form_id: str, key: str, text: str) -> None:
        """One field of a scalar form (application, final accounts, budget, …)."""
        self._check_form_key(form_id, key, text)
        with self.transaction():
            self._require_year(year)
            self._db().execute(
                "INSERT INTO form_values (year, form_id, key, value) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (year, form_id, key) DO UPDATE SET value = excluded.value",
                (year, form_id, key, text),
            )

    @staticmethod
    def _ledger_header(record: Mapping[str, str]) -> dict[str, str]:
        for key, value in record.items():
            if key not in HEADER_KEYS:
                raise ValueError(f"ledger header has no field {key!r}")
            if not isinstance(value, str):
                raise TypeError(f"ledger header {key} must be text")
        return dict(record)

    def _ensure_ledger(self, year: int) -> None:
        self._db().execute("UPDATE years SET has_ledger = 1 WHERE year = ? AND has_ledger = 0", (year,))

    def set_ledger_header(self, year: int, record: Mapping[str, str]) -> None:
        """Replace the ledger header of ``year`` (creating the year's ledger if it had none)."""
        header = self._ledger_header(record)
        with self.transaction():
            self._require_year(year)
            self._ensure_ledger(year)
            conn = self._db()
            conn.execute("DELETE FROM ledger_header WHERE year = ?", (year,))
            conn.executemany(
                "INSERT INTO ledger_header (year, key, value) VALUES (?, ?, ?)",
                [(year, key, text) for key, text in header.items()],
            )

    def set_ledger_value(self, year: int, key: str, text: str) -> None:
        """One field of the ledger header."""
        self._ledger_header({key: text})
        with self.transaction():
            self._require_year(year)
            self._ensure_ledger(year)
            self._db().execute(
                "INSERT INTO ledger_header (year, key, value) VALUES (?, ?, ?)"
                " ON CONFLICT (year, key) DO UPDATE SET value = excluded.value",
                (year, key, text),
            )

    def remove_ledger(self, year: int) -> None:
        """The year has no ledger any more (``YearBook.ledger`` is None): header and entries go."""
        with self.transaction():
            self._require_year(year)
            conn = self._db()
            conn.execute("UPDATE years SET has_ledger = 0 WHERE year = ?", (year,))
            conn.execute("DELETE FROM ledger_header WHERE year = ?", (year,))
            conn.execute("DELETE FROM rows WHERE year = ? AND tbl = 'ledger'", (year,))
            self._orders.pop((year, "ledger"), None)

    # ---- attachments and acknowledged warnings ----

    @staticmethod
    def _check_attachment_kind(kind: str) -> None:
        if kind not in ATTACHMENT_KINDS:
            raise ValueError(f"unknown attachment kind {kind!r}")

    def set_attachment(self, year: int, kind: str, path: str) -> None:
        """The user's PDF for ``kind``; an empty path removes it."""
        self._check_attachment_kind(kind)
        with self.transaction():
            self._require_year(year)
            if path:
                self._db().execute(
                    "INSERT OR REPLACE INTO attachments (year, kind, path) VALUES (?, ?, ?)", (year, kind, path)
                )
            else:
                self._db().execute("DELETE FROM attachments WHERE year = ? AND kind = ?", (year, kind))

    def set_acknowledged(self, year: int, finding_key: str, acknowledged: bool = True) -> None:
        with self.transaction():
            self._require_year(year)
            if acknowledged:
                self._db().execute(
                    "INSERT OR IGNORE INTO acknowledged (year, finding) VALUES (?, ?)", (year, finding_key)
                )
            else:
                self._db().execute("DELETE FROM acknowledged WHERE year = ? AND finding = ?", (year, finding_key))

    # ---- rows: roster, training sessions, ledger entries ----

    def _order(self, year: int, table: str) -> RowOrder:
        cached = self._orders.get((year, table))
        if cached is None:
            cached = self._orders[(year, table)] = RowOrder.read(self._db(), year, table)
        return cached

    def _next_row_id(self) -> int:
        row = self._db().execute("SELECT seq FROM sqlite_sequence WHERE name = 'rows'").fetchone()
        return (int(row[0]) if row else 0) + 1

    def row_count(self, year: int, table: str) -> int:
        return len(self._order(year, self._table(table)).ids)

    def row_ids(self, year: int, table: str) -> list[int]:
        """The stable ids of the rows in display order."""
        return list(self._order(year, self._table(table)).ids)

    def insert_row(self, year: int, table: str, index: int | None, record: Mapping[str, str]) -> int:
        """Insert a row before ``index`` (None: append). Returns its stable id."""
        table = self._table(table)
        values = self._record(table, record)
        with self.transaction():
            self._require_year(year)
            if table == "ledger":
                self._ensure_ledger(year)
            order = self._order(year, table)
            index = len(order.ids) if index is None else order.index(index, inserting=True)
            position = order.room_at(self._db(), index)
            row_id = self._next_row_id()
            plain, sealed = self._encode(table, row_id, values)
            self._db().execute(
                "INSERT INTO rows (id, year, tbl, position, plain, sealed) VALUES (?, ?, ?, ?, ?, ?)",
                (row_id, year, table, position, plain, sealed),
            )
            order.ids.insert(index, row_id)
            order.positions.insert(index, position)
        return row_id

    def append_row(self, year: int, table: str, record: Mapping[str, str]) -> int:
        return self.insert_row(year, table, None, record)

    def set_row(self, year: int, table: str, index: int, record: Mapping[str, str]) -> None:
        """Replace the values of the row at ``index``; it keeps its id and place."""
        table = self._table(table)
        values = self._record(table, record)
        with self.transaction():
            self._require_year(year)
            order = self._order(year, table)
            row_id = order.ids[order.index(index)]
            plain, sealed = self._encode(table, row_id, values)
            self._db().execute("UPDATE rows SET plain = ?, sealed = ? WHERE id = ?", (plain, sealed, row_id))

    def set_cell(self, year: int, table: str, index: int, key: str, text: str) -> None:
        """One value of one row: what a keystroke in a table cell changes."""
        table = self._table(table)
        self._record(table, {key: text})
        with self.transaction():
            self._require_year(year)
            order = self._order(year, table)
            row_id = order.ids[order.index(index)]
            conn = self._db()
            plain, sealed = conn.execute("SELECT plain, sealed FROM rows WHERE id = ?", (row_id,)).fetchone()
            if privacy.is_personal(table, key):
                secrets = json.loads(sealed)
                secrets[key] = self._require_cipher().seal(text, table, row_id, key)
                conn.execute("UPDATE rows SET sealed = ? WHERE id = ?", (json.dumps(secrets), row_id))
            else:
                values = json.loads(plain)
                values[key] = text
                conn.execute("UPDATE rows SET plain = ? WHERE id = ?", (json.dumps(values, ensure_ascii=False), row_id))

    def delete_row(self, year: int, table: str, index: int) -> None:
        table = self._table(table)
        with self.transaction():
            self._require_year(year)
            order = self._order(year, table)
            index = order.index(index)
            self._db().execute("DELETE FROM rows WHERE id = ?", (order.ids[index],))
            del order.ids[index]
            del order.positions[index]

    def move_row(self, year: int, table: str, source: int, target: int) -> None:
        """Move the row at ``source`` so that it ends up at index ``target``."""
        table = self._table(table)
        with self.transaction():
            self._require_year(year)
            order = self._order(year, table)
            source = order.index(source)
            target = order.index(target)
            if source == target:
                return
            conn = self._db()
            row_id = order.ids.pop(source)
            order.positions.pop(source)
            # Out of the way first, so re-spreading neighbours can never collide with it.
            conn.execute("UPDATE rows SET position = -id WHERE id = ?", (row_id,))
            position = order.room_at(conn, target)
            conn.execute("UPDATE rows SET position = ? WHERE id = ?", (position, row_id))
            order.ids.insert(target, row_id)
            order.positions.insert(target, position)

    # ---- the whole project ----

    def load(self, *, lazy: bool = False) -> Project:
        """The project as the file holds it now.

        ``lazy``: each year's rows (roster, training report, ledger entries, LINE tables) are read only when first
        asked for (``YearBook.defer_rows``), on whichever thread asks, while the store stays open: the
        window's project, where a 20-year project opens with the years it shows. Not on a network drive
        (the file is locked to this connection there), inside a transaction, or when the file's values
        are still to be normalised; a project used after the store is closed must not be lazy.
        """
        conn = self._db()
        lazy = lazy and not self.network and self._depth == 0
        lazy = lazy and int(self._meta(NORMALISED_KEY) or 0) >= normalise.RULES_VERSION
        project = Project()
        try:
            for year, has_ledger in conn.execute("SELECT year, has_ledger FROM years ORDER BY year"):
                book = YearBook(year)
                if has_ledger:
                    book.ledger = LedgerBook()
                project.years[year] = book
            for year, form_id, key, value in conn.execute("SELECT year, form_id, key, value FROM form_values"):
                project.years[year].forms.setdefault(form_id, {})[key] = self._stored_text(value, key)
            for year, key, value in conn.execute("SELECT year, key, value FROM ledger_header ORDER BY year"):
                ledger = project.years[year].ledger
                if ledger is not None:
                    ledger.header[key] = self._stored_text(value, key)
            orders: dict[tuple[int, str], RowOrder] = {}
            if lazy:
                for book in project.years.values():
                    book.defer_rows(DeferredRows(self, book.year, book.ledger))
            else:
                self._read_rows(conn, project, orders)
            for year, kind, path in conn.execute("SELECT year, kind, path FROM attachments"):
                project.years[year].attachments[kind] = self._stored_text(path, kind)
            for year, finding in conn.execute("SELECT year, finding FROM acknowledged"):
                project.years[year].acknowledged.add(self._stored_text(finding, "acknowledged"))
        except sqlite3.DatabaseError as exc:
            raise translate_open_error(self.path, exc) from None
        except (json.JSONDecodeError, KeyError) as exc:
            raise StoreDamaged(self.path, "資料內容不符", str(exc)) from None
        if self._depth == 0:
            self._orders = orders
            self._years = set(project.years)
            self._normalise(project)
        return project

    def _read_rows(self, conn: sqlite3.Connection, project: Project, orders: dict[tuple[int, str], RowOrder]) -> None:
        """Every year's rows, in their order, into ``project``; their ids and positions into ``orders``."""
        group: tuple[int, str] | None = None
        target: list[dict[str, str]] = []
        order = RowOrder()
        for row_id, year, table, position, plain, sealed in conn.execute(
            "SELECT id, year, tbl, position, plain, sealed FROM rows ORDER BY year, tbl, position"
        ):
            if group != (year, table):  # rows come grouped by year and table
                group = (year, table)
                target = self._rows_of(project.years[year], table)
                order = orders[group] = RowOrder()
            target.append(self._decode(table, row_id, plain, sealed))
            order.append(row_id, position)
            self.rows_read += 1

    def _year_rows(self, year: int, ledger: LedgerBook | None) -> YearRows:
        """The rows of one year as the file holds them now (``load(lazy=True)``), read on the calling thread."""
        book = YearBook(year, ledger=None if ledger is None else LedgerBook(dict(ledger.header)))
        conn, own = self._reader()
        try:
            for row_id, table, plain, sealed in conn.execute(
                "SELECT id, tbl, plain, sealed FROM rows WHERE year = ? ORDER BY tbl, position", (year,)
            ):
                self._rows_of(book, table).append(self._decode(table, row_id, plain, sealed))
                self.rows_read += 1
        except sqlite3.DatabaseError as exc:
            raise translate_open_error(self.path, exc) from None
        except json.JSONDecodeError as exc:
            raise StoreDamaged(self.path, "資料內容不符", str(exc)) from None
        finally:
            if not own:
                conn.close()
        return YearRows(book.roster, book.training_report, book.ledger, book.line_rows)

    def _normalise(self, project: Project) -> None:
        """Values an older version or another program wrote, as the editor writes them (「１２３４５６７５」
        is 12345675): in the project returned, and once in the file when it is open for writing.

        The app's own edits arrive normalised (the editor and the file readers normalise), so a file
        marked with the current rules is not read twice."""
        if int(self._meta(NORMALISED_KEY) or 0) >= normalise.RULES_VERSION:
            return
        normaliser = normalise.Normaliser(untouched=(privacy.LOCKED_TEXT,))
        values: list[tuple[str, int, str, str]] = []
        header: list[tuple[str, int, str]] = []
        rows: list[tuple[str, int, dict[str, str]]] = []
        for year, book in project.years.items():
            for form_id, record in book.forms.items():
                fields = normalise.FORM_FIELDS.get(form_id, {})
                values.extend((record[key], year, form_id, key) for key in normaliser.record(fields, record))
            tables: list[tuple[str, list[dict[str, str]]]] = [
                ("roster", book.roster), ("training_report", book.training_report),
                *book.line_rows.items()]  # fmt: skip
            if book.ledger is not None:
                header.extend(
                    (book.ledger.header[key], year, key) for key in normaliser.record(HEADER_FIELD, book.ledger.header)
                )
                tables.append(("ledger", book.ledger.entries))
            for table, records in tables:
                ids = self._orders[(year, table)].ids if records else []
                rows.extend(
                    (table, row_id, record)
                    for row_id, record in zip(ids, records, strict=True)
                    if normaliser.record(_TABLE_FIELDS[table], record)
                )
        if self.read_only or self._cipher is None:
            return  # rewritten when the file is next opened for writing with its key
        # The project returned is normalised either way: a file that cannot be written now is rewritten next time.
        changed = values or header or rows  # an edit (a later backup) only when a value changed
        with contextlib.suppress(StoreError), self.transaction() if changed else self._write():
            conn = self._db()
            conn.executemany("UPDATE form_values SET value = ? WHERE year = ? AND form_id = ? AND key = ?", values)
            conn.executemany("UPDATE ledger_header SET value = ? WHERE year = ? AND key = ?", header)
            conn.executemany(
                "UPDATE rows SET plain = ?, sealed = ? WHERE id = ?",
                [(*self._encode(table, row_id, record), row_id) for table, row_id, record in rows],
            )
            self._set_meta(NORMALISED_KEY, normalise.RULES_VERSION)

    @staticmethod
    def _rows_of(book: YearBook, table: str) -> list[dict[str, str]]:
        if table == "roster":
            return book.roster
        if table == "training_report":
            return book.training_report
        if table in LINE_TABLES:
            return book.line_rows.setdefault(table, [])
        if book.ledger is None:
            book.ledger = LedgerBook()  # entries without the flag: keep them rather than drop them
        return book.ledger.entries

    def replace_project(self, project: Project, now: datetime | None = None) -> Path | None:
        """Replace everything with ``project`` (an import) in one transaction.

        When the file held any year, a backup tagged ``before-import`` is made
        first and its path returned.
        """
        self._refuse_writes()
        self._require_cipher()
        for book in project.years.values():
            book.read_rows()
        safety = self.backup_now(now, kind="before-import") if self._known_years() else None
        with self.transaction():
            self._db().execute("DELETE FROM years")
            self._orders.clear()
            self._years = set()
            for book in project.years.values():
                self._write_year(book)
        return safety
