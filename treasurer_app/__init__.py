"""工會福利專款助手 — the Port Service Fee Welfare Fund assistant for union treasurers."""

APP_NAME = "工會福利專款助手"
APP_ID = "treasurer_app"


def __getattr__(name: str) -> str:
    # The version has one source (pyproject.toml, via metadata or the frozen bundle's baked copy): about.app_version.
    if name == "__version__":
        from treasurer_app.about import app_version

        return app_version()
    raise AttributeError(name)
