"""Fixtures every test gets, whether it asks or not (Vorta's conftest does the same).

No test may touch the user's real OS keyring or real app folders: each test
runs with a fresh in-memory keyring and with the app's data folders pointed at
a temporary directory. Child processes inherit a keyring setting that refuses
everything, so a child that forgets to install its own backend fails loudly
instead of reaching the real credential store.
"""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail

from tests.memory_keyring import MemoryKeyring

DATA_DIR_ENV = "TREASURER_APP_DATA_DIR"  # honoured by treasurer_app.store.default_data_dir()
KEY_DIR_ENV = "TREASURER_APP_KEY_DIR"  # honoured by treasurer_app.privacy.key_dir() (no credential store)


@pytest.fixture(autouse=True)
def memory_keyring(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    home = tmp_path_factory.mktemp("app-home")
    monkeypatch.setenv(DATA_DIR_ENV, str(home / "data"))
    monkeypatch.setenv(KEY_DIR_ENV, str(home / "keys"))
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    yield backend
    keyring.set_keyring(fail.Keyring())
