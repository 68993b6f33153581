"""A project being edited: each edit applied to it and written to the file as it is made.

The session is what the window's undo stack and the CLI's import share: ``apply``/``revert`` change
the project through an ``Edit`` and write every step through the persistence (the store). A step the
file could not take joins ``unsaved`` and is retried (``retry``) — the session never reports a step as
saved while an earlier one is still waiting. Whoever shows the project (the window) is told of every
step with ``listener``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from treasurer_app.editing.changes import Change
from treasurer_app.editing.persistence import Persistence, UnsavedEdits
from treasurer_app.value import Value

if TYPE_CHECKING:
    from typing import Final

    from treasurer_app.editing.edits import Edit
    from treasurer_app.project import Project


class Written(Value):
    """One step of an edit, after the session tried to write it."""

    __slots__ = ("change", "joined", "saved")

    def __init__(self, change: Change, saved: bool, joined: bool) -> None:
        self.change: Final = change
        self.saved: Final = saved  # the file holds it
        # it was added to the edits the file does not hold yet (a field typed into again is not)
        self.joined: Final = joined


Listener = Callable[[Written], None]


class EditSession:
    def __init__(self, project: Project, persistence: Persistence, listener: Listener | None = None) -> None:
        self.project = project
        self.persistence = persistence
        self.listener = listener
        self.unsaved = UnsavedEdits()  # steps the file could not take: shown, retried, asked about at closing

    def apply(self, edit: Edit) -> list[Change]:
        """Make ``edit`` and write it; the steps that could not be written are in ``unsaved``."""
        if edit.together:
            return self._together(edit.apply(self.project))
        return edit.apply(self.project, self._write)

    def revert(self, edit: Edit) -> list[Change]:
        """Take ``edit`` back and write that."""
        if edit.together:
            return self._together(edit.revert(self.project))
        return edit.revert(self.project, self._write)

    def _write(self, change: Change) -> None:
        waiting = len(self.unsaved)
        saved = self.unsaved.record(self.persistence, self.project, change)
        self._tell(Written(change, saved, len(self.unsaved) != waiting))

    def _together(self, changes: list[Change]) -> list[Change]:
        waiting = len(self.unsaved)
        saved = self.unsaved.record_together(self.persistence, self.project, changes)
        joined = len(self.unsaved) != waiting
        for change in changes:
            self._tell(Written(change, saved, joined))
        return changes

    def _tell(self, written: Written) -> None:
        if self.listener is not None:
            self.listener(written)

    def retry(self, automatic: bool = False) -> bool:
        """Write every step not yet in the file; True when none is left (see ``UnsavedEdits.retry``)."""
        return self.unsaved.retry(self.persistence, self.project, automatic)

    def flush(self) -> None:
        """After the edits pause: a backup when one is due. Raises when the backup fails (the edits
        themselves are in the file)."""
        self.persistence.flush(self.project)

    def replace(self, project: Project, persistence: Persistence | None = None) -> None:
        """Another project (a restore, the sample, another file) in place of this one: the steps not yet
        saved belonged to the one that is gone."""
        self.project = project
        if persistence is not None:
            self.persistence = persistence
        self.unsaved.forget()
