"""The language switcher names each language in its own words on every page."""

import pytest


@pytest.mark.parametrize("page_language", ["en", "fr", "zh-hans"])
def test_each_language_is_named_in_itself(client, db, page_language):
    body = client.get("/library/", HTTP_ACCEPT_LANGUAGE=page_language).content.decode()
    for code, name in (("en", "English"), ("zh-hans", "简体中文"), ("fr", "Français")):
        assert f'<option value="{code}" lang="' in body
        assert f">{name}</option>" in body
    assert "Anglais" not in body and "英语" not in body
