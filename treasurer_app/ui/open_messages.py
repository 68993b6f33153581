"""What the window says when a project file cannot be opened for editing, in plain words.

A file another copy of the program holds: which computer and since when, and what the treasurer can
do. The file's path, the user name and the process number are for the 詳細資料 section only (whoever
helps the treasurer may need them; the treasurer rarely does).
"""

from __future__ import annotations

import socket
from datetime import datetime

from treasurer_app.fields import ROC_OFFSET
from treasurer_app.store import StoreLocked


def moment_text(moment: datetime, now: datetime) -> str:
    """'12月2日 09:15' (local time); with the 民國 year when it is not this year's."""
    local, today = moment.astimezone(), now.astimezone()
    day = f"{local.month}月{local.day}日"
    if local.year != today.year:
        day = f"{local.year - ROC_OFFSET}年{day}"
    return f"{day} {local:%H:%M}"


def lock_texts(error: StoreLocked, now: datetime | None = None, this_host: str | None = None) -> tuple[str, str]:
    """(message, details) for a file another copy of the program holds."""
    holder = error.holder
    now = now or datetime.now().astimezone()
    this_host = socket.gethostname() if this_host is None else this_host
    computer = f"這台電腦（{holder.host}）" if holder.host == this_host else f"「{holder.host}」"
    since = moment_text(holder.since, now)
    if error.stale:
        message = (
            f"這個專案檔上次由{computer}開啟（自 {since} 起），但那邊的程式似乎已經關閉或當機，沒有正常結束。\n\n"
            "若確定沒有人正在使用，可以「解除鎖定並開啟」；不確定時，請先「以唯讀方式開啟」。"
        )
    else:
        message = (
            f"這個專案檔正由{computer}使用中（自 {since} 起）。\n\n"
            "為免兩邊同時修改而遺失資料，現在只能以唯讀方式開啟；請對方關閉程式後再試。"
        )
    details = "\n".join(
        (
            f"專案檔：{getattr(error, 'path', '')}",
            f"電腦名稱：{holder.host}",
            f"使用者：{holder.user or '不明'}",
            f"程式編號：{holder.pid}",
            f"開啟時間：{holder.since.astimezone():%Y-%m-%d %H:%M}",
            f"最後回應：{holder.heartbeat.astimezone():%Y-%m-%d %H:%M}",
        )
    )
    return message, details


def open_failure_texts(error: BaseException) -> tuple[str, str]:
    """(message, details) for any error opening a project file."""
    if isinstance(error, StoreLocked):
        return lock_texts(error)
    return str(error), getattr(error, "details", "")
