"""工會福利專款助手 — the Port Service Fee Welfare Fund assistant for union treasurers."""

from importlib.metadata import PackageNotFoundError, version

APP_NAME = "工會福利專款助手"
APP_ID = "treasurer_app"

try:
    __version__ = version("treasurer-app")
except PackageNotFoundError:  # running from a source tree or a frozen bundle without metadata
    __version__ = "0.1.0"
