"""The building blocks every form declaration is made of.

A form is declared once (its fields, derived values, table columns, labels) and
that one declaration is read by the validator, the editor, the workbook writers
and the PDF writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from treasurer_app.fields import Field, Parsed
from treasurer_app.findings import Finding, error
from treasurer_app.forms.layout import Layout
from treasurer_app.value import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from typing import Final, Literal

Values = Mapping[str, str]
# Who signs (and stamps) each printed sheet of the paper copy.
SIGNATURES = ("理事長", "常務監事", "會計", "製表人")
Record = dict[str, str]


def year_labels(application_year: int) -> dict[str, int]:
    """The placeholders labels may hold: {Y} the application year, {Y1} = Y−1, {Y2} = Y−2."""
    return {"Y": application_year, "Y1": application_year - 1, "Y2": application_year - 2}


class Derived(Value):
    """A figure computed from other figures of the same form (合計, 小計, 總計…); never typed."""

    __slots__ = ("explanation", "formula", "key", "label")

    def __init__(self, key: str, label: str, formula: Callable[[Callable[[str], int]], int], explanation: str) -> None:
        self.key: Final = key
        self.label: Final = label
        self.formula: Final = formula
        self.explanation: Final = explanation  # shown beside the figure: where it comes from, in Chinese

    def label_for(self, years: Mapping[str, int]) -> str:
        return self.label.format(**years)


class Linked(Value):
    """A figure this form shows but another form (or the ledger) supplies, e.g. budget line 2."""

    __slots__ = ("explanation", "key", "label")

    def __init__(self, key: str, label: str, explanation: str) -> None:
        self.key: Final = key
        self.label: Final = label
        self.explanation: Final = explanation

    def label_for(self, years: Mapping[str, int]) -> str:
        return self.label.format(**years)


class FormSpec(Value):
    """One sheet of the application.

    ``fields`` are the single-valued inputs in printed order; ``columns`` the inputs
    of one row of a table form (roster, training sessions); ``derived`` the
    computed figures. ``period`` is 0 when the sheet speaks of the application
    year Y, −1 when it reports on the year before.
    """

    __slots__ = (
        "_index",
        "columns",
        "derived",
        "extra_fields",
        "fields",
        "hint",
        "id",
        "layout",
        "linked",
        "number",
        "period",
        "sheet_name",
        "title",
    )

    def __init__(
        self,
        id: str,
        number: int,
        sheet_name: str,
        title: str,
        period: Literal[0, -1],
        fields: tuple[Field, ...] = (),
        derived: tuple[Derived, ...] = (),
        columns: tuple[Field, ...] = (),
        extra_fields: tuple[Field, ...] = (),
        linked: tuple[Linked, ...] = (),
        hint: str = "",
        layout: Layout | None = None,
    ) -> None:
        self.id: Final = id
        self.number: Final = number  # position in the workbook, 1–7
        self.sheet_name: Final = sheet_name  # the guide's sheet title, used as the worksheet name
        self.title: Final = title  # printed title under the union name; may hold {Y} {Y1} {Y2}
        self.period: Final = period
        self.fields: Final = fields
        self.derived: Final = derived
        self.columns: Final = columns
        self.extra_fields: Final = extra_fields  # kept with the form, not printed on the official sheet
        self.linked: Final = linked
        self.hint: Final = hint
        self.layout: Final = (
            Layout(()) if layout is None else layout
        )  # the printed structure, by keys (forms/layout.py)
        # every input by key (derived from the fields above, so equal specs have equal indexes)
        self._index: Final = {f.key: f for f in (*fields, *columns, *extra_fields)}

    @property
    def is_table(self) -> bool:
        return bool(self.columns)

    @property
    def row_fields(self) -> tuple[Field, ...]:
        """The inputs of one table row in the order the sheet prints them (its declared ``Rows``)."""
        rows = self.layout.rows()
        return tuple(self._index[key] for key in rows.field_keys()) if rows is not None else self.columns

    def field(self, key: str) -> Field:
        return self._index[key]

    def has_field(self, key: str) -> bool:
        return key in self._index

    def derived_field(self, key: str) -> Derived | Linked:
        candidates: tuple[Derived | Linked, ...] = (*self.derived, *self.linked)
        for d in candidates:
            if d.key == key:
                return d
        raise KeyError(key)

    def title_for(self, application_year: int) -> str:
        return self.title.format(**year_labels(application_year))

    def label(self, key: str, application_year: int) -> str:
        years = year_labels(application_year)
        if key in self._index:
            return self._index[key].label_for(years)
        return self.derived_field(key).label_for(years)


def parse(spec_field: Field, text: str | None) -> Parsed:
    return spec_field.type.parse(text or "")


def int_getter(spec: FormSpec, values: Values, supplied: Mapping[str, int] | None = None) -> Callable[[str], int]:
    """A lookup of whole-number figures.

    ``supplied`` holds figures the project provides (linked figures, and inputs the
    ledger derives, which win over what was typed). Invalid or empty input counts
    as 0; derived keys are computed.
    """

    return _IntGetter(spec, values, supplied or {})


class _IntGetter:
    """``int_getter``'s lookup. An object rather than a closure: a closure that calls itself (a derived
    figure's formula asks for other figures) is a reference cycle, garbage only the cyclic collector
    reclaims — and the window's checker sets what a check leaves behind aside from the collector."""

    __slots__ = ("cache", "derived_keys", "linked_keys", "spec", "supplied", "values")

    def __init__(self, spec: FormSpec, values: Values, supplied: Mapping[str, int]) -> None:
        self.spec, self.values, self.supplied = spec, values, supplied
        self.derived_keys = {d.key: d for d in spec.derived}
        self.linked_keys = {d.key for d in spec.linked}
        self.cache: dict[str, int] = {}

    def __call__(self, key: str) -> int:
        cache = self.cache
        if key in cache:
            return cache[key]
        if key in self.supplied:
            result = self.supplied[key]
        elif key in self.derived_keys:
            result = self.derived_keys[key].formula(self)
        elif key in self.linked_keys:
            result = 0
        else:
            value = parse(self.spec.field(key), self.values.get(key)).value
            result = value if isinstance(value, int) else 0
        cache[key] = result
        return result


