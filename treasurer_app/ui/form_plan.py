"""How a FormSpec is laid out on screen, worked out from the declaration alone (no Qt).

* A field whose label reads「行／欄」(row／column) belongs to a grid: consecutive
  such fields form one grid (the final accounts' expenditure table, the
  beneficiaries table); a grid whose columns include long texts is shown as
  one card per row instead (the work plan).
* Derived and linked figures go where they belong: a「行／欄」figure into the
  grid holding that column, any other derived figure right after the last
  figure its formula reads, a linked figure before the fields named after it
  (budget line 2 before its 說明).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from treasurer_app.fields import Field, Text
from treasurer_app.forms.base import Derived, FormSpec, Linked

Item = Field | Derived | Linked
SEPARATOR = "／"
_ROW_NUMBER = re.compile(r"^\(?(\d+(?:-\d+)*)")


@dataclass
class Plain:
    item: Item


@dataclass
class Grid:
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], Item] = field(default_factory=dict)
    as_cards: bool = False

    def order_columns(self) -> None:
        """Columns in the order every row declares them (a row may skip some: 教育訓練 has no 結餘款)."""
        before: dict[str, set[str]] = {c: set() for c in self.columns}
        for row in self.rows:
            in_row = [c for c in self.columns if (row, c) in self.cells]
            in_row.sort(key=lambda c, r=row: _declared(self, r, c))
            for earlier, later in pairwise(in_row):
                before[later].add(earlier)
        ordered: list[str] = []
        while len(ordered) < len(self.columns):
            ready = [c for c in self.columns if c not in ordered and before[c] <= set(ordered)]
            ordered.append(ready[0] if ready else next(c for c in self.columns if c not in ordered))
        self.columns = ordered

    def item_keys(self) -> set[str]:
        return {item.key for item in self.cells.values()}


Section = Plain | Grid


def split_label(label: str) -> tuple[str, str] | None:
    if SEPARATOR not in label:
        return None
    row, column = label.split(SEPARATOR, 1)
    return row, column


def _row_order(label: str) -> tuple[int, ...]:
    match = _ROW_NUMBER.match(label)
    if match is None:
        return (10_000,)  # 小計 and other unnumbered rows close the table
    return tuple(int(part) for part in match.group(1).split("-"))


def plan(spec: FormSpec) -> list[Section]:
    sections = _input_sections((*spec.fields, *spec.extra_fields))
    for item in spec.linked:
        _place_linked(sections, item)
    for item in spec.derived:
        _place_derived(sections, item)
    for section in sections:
        if isinstance(section, Grid):
            section.order_columns()
            section.rows.sort(key=_row_order)  # stable: unnumbered rows keep their order
            section.as_cards = any(
                isinstance(cell, Field) and isinstance(cell.type, Text) and cell.type.multiline
                for cell in section.cells.values()
            )
    return sections


def _input_sections(fields: tuple[Field, ...]) -> list[Section]:
    sections: list[Section] = []
    grid: Grid | None = None
    last_row: str | None = None
    for f in fields:
        parts = split_label(f.label)
        if parts is None:
            sections.append(Plain(f))
            grid, last_row = None, None
            continue
        row, column = parts
        if grid is None or (row in grid.rows and row != last_row):
            grid = Grid()
            sections.append(grid)
        _add_cell(grid, row, column, f)
        last_row = row
    return sections


def _declared(grid: Grid, row: str, column: str) -> int:
    return list(grid.cells).index((row, column))


def _add_cell(grid: Grid, row: str, column: str, item: Item) -> None:
    if row not in grid.rows:
        grid.rows.append(row)
    if column not in grid.columns:
        grid.columns.append(column)
    grid.cells[(row, column)] = item


def _position(sections: list[Section], key: str) -> int | None:
    for index, section in enumerate(sections):
        if isinstance(section, Plain) and section.item.key == key:
            return index
        if isinstance(section, Grid) and key in section.item_keys():
            return index
    return None


def _place_linked(sections: list[Section], item: Linked) -> None:
    for index, section in enumerate(sections):
        if isinstance(section, Plain) and section.item.key.startswith(item.key + "_"):
            sections.insert(index, Plain(item))
            return
    sections.insert(0, Plain(item))


def _reads(item: Derived) -> list[str]:
    """The keys a derived formula looks up, found by running it on a recording lookup."""
    seen: list[str] = []

    def get(key: str) -> int:
        seen.append(key)
        return 0

    item.formula(get)
    return seen


def _place_derived(sections: list[Section], item: Derived) -> None:
    parts = split_label(item.label)
    if parts is not None:
        row, column = parts
        grids = [s for s in sections if isinstance(s, Grid) and column in s.columns]
        if grids:
            home = next((g for g in grids if row in g.rows), grids[0])
            _add_cell(home, row, column, item)
            return
    positions = [p for p in (_position(sections, key) for key in _reads(item)) if p is not None]
    anchor = max(positions) if positions else len(sections) - 1
    anchor_key = sections[anchor].item.key if isinstance(sections[anchor], Plain) else None
    # Keep an anchor's companions (its 說明 fields) and earlier totals in front of this one.
    while anchor + 1 < len(sections) and isinstance(sections[anchor + 1], Plain):
        following = sections[anchor + 1].item
        is_companion = anchor_key is not None and following.key.startswith(anchor_key + "_")
        if not (is_companion or isinstance(following, Derived)):
            break
        anchor += 1
    sections.insert(anchor + 1, Plain(item))
