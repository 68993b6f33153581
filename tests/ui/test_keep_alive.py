"""While a project is open the window keeps its lock alive and takes the backups that fall due."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from treasurer_app import store
from treasurer_app.ui.document import KEEP_ALIVE_MS


def test_heartbeat_every_minute_while_open(window, qtbot) -> None:
    timer = window.document._keep_alive_timer
    assert timer.isActive() and timer.interval() == KEEP_ALIVE_MS == 60_000
    location = window.document.persistence.location
    before = store.peek_lock(location)
    assert before is not None
    time.sleep(0.01)
    timer.timeout.emit()  # what the timer does each minute
    after = store.peek_lock(location)
    assert after is not None and after.token == before.token
    assert after.heartbeat > before.heartbeat
    window.close()
    assert not timer.isActive()


def test_an_edit_made_too_soon_after_a_backup_is_backed_up_once_due(window, qtbot) -> None:
    persistence = window.document.persistence
    window.create_union(115)
    window.document.flush()  # the first backup is taken at once
    first = persistence.backups()
    assert len(first) == 1
    window.document.set_value(115, "application", "contact", "洪小姐")
    window.document.flush()  # within the minimum interval: no backup yet
    assert len(persistence.backups()) == 1
    minutes = store.BackupPolicy().min_interval_minutes
    persistence.keep_alive(datetime.now() + timedelta(minutes=minutes + 1))
    assert len(persistence.backups()) == 2