def compute_derived(spec: FormSpec, values: Values, supplied: Mapping[str, int] | None = None) -> dict[str, int]:
    get = int_getter(spec, values, supplied)
    return {d.key: get(d.key) for d in spec.derived}


def check_fields(
    spec: FormSpec,
    values: Values,
    application_year: int,
    fields: Iterable[Field] | None = None,
    row: int | None = None,
    form_id: str | None = None,
    row_noun: str = "列",
) -> list[Finding]:
    """Per-field rules: type, limits (``field.invalid``), required (``field.required``); the field in ``field``."""

    years = year_labels(application_year)
    findings: list[Finding] = []
    for f in fields if fields is not None else spec.fields:
        raw = values.get(f.key) or ""
        if f.problem(raw) is None:  # the usual case: no message, so no label with its years filled in
            continue
        problem = f.problem(raw, f.label_for(years))
        if problem is not None:
            prefix = f"第 {row + 1} {row_noun} " if row is not None else ""
            findings.append(error(form_id or spec.id, problem.rule, prefix + problem.message, field=f.key, row=row))
    return findings


def sum_of(*keys: str) -> Callable[[Callable[[str], int]], int]:
    return lambda get: sum(get(k) for k in keys)


def _only(key: str) -> Callable[[str], int]:
    """A lookup that gives 1 for ``key`` and 0 for every other key."""
    return lambda k: 1 if k == key else 0


def terms(item: Derived) -> dict[str, int]:
    """The figures a derived value adds up, each with its sign (+1 / −1): its formula read as a sum.

    Every derived figure of the forms is a signed sum; its terms are found by running the formula
    on lookups that return 1 for one key and 0 for the others.
    """

    seen: list[str] = []

    def record(key: str) -> int:
        seen.append(key)
        return 0

    base = item.formula(record)
    coefficients: dict[str, int] = {}
    for key in dict.fromkeys(seen):
        coefficient = item.formula(_only(key)) - base
        if coefficient:
            coefficients[key] = coefficient
    return coefficients
