"""The edit model, without Qt: typed edits that apply and revert themselves on a project and say what
they changed (``edits``, ``changes``), where they are written (``persistence``: the store, and the
edits a failing disk could not take yet) and the session that does both for the window and the CLI.

    session = EditSession(project, StorePersistence(path))
    session.apply(SetValue(115, Area.APPLICATION, "union_name", "基隆港務工會"))

The window's undo stack (ui/document.py) only adapts these: redo is ``apply``, undo is ``revert``.
"""
