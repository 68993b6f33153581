"""Members' personal data kept private at rest (DOMAIN.md §13).

Names, national IDs, birth dates (roster) and ledger memos (摘要(二), usually a
member's name) are sealed one value at a time with AES-GCM under a per-project
key. The key lives in the operating system's credential store (Windows
Credential Manager through ``keyring``), never in the project file. A random
nonce per value; the associated data names the project, table, row and column,
so a sealed value cannot be moved to another cell without failing to open.

To move a project to another PC the key is exported wrapped with a key derived
from a recovery passphrase (scrypt) and imported there.

``keyring``, ``cryptography`` and ``platformdirs`` are imported by the functions that use them, not at the
top: keyring pulls in importlib_metadata, jaraco.* and urllib (~70 ms), cryptography its Rust bindings and
cipher tables (~50 ms), none of which opening a project with nothing sealed needs.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import unicodedata
from pathlib import Path

from treasurer_app.forms.roster import PERSONAL_COLUMNS

SERVICE = "treasurer_app"  # the keyring service name; the project id is the user name
KEY_DIR_ENV = "TREASURER_APP_KEY_DIR"  # where keys go on a computer with no credential store (tests set it)
PERSONAL_FIELDS: dict[str, frozenset[str]] = {
    "roster": frozenset(PERSONAL_COLUMNS),
    "training_report": frozenset(),
    "ledger": frozenset({"memo"}),  # 摘要(二): the member's name
}
LOCKED_TEXT = "（已加密）"  # shown instead of a personal value while the key is missing
KEY_BYTES = 32
NONCE_BYTES = 12
MIN_PASSPHRASE_CHARS = 8
SCRYPT_N = 2**17  # 128 MiB, ≈ 0.5 s: slow enough to make guessing a stolen key file costly
SCRYPT_R = 8
SCRYPT_P = 1
_SCRYPT_N_RANGE = (2**10, 2**22)
_KEY_CHECK_TEXT = "treasurer_app key check"
_BEGIN = "-----BEGIN TREASURER-APP KEY-----"
_END = "-----END TREASURER-APP KEY-----"
_KEY_FILE_FORMAT = "1"
_KEY_FILE_FIELDS = ("format", "project", "kdf", "n", "r", "p", "salt", "nonce", "wrapped")
_KEY_FILE_NOTE = (
    "# 工會福利專款助手：專案金鑰備份\n"
    "# 在另一台電腦開啟此專案時，用「匯入金鑰」載入本檔，並輸入當初設定的復原密語。\n"
    "# 請與專案檔分開保存；沒有復原密語，本檔無法使用。\n"
)


class PrivacyError(Exception):
    """A problem with the key or the sealed data. ``str(error)`` is the Chinese message."""


class KeyringUnavailable(PrivacyError):
    def __init__(self, detail: str = "") -> None:
        reason = f"（{detail}）" if detail else ""
        super().__init__(
            "系統認證儲存區：此電腦沒有可用的認證儲存區（Windows 認證管理員或 keyring），"
            f"無法保管加密會員個資的金鑰{reason}。請在有桌面登入的帳號下執行本程式。"
        )


class KeyMissing(PrivacyError):
    """The project's key is not in the credential store, or the one there does not fit."""

    def __init__(self, source: str, project_id: str, wrong: bool = False) -> None:
        self.source = source
        self.project_id = project_id
        self.wrong = wrong
        problem = (
            f"系統認證儲存區中的金鑰與此專案不符（專案代碼 {project_id}）"
            if wrong
            else f"找不到此專案的加密金鑰（專案代碼 {project_id}）"
        )
        super().__init__(
            f"{source}：{problem}，會員姓名、身分證字號、出生日期及摘要(二)無法解密。"
            "請用「匯入金鑰」載入金鑰備份並輸入復原密語；匯入之前只能以唯讀方式開啟，加密的資料不會被更動。"
        )


class WrongPassphrase(PrivacyError):
    def __init__(self) -> None:
        super().__init__("復原密語：不正確，無法解開金鑰備份（請確認大小寫及全形、半形字元）")


class KeyFileInvalid(PrivacyError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"金鑰備份：格式不正確（{detail}）")


class KeyFileMismatch(PrivacyError):
    def __init__(self, file_project: str, project_id: str) -> None:
        super().__init__(
            f"金鑰備份：屬於另一個專案（專案代碼 {file_project}），不是目前的專案（專案代碼 {project_id}）"
        )


class PassphraseTooShort(PrivacyError):
    def __init__(self) -> None:
        super().__init__(f"復原密語：至少須 {MIN_PASSPHRASE_CHARS} 個字元")


