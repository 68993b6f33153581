"""Personal data at rest: sealed values, no plain text in any file, key in the keyring, recovery passphrase."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from tests.store_support import CRASH_YEAR, ForkServer, Reports, keys_for_child, kill_and_reap, raw_connection
from treasurer_app import privacy
from treasurer_app.forms.roster import PERSONAL_COLUMNS
from treasurer_app.interchange import project_from_dict, project_to_dict
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.privacy import (
    Cipher,
    DecryptionFailed,
    KeyFileInvalid,
    KeyFileMismatch,
    KeyMissing,
    KeyringUnavailable,
    PassphraseTooShort,
    WrongPassphrase,
)
from treasurer_app.project import Project, YearBook
from treasurer_app.store import Store, StoreDamaged, StoreReadOnly

FAST = 2**12  # scrypt cost for tests that are not about the cost; the file records it
PASSPHRASE = "港口工會 2025 復原"

MEMBERS = [
    {"name": "王小明", "sex": "男", "national_id": "A123456789", "birth_date": "0650315", "joined": "1000101"},
    {"name": "林美麗", "sex": "女", "national_id": "B234567890", "birth_date": "0720101", "joined": "1050601"},
]
SECRETS = ("王小明", "林美麗", "A123456789", "B234567890", "0650315", "0720101")


def project_with_members() -> Project:
    return project_from_dict(
        {
            "format": "treasurer-app-project",
            "version": 1,
            "years": {
                "114": {
                    "forms": {"application": {"union_name": "基隆港務工會"}},
                    "roster": MEMBERS,
                    "ledger": {
                        "header": {},
                        "entries": [
                            {"voucher": "PLAIN-V1", "memo": "王小明", "amount": "3000"},
                            {"voucher": "PLAIN-V2", "memo": "林美麗", "amount": "2000"},
                        ],
                    },
                }
            },
        }
    )


def encodings(secret: str) -> list[bytes]:
    return [secret.encode("utf-8"), secret.encode("utf-16-le"), secret.encode("utf-16-be")]


def assert_no_secrets(files: list[Path]) -> None:
    for file in files:
        raw = file.read_bytes()
        for secret in SECRETS:
            for encoded in encodings(secret):
                assert encoded not in raw, f"{secret!r} found in {file.name}"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "union.tap"
    with Store.create(path) as created:
        created.replace_project(project_with_members())
    return path


# ---------------------------------------------------------------- sealing


def test_personal_fields_are_the_roster_columns_and_the_ledger_memo():
    assert privacy.PERSONAL_FIELDS["roster"] == frozenset(PERSONAL_COLUMNS) == {"name", "national_id", "birth_date"}
    assert privacy.PERSONAL_FIELDS["ledger"] == {"memo"}


def test_sealed_value_opens_only_in_its_own_cell():
    key = privacy.new_key()
    cipher = Cipher(key, "p" * 32)
    sealed = cipher.seal("A123456789", "roster", 7, "national_id")
    assert cipher.open(sealed, "roster", 7, "national_id") == "A123456789"
    assert cipher.seal("A123456789", "roster", 7, "national_id") != sealed  # random nonce per value
    for elsewhere in (("roster", 8, "national_id"), ("roster", 7, "name"), ("ledger", 7, "national_id")):
        with pytest.raises(DecryptionFailed):
            cipher.open(sealed, *elsewhere)
    with pytest.raises(DecryptionFailed):
        Cipher(privacy.new_key(), "p" * 32).open(sealed, "roster", 7, "national_id")  # another key
    with pytest.raises(DecryptionFailed):
        Cipher(key, "q" * 32).open(sealed, "roster", 7, "national_id")  # another project


def test_database_columns_hold_no_personal_value(project_path):
    conn = raw_connection(project_path)
    try:
        for table, plain, sealed in conn.execute("SELECT tbl, plain, sealed FROM rows"):
            assert set(json.loads(plain)).isdisjoint(privacy.PERSONAL_FIELDS[table])
            for value in json.loads(sealed).values():
                assert all(secret not in value for secret in SECRETS)
    finally:
        conn.close()


def test_no_member_data_in_the_file_its_wal_or_its_backups(project_path):
    with Store.open(project_path) as opened:
        opened.append_row(114, "roster", {"name": "陳志明", "national_id": "F131232154", "birth_date": "0800808"})
        opened.set_cell(114, "ledger", 0, "memo", "陳志明")
        opened.set_cell(114, "ledger", 0, "voucher", "PLAIN-EDITED")
        wal = project_path.with_name(project_path.name + "-wal")
        assert wal.stat().st_size > 0
        wal_bytes = wal.read_bytes()
        assert b"PLAIN-EDITED" in wal_bytes  # the check does look at where the edits went
        for secret in ("陳志明", "F131232154", "0800808"):
            assert secret.encode() not in wal_bytes
            assert secret.encode() not in project_path.read_bytes()
        assert_no_secrets([project_path, wal])
        backup = opened.backup_now()
    assert b"PLAIN-EDITED" in backup.read_bytes()
    assert_no_secrets([project_path, backup])
    assert b"F131232154" not in backup.read_bytes()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_no_member_data_on_disk_after_a_crash_without_checkpoint(tmp_path, memory_keyring):
    path = tmp_path / "crash.tap"
    with Store.create(path) as created:
        created.replace_project(Project({CRASH_YEAR: YearBook(CRASH_YEAR, ledger=LedgerBook())}))
    with ForkServer() as server:
        reports = Reports(tmp_path / "report.fifo")
        pid = server.spawn(
            {
                "kind": "sensitive",
                "path": str(path),
                "keys": keys_for_child(memory_keyring),
                "members": MEMBERS,
                "fifo": str(reports.fifo),
            }
        )
        assert reports.wait_for(0, timeout=20) == 0
        kill_and_reap(server, pid)
        reports.close()
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0, "the crash must leave the edits in the WAL only"
    assert b"CANARY-PLAIN" in wal.read_bytes()
    assert b"CANARY-PLAIN" not in path.read_bytes()
    sidecars = [p for p in tmp_path.iterdir() if p.name.startswith("crash.tap")]
    assert_no_secrets(sidecars)
    with Store.open(path, break_lock=True) as reopened:
        roster = reopened.load().years[CRASH_YEAR].roster
        assert [m["national_id"] for m in roster] == ["A123456789", "B234567890"]
        backup = reopened.backup_now()
    assert_no_secrets([path, backup])


def test_swapped_sealed_values_are_detected_not_shown(project_path):
    conn = raw_connection(project_path)
    try:
        rows = conn.execute("SELECT id, sealed FROM rows WHERE tbl = 'roster' ORDER BY position").fetchall()
        conn.execute("UPDATE rows SET sealed = ? WHERE id = ?", (rows[1][1], rows[0][0]))
    finally:
        conn.close()
    with Store.open(project_path) as opened, pytest.raises(StoreDamaged, match="無法解密"):
        opened.load()


# ---------------------------------------------------------------- the key in the credential store


def test_key_lives_in_the_keyring_under_the_project_id(project_path, memory_keyring):
    with Store.open(project_path) as opened:
        project_id = opened.project_id
    assert list(memory_keyring.entries) == [(privacy.SERVICE, project_id)]
    key_text = memory_keyring.entries[(privacy.SERVICE, project_id)]
    assert key_text.encode() not in project_path.read_bytes()


def test_missing_key_gives_a_clear_message_and_read_only_access(project_path, memory_keyring):
    memory_keyring.entries.clear()
    digest = sha(project_path)
    with pytest.raises(KeyMissing) as caught:
        Store.open(project_path)
    message = str(caught.value)
    assert "找不到此專案的加密金鑰" in message and "匯入金鑰" in message and "唯讀" in message
    with Store.open(project_path, read_only=True) as look:
        assert not look.personal_available
        assert isinstance(look.key_problem, KeyMissing)
        project = look.load()
        roster = project.years[114].roster
        assert [m["name"] for m in roster] == [privacy.LOCKED_TEXT] * 2
        assert roster[0]["sex"] == "男"  # everything else is readable
        assert project.years[114].forms["application"]["union_name"] == "基隆港務工會"
        with pytest.raises(StoreReadOnly, match="金鑰"):
            look.set_cell(114, "roster", 0, "name", privacy.LOCKED_TEXT)
        with pytest.raises(StoreReadOnly):
            look.replace_project(project)
        with pytest.raises(KeyMissing):
            look.export_key(PASSPHRASE)
    assert sha(project_path) == digest  # nothing was overwritten


def test_a_wrong_key_in_the_keyring_is_named_as_such(project_path, memory_keyring):
    (entry,) = memory_keyring.entries
    memory_keyring.entries[entry] = privacy.base64.b64encode(privacy.new_key()).decode()
    with pytest.raises(KeyMissing, match="不符"):
        Store.open(project_path)
    with Store.open(project_path, read_only=True) as look:
        assert look.load().years[114].roster[0]["national_id"] == privacy.LOCKED_TEXT


def test_export_and_import_move_the_key_to_another_pc(project_path, memory_keyring):
    with Store.open(project_path) as opened:
        block = opened.export_key(PASSPHRASE)  # the real scrypt cost
    assert "-----BEGIN TREASURER-APP KEY-----" in block and "n: 131072" in block
    memory_keyring.entries.clear()  # the other PC's credential store is empty
    with Store.open(project_path, read_only=True) as look:
        with pytest.raises(WrongPassphrase, match="復原密語：不正確"):
            look.import_key(block, "港口工會 2024 復原")
        assert memory_keyring.entries == {}
        look.import_key(block, PASSPHRASE)
        assert look.personal_available
        assert look.load().years[114].roster[0]["name"] == "王小明"
    with Store.open(project_path) as opened:
        assert project_to_dict(opened.load()) == project_to_dict(project_with_members())
        opened.set_cell(114, "roster", 0, "name", "王大明")


def test_import_accepts_the_block_inside_other_text_and_nfd_passphrase(project_path, memory_keyring):
    with Store.open(project_path) as opened:
        block = opened.export_key("café crème 2025", n=FAST)
    memory_keyring.entries.clear()
    pasted = "寄件者：會計\r\n" + block.replace("\n", "\r\n") + "\r\n謝謝"
    with Store.open(project_path, read_only=True) as look:
        look.import_key(pasted, unicodedata.normalize("NFD", "café crème 2025"))
        assert look.personal_available


def test_a_key_file_for_another_project_is_refused(project_path, tmp_path, memory_keyring):
    with Store.create(tmp_path / "other.tap") as other:
        foreign = other.export_key(PASSPHRASE, n=FAST)
    with Store.open(project_path, read_only=True) as look, pytest.raises(KeyFileMismatch, match="另一個專案"):
        look.import_key(foreign, PASSPHRASE)


def test_weakened_parameters_in_the_file_do_not_unwrap(project_path):
    with Store.open(project_path) as opened:
        block = opened.export_key(PASSPHRASE, n=FAST)
    with pytest.raises(WrongPassphrase):
        privacy.import_key(block.replace(f"n: {FAST}", f"n: {FAST // 2}"), PASSPHRASE)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("隨便一段文字", "找不到"),
        ("-----BEGIN TREASURER-APP KEY-----\nformat: 1\n-----END TREASURER-APP KEY-----", "缺少欄位"),
        (None, "base64"),
        (None, "參數超出範圍"),
    ],
)
def test_malformed_key_files_get_a_chinese_message(project_path, text, phrase):
    if text is None:
        with Store.open(project_path) as opened:
            block = opened.export_key(PASSPHRASE, n=FAST)
        if phrase == "base64":
            text = block.replace("salt: ", "salt: ***")
        else:
            text = block.replace(f"n: {FAST}", "n: 1073741824")
    with pytest.raises(KeyFileInvalid, match=phrase) as caught:
        privacy.import_key(text, PASSPHRASE)
    assert str(caught.value).startswith("金鑰備份：格式不正確")


def test_recovery_passphrase_has_a_minimum_length(project_path):
    with Store.open(project_path) as opened, pytest.raises(PassphraseTooShort, match="至少須 8 個字元"):
        opened.export_key("短密語")


def test_without_a_credential_store_the_key_goes_to_a_private_file(project_path, tmp_path):
    keyring.set_keyring(fail.Keyring())
    with Store.create(tmp_path / "new.tap") as store:
        store.add_year(114)
        store.append_row(114, "roster", MEMBERS[0])
        project_id = store.project_id
    assert privacy.key_location(project_id) == "file"
    key_file = privacy.key_dir() / f"{project_id}.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert not str(key_file).startswith(str(tmp_path))  # never beside the project file or its backups
    with Store.open(tmp_path / "new.tap") as again:
        assert again.personal_available
        assert again.load().years[114].roster[0]["name"] == "王小明"
    assert b"\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e" not in (tmp_path / "new.tap").read_bytes()  # 王小明


def test_without_a_credential_store_a_project_keyed_elsewhere_stays_locked(project_path):
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyMissing):
        Store.open(project_path)
    with Store.open(project_path, read_only=True) as look:
        assert isinstance(look.key_problem, KeyMissing)
        assert look.load().years[114].ledger.entries[0]["memo"] == privacy.LOCKED_TEXT


OPEN_EMPTY_PROJECT = """
import sys
from pathlib import Path
from treasurer_app.editing.persistence import StorePersistence
persistence = StorePersistence(Path(sys.argv[1]), create=False)  # as the window opens a project
persistence.load()
persistence.key_file_exists()  # what the window asks on opening (whether to say the key is kept in a file)
opened = persistence._store
opened.set_value(114, "application", "union_name", "基隆港務工會")  # no personal value: no key needed
print("keyring" in sys.modules, "cryptography" in sys.modules)
print(opened.personal_available)  # asked: now the key is looked up
print("keyring" in sys.modules, "cryptography" in sys.modules)
opened.close()
"""


def test_an_empty_project_opens_without_asking_the_credential_store(tmp_path):
    keyring.set_keyring(fail.Keyring())  # the key goes to a file the child process finds too
    path = tmp_path / "empty.tap"
    with Store.create(path) as created:
        created.add_year(114)
    done = subprocess.run([sys.executable, "-c", OPEN_EMPTY_PROJECT, str(path)], capture_output=True, text=True,
                          encoding="utf-8", cwd=Path(__file__).resolve().parents[2])  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "True", "True", "True"]


def test_an_empty_project_without_its_key_says_so_when_a_personal_value_is_written(tmp_path, memory_keyring):
    path = tmp_path / "empty.tap"
    with Store.create(path) as created:
        created.add_year(114)
    memory_keyring.entries.clear()  # another PC: nothing sealed yet, so the file opens for editing
    with Store.open(path) as opened:
        assert isinstance(opened.key_problem, KeyMissing) and not opened.personal_available
        opened.set_value(114, "application", "union_name", "基隆港務工會")
        with pytest.raises(KeyMissing, match="匯入金鑰"):
            opened.append_row(114, "roster", MEMBERS[0])
        assert opened.row_count(114, "roster") == 0
    with Store.open(path, read_only=True) as look:
        assert look.load().years[114].forms["application"]["union_name"] == "基隆港務工會"


def test_a_key_left_for_later_seals_and_opens_as_one_looked_up_at_once(tmp_path, memory_keyring):
    path = tmp_path / "empty.tap"
    with Store.create(path) as created:
        created.add_year(114)
    with Store.open(path) as opened:
        opened.append_row(114, "roster", MEMBERS[0])  # the first personal value looks the key up
        opened.append_row(114, "ledger", {"voucher": "V1", "memo": "王小明", "amount": "3000"})
    assert "王小明".encode() not in path.read_bytes()
    memory_keyring.entries.clear()
    with pytest.raises(KeyMissing):  # sealed values now: the opening itself needs the key
        Store.open(path)


def test_an_unwritable_key_folder_is_told_why(tmp_path, monkeypatch):
    keyring.set_keyring(fail.Keyring())
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv(privacy.KEY_DIR_ENV, str(blocker / "keys"))
    with pytest.raises(KeyringUnavailable, match="金鑰檔無法寫入"):
        Store.create(tmp_path / "new.tap")
    assert not (tmp_path / "new.tap").exists()


def test_scrypt_default_cost_makes_guessing_expensive():
    # The cost is a parameter, not a stopwatch: scrypt with n = 2**17, r = 8 needs 128 MiB per guess.
    assert privacy.SCRYPT_N >= 2**17 and privacy.SCRYPT_R >= 8
    block = privacy.export_key(privacy.new_key(), "a" * 32, PASSPHRASE)
    assert f"\nn: {privacy.SCRYPT_N}\n" in block
    assert privacy.import_key(block, PASSPHRASE)[0] == "a" * 32
