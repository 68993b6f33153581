"""性別 follows from the 身分證字號 when it is left empty; one typed is never overwritten."""

from __future__ import annotations

from treasurer_app.forms.roster import with_sex_from_id

MALE_ID, FEMALE_ID = "A123456789", "A223456781"


def test_an_empty_sex_is_read_from_the_national_id() -> None:
    assert with_sex_from_id({"name": "王小明", "national_id": MALE_ID})["sex"] == "男"
    assert with_sex_from_id({"national_id": FEMALE_ID, "sex": " "})["sex"] == "女"


def test_a_sex_already_given_is_kept_even_when_the_id_says_otherwise() -> None:
    member = {"national_id": MALE_ID, "sex": "女"}
    assert with_sex_from_id(member) == member  # the rule roster.sex_matches_id reports the mismatch


def test_nothing_is_guessed_from_an_empty_or_invalid_id() -> None:
    assert "sex" not in with_sex_from_id({"national_id": ""})
    assert "sex" not in with_sex_from_id({"national_id": "A123456788"})  # check digit wrong
    assert "sex" not in with_sex_from_id({"name": "王小明"})