class DecryptionFailed(PrivacyError):
    def __init__(self, where: str) -> None:
        super().__init__(f"個人資料欄位（{where}）：無法解密，資料可能已損毀或遭竄改，請從備份還原")


def is_personal(table: str, key: str) -> bool:
    return key in PERSONAL_FIELDS.get(table, frozenset())


# ---------------------------------------------------------------- sealing values


class Cipher:
    """Seals and opens single text values of one project."""

    def __init__(self, key: bytes, project_id: str) -> None:
        if len(key) != KEY_BYTES:
            raise KeyFileInvalid(f"金鑰長度應為 {KEY_BYTES} 位元組")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(key)
        self._prefix = f"treasurer_app|{project_id}|"

    def _context(self, context: tuple[object, ...]) -> bytes:
        return (self._prefix + "|".join(map(str, context))).encode()

    def seal(self, text: str, *context: object) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, text.encode("utf-8"), self._context(context))
        return base64.b64encode(nonce + sealed).decode("ascii")

    def open(self, sealed: str, *context: object) -> str:
        """The text sealed for ``context``; DecryptionFailed when it was sealed elsewhere or altered."""
        try:
            raw = base64.b64decode(sealed, validate=True)
            plain = self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], self._context(context))
            return plain.decode("utf-8")
        except (binascii.Error, ValueError, TypeError):
            raise DecryptionFailed("/".join(map(str, context))) from None
        except Exception as exc:
            from cryptography.exceptions import InvalidTag

            if isinstance(exc, InvalidTag):
                raise DecryptionFailed("/".join(map(str, context))) from None
            raise

    def check_value(self) -> str:
        """A sealed constant stored with the project to tell the right key from a wrong one."""
        return self.seal(_KEY_CHECK_TEXT, "key-check")

    def fits(self, check_value: str) -> bool:
        try:
            return self.open(check_value, "key-check") == _KEY_CHECK_TEXT
        except DecryptionFailed:
            return False


def new_key() -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


# ---------------------------------------------------------------- the OS credential store


def os_store_available() -> bool:
    """Whether this computer has a credential store keyring can use (Windows always does).

    A Linux machine without a desktop session has none; there the key goes to a
    file of its own in the user's config folder (readable by the user only), kept
    apart from the project file and its backups, so those still never hold a
    readable member's data.
    """
    import keyring
    from keyring.backends import chainer, fail

    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration counts as none
        return False
    if isinstance(backend, fail.Keyring):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)


def key_dir() -> Path:
    override = os.environ.get(KEY_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("treasurer_app", appauthor=False)) / "keys"


def _key_file(project_id: str) -> Path:
    safe = re.sub(r"[^0-9A-Za-z_-]", "_", project_id)
    return key_dir() / f"{safe}.key"


def key_file_exists(project_id: str) -> bool:
    """Whether this PC has the fallback key file: without it the key can only be in the credential store
    (or nowhere), which is all the open window needs to know without asking that store."""
    return _key_file(project_id).exists()


def key_location(project_id: str) -> str | None:
    """'os' (the credential store), 'file' (the fallback key file) or None (no key)."""
    if os_store_available():
        import keyring.errors

        try:
            if keyring.get_password(SERVICE, project_id) is not None:
                return "os"
        except keyring.errors.KeyringError:
            pass
    return "file" if _key_file(project_id).exists() else None


def _read_key_file(project_id: str) -> str | None:
    try:
        return _key_file(project_id).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyringUnavailable(f"金鑰檔無法讀取：{exc}") from None


