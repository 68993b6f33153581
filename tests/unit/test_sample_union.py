"""The sample union (先看看範例工會, resources/sample/): what the program writes, and the guide's worked example."""

from __future__ import annotations

from treasurer_app import interchange
from treasurer_app.resources import resources_dir

SAMPLE = resources_dir() / "sample" / "sample_union.json"


def test_the_sample_is_written_as_the_program_writes_a_project() -> None:
    """The current interchange version, in the app's own layout: saving the opened sample changes nothing."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert interchange.dumps(interchange.loads(text)) == text
