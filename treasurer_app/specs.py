"""Every form of both programmes by id: the port fund's seven sheets (forms/) and the LINE subsidy's
forms and tables (line_subsidy/forms.py). The editors, the findings panel and the CLI look forms up here."""

from __future__ import annotations

from treasurer_app.forms import FORM_NAMES, FORMS
from treasurer_app.forms.base import FormSpec
from treasurer_app.line_subsidy.forms import LINE_FORM_NAMES, LINE_FORMS

ALL_FORMS: dict[str, FormSpec] = {**FORMS, **LINE_FORMS}
ALL_FORM_NAMES: dict[str, str] = {**FORM_NAMES, **{k: f"LINE補助：{v}" for k, v in LINE_FORM_NAMES.items()}}