def _write_key_file(project_id: str, text: str) -> None:
    path = _key_file(project_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        raise KeyringUnavailable(f"金鑰檔無法寫入：{exc.strerror or exc}") from None


def load_key(project_id: str) -> bytes | None:
    """The project's key from the credential store (or the fallback key file), None when there is none."""
    text = None
    if os_store_available():
        import keyring.errors

        try:
            text = keyring.get_password(SERVICE, project_id)
        except keyring.errors.NoKeyringError:
            text = None
        except keyring.errors.KeyringError as exc:
            raise KeyringUnavailable(type(exc).__name__) from None
    if text is None:
        text = _read_key_file(project_id)
    if text is None:
        return None
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None  # not ours: treated as missing, the user re-imports
    return key if len(key) == KEY_BYTES else None


def save_key(project_id: str, key: bytes) -> None:
    text = base64.b64encode(key).decode("ascii")
    if not os_store_available():
        _write_key_file(project_id, text)
        return
    import keyring.errors

    try:
        keyring.set_password(SERVICE, project_id, text)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(type(exc).__name__) from None


def delete_key(project_id: str) -> None:
    _key_file(project_id).unlink(missing_ok=True)
    if not os_store_available():
        return
    import keyring.errors

    try:
        keyring.delete_password(SERVICE, project_id)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(type(exc).__name__) from None


# ---------------------------------------------------------------- recovery passphrase


def _passphrase_bytes(passphrase: str) -> bytes:
    # The same passphrase typed with another input method must give the same bytes.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _wrapping_key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(_passphrase_bytes(passphrase))


def _wrap_context(project_id: str, n: int, r: int, p: int) -> bytes:
    # Binding the parameters stops anyone weakening them in the file without the unwrap failing.
    return f"treasurer_app-key|{project_id}|scrypt|{n}|{r}|{p}".encode()


def export_key(key: bytes, project_id: str, passphrase: str, *, n: int = SCRYPT_N) -> str:
    """The key wrapped under the recovery passphrase, as a text block to save or print."""
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE_CHARS:
        raise PassphraseTooShort()
    salt = os.urandom(16)
    nonce = os.urandom(NONCE_BYTES)
    wrapping = _wrapping_key(passphrase, salt, n, SCRYPT_R, SCRYPT_P)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    wrapped = AESGCM(wrapping).encrypt(nonce, key, _wrap_context(project_id, n, SCRYPT_R, SCRYPT_P))
    values = {
        "format": _KEY_FILE_FORMAT,
        "project": project_id,
        "kdf": "scrypt",
        "n": str(n),
        "r": str(SCRYPT_R),
        "p": str(SCRYPT_P),
        "salt": base64.b64encode(salt).decode("ascii"),
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "wrapped": base64.b64encode(wrapped).decode("ascii"),
    }
    body = "".join(f"{name}: {values[name]}\n" for name in _KEY_FILE_FIELDS)
    return f"{_KEY_FILE_NOTE}{_BEGIN}\n{body}{_END}\n"


def key_file_project(text: str) -> str:
    """The project id a key block belongs to (no passphrase needed)."""
    return _parse_key_block(text)["project"]


def import_key(text: str, passphrase: str) -> tuple[str, bytes]:
    """(project id, key) from an exported block; WrongPassphrase when the passphrase does not open it."""
    values = _parse_key_block(text)
    n, r, p = _scrypt_parameters(values)
    salt = _base64_field(values, "salt")
    nonce = _base64_field(values, "nonce")
    wrapped = _base64_field(values, "wrapped")
    if len(nonce) != NONCE_BYTES:
        raise KeyFileInvalid("nonce 長度不符")
    wrapping = _wrapping_key(passphrase, salt, n, r, p)
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        key = AESGCM(wrapping).decrypt(nonce, wrapped, _wrap_context(values["project"], n, r, p))
    except InvalidTag:
        raise WrongPassphrase() from None
    if len(key) != KEY_BYTES:
        raise KeyFileInvalid("金鑰長度不符")
    return values["project"], key


def _parse_key_block(text: str) -> dict[str, str]:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    if _BEGIN not in lines or _END not in lines:
        raise KeyFileInvalid(f"找不到「{_BEGIN}」與「{_END}」之間的內容")
    start = lines.index(_BEGIN)
    end = lines.index(_END, start)
    values: dict[str, str] = {}
    for line in lines[start + 1 : end]:
        if not line:
            continue
        name, separator, value = line.partition(":")
        if not separator:
            raise KeyFileInvalid(f"無法辨識的一行：{line[:40]}")
        values[name.strip()] = value.strip()
    missing = [name for name in _KEY_FILE_FIELDS if not values.get(name)]
    if missing:
        raise KeyFileInvalid("缺少欄位 " + "、".join(missing))
    if values["format"] != _KEY_FILE_FORMAT:
        raise KeyFileInvalid(f"版本 {values['format']} 不支援，請更新程式")
    if values["kdf"] != "scrypt":
        raise KeyFileInvalid(f"不支援的金鑰衍生方式 {values['kdf']}")
    if not re.fullmatch(r"[0-9a-f]{32}", values["project"]):
        raise KeyFileInvalid("專案代碼不正確")
    return values


def _scrypt_parameters(values: dict[str, str]) -> tuple[int, int, int]:
    try:
        n, r, p = int(values["n"]), int(values["r"]), int(values["p"])
    except ValueError:
        raise KeyFileInvalid("scrypt 參數應為整數") from None
    low, high = _SCRYPT_N_RANGE
    # Bounds keep a crafted file from asking for gigabytes of memory.
    if not (low <= n <= high and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
        raise KeyFileInvalid("scrypt 參數超出範圍")
    return n, r, p


def _base64_field(values: dict[str, str], name: str) -> bytes:
    try:
        return base64.b64decode(values[name], validate=True)
    except (binascii.Error, ValueError):
        raise KeyFileInvalid(f"{name} 不是有效的 base64") from None
