"""How a FormSpec is laid out on screen: read from its declared layout (forms/layout.py), no Qt.

The editor shows what the sheet prints, in the printed order, from the same declaration:

* ``Lines``   each line's field or figure, then its 說明 note, as label/value rows;
* ``Matrix``  a grid of rows × columns (「/」 where the sheet prints one), or one card per row
              when the declaration asks for it (the work plan's long texts); a figure across all
              the columns (總計) follows the grid as a label/value row;
* ``ScreenOnly`` inputs and figures kept with the form but not printed, last.

Titles, headings and gaps are the printed page's; repeating rows belong to the table editor.
No position is learnt from label text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from treasurer_app.fields import Field
from treasurer_app.forms.base import Derived, FormSpec, Linked
from treasurer_app.forms.layout import Lines, Matrix, ScreenOnly

Item = Field | Derived | Linked


@dataclass
class Plain:
    item: Item


@dataclass
class Grid:
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], Item] = field(default_factory=dict)
    as_cards: bool = False

    def item_keys(self) -> set[str]:
        return {item.key for item in self.cells.values()}


Section = Plain | Grid


def _item(spec: FormSpec, key: str) -> Item:
    return spec.field(key) if spec.has_field(key) else spec.derived_field(key)


def plan(spec: FormSpec) -> list[Section]:
    sections: list[Section] = []
    for block in spec.layout.blocks:
        if isinstance(block, Lines):
            sections += [Plain(_item(spec, key)) for key in block.field_keys()]
        elif isinstance(block, Matrix):
            sections += _matrix(spec, block)
        elif isinstance(block, ScreenOnly):
            sections += [Plain(_item(spec, key)) for key in block.keys]
    return sections


def _matrix(spec: FormSpec, block: Matrix) -> list[Section]:
    grid = Grid(columns=[column.label for column in block.columns], as_cards=block.as_cards)
    after: list[Section] = []
    for row in block.rows:
        if len(row.cells) == 1 and len(block.columns) > 1:  # one figure across the columns (總計)
            total = row.cells[0]
            if total is not None:
                after.append(Plain(_item(spec, total)))
            continue
        grid.rows.append(row.label)
        for column, key in zip(grid.columns, row.cells, strict=True):
            if key is not None:
                grid.cells[(row.label, column)] = _item(spec, key)
    return [grid, *after]
