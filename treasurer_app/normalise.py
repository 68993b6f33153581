"""Values that reach the project from a file, normalised exactly as typed values are.

The editor stores ``field.type.parse(text).text`` for whatever is typed. A file —
an interchange .json, the project store, an imported workbook — may hold values
as another program or an older version wrote them (「１２３４５６７５」, 「067/01/27」,
「b200010000」, an e-mail between ideographic spaces). Every reader passes what it
read through ``normalise_book`` (or ``normalise_project``), so the rules, the
editor and the exporters see one spelling whichever way a value arrived.

Invalid values keep their text, normalised as far as the type goes: the rules
report them with the field's Chinese message. Keys no declaration knows are left
alone (the readers decide whether to refuse them).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from treasurer_app.fields import Field
from treasurer_app.forms import FORMS, SCALAR_FORMS
from treasurer_app.forms.base import Record
from treasurer_app.ledger.sheet import ENTRY_FIELD, HEADER_FIELD
from treasurer_app.line_subsidy.forms import LINE_FORMS, LINE_SCALAR_FORMS, LINE_TABLES
from treasurer_app.project import Project, YearBook

# The fields that read each record of a year, by where the record is kept.
FORM_FIELDS: dict[str, dict[str, Field]] = {
    form_id: {f.key: f for f in (*FORMS[form_id].fields, *FORMS[form_id].extra_fields)} for form_id in SCALAR_FORMS
}
ROSTER_FIELDS: dict[str, Field] = {f.key: f for f in FORMS["roster"].columns}
SESSION_FIELDS: dict[str, Field] = {f.key: f for f in FORMS["training_report"].columns}
FORM_FIELDS.update({form_id: {f.key: f for f in LINE_FORMS[form_id].fields} for form_id in LINE_SCALAR_FORMS})
LINE_TABLE_FIELDS: dict[str, dict[str, Field]] = {
    form_id: {f.key: f for f in LINE_FORMS[form_id].columns} for form_id in LINE_TABLES
}
# How a field's texts are read: {raw text: normalised text} seen, the type's quick test, the type's stored().
_Reading = tuple[dict[str, str], "Callable[[str], bool] | None", "Callable[[str], str]"]
# Raised when a field type starts normalising differently, so stores written before are normalised again.
RULES_VERSION = 2  # 2: a bank account read from a file has its full-width letters and digits folded, as typed


class Normaliser:
    """Normalises records in place, remembering each text it has seen per field: a ledger repeats its
    few hundred dates, codes and amounts thousands of times."""

    def __init__(self, untouched: Collection[str] = ()) -> None:
        self._untouched = tuple(untouched)  # texts kept as they are (the store's「（已加密）」)
        self._seen: dict[int, dict[str, str]] = {}  # id of a field → {raw text: normalised text}
        # id of a mapping of fields → (the mapping, how each key's texts are read): a record's keys are looked
        # up once each (a quarter's ledger is 25,000 records of 9 keys).
        self._by_key: dict[int, tuple[Mapping[str, Field], dict[str, _Reading]]] = {}

    def record(self, fields: Mapping[str, Field], record: Record) -> list[str]:
        """Normalise ``record`` in place; the keys whose text changed."""
        by_key = self._readings(fields)
        changed: list[str] = []
        for key, raw in record.items():
            reading = by_key.get(key)
            if reading is None:
                continue
            known, as_is, stored = reading
            done = known.get(raw)
            if done is None:
                if not isinstance(raw, str):
                    continue
                done = known[raw] = raw if as_is is not None and as_is(raw) else stored(raw)
            if done is not raw:  # equal texts then share one object: a year's ledger repeats its texts
                if done != raw:
                    changed.append(key)
                record[key] = done
        return changed

    def _readings(self, fields: Mapping[str, Field]) -> dict[str, _Reading]:
        """How each key of ``fields`` is read: the texts seen of its field (shared by every mapping holding the
        field), its type's quick test for a text kept as it is, and its type's ``stored``."""
        kept = self._by_key.get(id(fields))
        if kept is not None and kept[0] is fields:
            return kept[1]
        if not fields:  # nothing to normalise (a caller's {} for a form without fields): not kept
            return {}
        by_key: dict[str, _Reading] = {
            key: (self._field_seen(f), f.type.stored_as_is, f.type.stored) for key, f in fields.items()
        }
        self._by_key[id(fields)] = (fields, by_key)  # the mapping kept with it: its id stays its own
        return by_key

    def _field_seen(self, spec_field: Field) -> dict[str, str]:
        known = self._seen.get(id(spec_field))  # the declarations live as long as the program: ids are stable
        if known is None:
            known = self._seen[id(spec_field)] = {"": "", **{text: text for text in self._untouched}}
        return known

    def book(self, book: YearBook) -> YearBook:
        for form_id, record in book.forms.items():
            fields = FORM_FIELDS.get(form_id)
            if fields is not None:
                self.record(fields, record)
        for member in book.roster:
            self.record(ROSTER_FIELDS, member)
        for session in book.training_report:
            self.record(SESSION_FIELDS, session)
        for form_id, rows in book.line_rows.items():
            for record in rows:
                self.record(LINE_TABLE_FIELDS.get(form_id, {}), record)
        if book.ledger is not None:
            self.record(HEADER_FIELD, book.ledger.header)
            for entry in book.ledger.entries:
                self.record(ENTRY_FIELD, entry)
        return book


def normalise_book(book: YearBook, untouched: Collection[str] = ()) -> YearBook:
    """Every value of the year rewritten, in place, as its field type normalises typed text; returns ``book``.

    Texts in ``untouched`` are kept as they are.
    """
    return Normaliser(untouched).book(book)


def normalise_project(project: Project, untouched: Collection[str] = ()) -> Project:
    """``normalise_book`` for every year, in place; returns ``project``."""
    normaliser = Normaliser(untouched)
    for book in project.years.values():
        normaliser.book(book)
    return project
