"""The Bot API spec validator: what Telegram would accept, and what it would reject."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.local.emulator.spec import ApiSpec, UploadedFile, html_to_plain, parse_html


@pytest.fixture(scope="module")
def spec() -> ApiSpec:
    return ApiSpec.load()


def keyboard(*buttons: dict[str, Any]) -> str:
    """A reply_markup form field with one row of inline buttons."""
    return json.dumps({"inline_keyboard": [list(buttons)]})


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("getMe", {}),
        ("sendMessage", {"chat_id": "42", "text": "Hello"}),
        ("sendMessage", {"chat_id": 42, "text": "Hello", "disable_notification": True}),
        ("sendMessage", {"chat_id": "@channel", "text": "Hello"}),
        (
            "sendMessage",
            {
                "chat_id": "42",
                "text": "<b>Today</b> &amp; <i>tomorrow</i> &lt;3 &#128075;",
                "parse_mode": "HTML",
                "reply_markup": keyboard(
                    {"text": "Done", "callback_data": "fu:1:done"},
                    {"text": "Docs", "url": "https://example.org/?a=1&b=2"},
                ),
                "link_preview_options": json.dumps({"is_disabled": True}),
                "reply_parameters": json.dumps({"message_id": 3}),
            },
        ),
        (
            "sendMessage",
            {
                "chat_id": 42,
                "text": "Where are you?",
                "reply_markup": {
                    "keyboard": [[{"text": "Share location", "request_location": True}]],
                    "resize_keyboard": True,
                    "one_time_keyboard": True,
                },
            },
        ),
        ("sendMessage", {"chat_id": 42, "text": "x", "reply_markup": {"remove_keyboard": True}}),
        ("sendMessage", {"chat_id": 42, "text": "é" * 4096}),
        ("sendMessage", {"chat_id": 42, "text": "<b>" + "a" * 4096 + "</b>", "parse_mode": "HTML"}),
        ("editMessageText", {"chat_id": "42", "message_id": "7", "text": "Edited"}),
        ("editMessageReplyMarkup", {"chat_id": "42", "message_id": "7"}),
        ("answerCallbackQuery", {"callback_query_id": "99", "text": "Saved"}),
        (
            "setMyCommands",
            {
                "commands": json.dumps([{"command": "start", "description": "Begin"}]),
                "scope": json.dumps({"type": "all_private_chats"}),
            },
        ),
        ("sendPhoto", {"chat_id": "42", "photo": UploadedFile("chart.png", b"\x89PNG")}),
        ("sendDocument", {"chat_id": "42", "document": "BQACAgIAAxkBAAIB", "caption": "Export"}),
        ("getUpdates", {"offset": "5", "timeout": "10", "allowed_updates": '["message"]'}),
        ("sendmessage", {"chat_id": "42", "text": "method names ignore case"}),
        ("sendChatAction", {"chat_id": "42", "action": "typing"}),
    ],
)
def test_good_calls_pass(spec: ApiSpec, method: str, params: dict[str, Any]) -> None:
    assert spec.validate(method, params) == []


@pytest.mark.parametrize(
    ("method", "params", "expected"),
    [
        ("sendMesage", {"chat_id": "1", "text": "x"}, "unknown method 'sendMesage'"),
        (
            "sendMessage",
            {"chat_id": "1", "text": "x", "colour": "red"},
            "unknown parameter 'colour'",
        ),
        ("sendMessage", {"text": "hi"}, "required parameter 'chat_id' of sendMessage is missing"),
        ("sendMessage", {"chat_id": "1"}, "required parameter 'text'"),
        ("sendMessage", {"chat_id": "abc", "text": "x"}, "chat not found: chat_id 'abc'"),
        ("sendMessage", {"chat_id": 1.5, "text": "x"}, "chat_id: expected Integer or String"),
        ("sendMessage", {"chat_id": 1, "text": 5}, "text: expected String, got 5"),
        (
            "sendMessage",
            {"chat_id": "1", "text": "x", "disable_notification": "yes"},
            "disable_notification: expected Boolean",
        ),
        ("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": "{oops"}, "reply_markup"),
        (
            "sendMessage",
            {"chat_id": "1", "text": "x", "reply_markup": json.dumps({"inline_keyboard": "no"})},
            "reply_markup.inline_keyboard: expected Array of Array of InlineKeyboardButton",
        ),
        (
            "sendMessage",
            {"chat_id": "1", "text": "x", "reply_markup": keyboard({"callback_data": "a"})},
            "inline_keyboard[0][0].text: required field of InlineKeyboardButton is missing",
        ),
        (
            "sendMessage",
            {"chat_id": "1", "text": "x", "reply_markup": keyboard({"text": "A", "data": "a"})},
            "inline_keyboard[0][0].data: unknown field of InlineKeyboardButton",
        ),
        (
            "sendMessage",
            {"chat_id": "1", "text": "x", "reply_markup": keyboard({"text": "A"})},
            "text buttons are unallowed in the inline keyboard",
        ),
        (
            "sendMessage",
            {"chat_id": "1", "text": "x", "reply_markup": keyboard({"text": " ", "url": "u"})},
            "button text must not be empty",
        ),
        (
            "sendMessage",
            {"chat_id": "1", "text": "x", "reply_parameters": '{"message_id": "three"}'},
            "reply_parameters.message_id: expected Integer",
        ),
        ("sendMessage", {"chat_id": "1", "text": "a" * 4097}, "message is too long"),
        ("sendMessage", {"chat_id": "1", "text": ""}, "message text is empty"),
        ("sendMessage", {"chat_id": "1", "text": "<b> </b>", "parse_mode": "HTML"}, "empty"),
        ("sendMessage", {"chat_id": "1", "text": "x", "parse_mode": "Textile"}, "parse_mode"),
        ("sendPhoto", {"chat_id": "1", "photo": "p", "caption": "c" * 1025}, "caption is too long"),
        ("sendPhoto", {"chat_id": "1", "photo": 5}, "photo: expected InputFile or String"),
        (
            "setMyCommands",
            {"commands": json.dumps([{"command": "Start!", "description": "Go"}])},
            "BOT_COMMAND_INVALID",
        ),
        (
            "setMyCommands",
            {"commands": "[]", "scope": json.dumps({"type": "everyone"})},
            "scope.type: BotCommandScope must have type one of",
        ),
        ("answerCallbackQuery", {"callback_query_id": "1", "text": "x" * 201}, "MESSAGE_TOO_LONG"),
        ("getUpdates", {"timeout": "soon"}, "timeout: expected Integer"),
    ],
)
def test_bad_calls_are_reported(
    spec: ApiSpec, method: str, params: dict[str, Any], expected: str
) -> None:
    violations = spec.validate(method, params)
    assert violations, f"{method} {params} passed"
    assert any(expected in violation for violation in violations), violations


def test_callback_data_is_limited_in_bytes_not_characters(spec: ApiSpec) -> None:
    fits = {
        "chat_id": 1,
        "text": "x",
        "reply_markup": keyboard({"text": "A", "callback_data": "é" * 32}),
    }
    too_long = {
        "chat_id": 1,
        "text": "x",
        "reply_markup": keyboard({"text": "A", "callback_data": "ab" + "é" * 31 + "c"}),
    }
    assert spec.validate("sendMessage", fits) == []
    [violation] = spec.validate("sendMessage", too_long)
    assert violation.startswith("BUTTON_DATA_INVALID")
    assert "65 bytes" in violation


def test_empty_callback_data_is_invalid(spec: ApiSpec) -> None:
    params = {
        "chat_id": 1,
        "text": "x",
        "reply_markup": keyboard({"text": "A", "callback_data": ""}),
    }
    assert any("BUTTON_DATA_INVALID" in v for v in spec.validate("sendMessage", params))


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("2 < 3", 'Unsupported start tag "" at byte offset 2'),
        ("I <3 you", 'Unsupported start tag "3" at byte offset 2'),
        ("x<", "Unclosed start tag at byte offset 1"),
        ("&nbsp;ok", 'Unsupported HTML entity "&nbsp;" at byte offset 0'),
        ("AT&T", 'Unescaped "&" at byte offset 2'),
        ("é&", 'Unescaped "&" at byte offset 2'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ('<span class="red">x</span>', 'Tag "span" must have class "tg-spoiler"'),
        ('<a href="u" onclick="x">y</a>', 'Unsupported attribute "onclick"'),
        ("<b >x</b", "Unclosed end tag at byte offset 5"),
        ("<a href>x</a>", "Expected equal sign"),
        ("&#0;", 'Invalid character entity "&#0;"'),
    ],
)
def test_malformed_html_is_rejected_like_telegram(spec: ApiSpec, html: str, error: str) -> None:
    assert parse_html(html).error is not None
    assert error in str(parse_html(html).error)
    violations = spec.validate("sendMessage", {"chat_id": "1", "text": html, "parse_mode": "HTML"})
    assert violations == [f"can't parse entities: {parse_html(html).error}"]


def test_html_is_checked_for_captions_too(spec: ApiSpec) -> None:
    params = {"chat_id": "1", "photo": "p", "caption": "<u>x", "parse_mode": "html"}
    assert spec.validate("sendPhoto", params)[0].startswith("can't parse entities")


def test_html_is_not_parsed_without_parse_mode(spec: ApiSpec) -> None:
    assert spec.validate("sendMessage", {"chat_id": "1", "text": "<b>x & y"}) == []


@pytest.mark.parametrize(
    ("html", "plain"),
    [
        ("<b>Hi</b> &amp; <i>welcome</i>", "Hi & welcome"),
        ("&lt;tag&gt; &quot;q&quot; &#65;&#x42;", '<tag> "q" AB'),
        ('<a href="https://t.me/x">link</a>', "link"),
        ("<tg-spoiler>s</tg-spoiler><span class='tg-spoiler'>t</span>", "st"),
        ('<pre><code class="language-python">print(1)</code></pre>', "print(1)"),
        ("<blockquote expandable>quote</blockquote>", "quote"),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍"),
        ("line 1\nline 2", "line 1\nline 2"),
        ("<B>caps</B>", "caps"),
    ],
)
def test_html_to_plain(html: str, plain: str) -> None:
    assert parse_html(html).error is None
    assert html_to_plain(html) == plain


def test_entities_use_utf16_offsets() -> None:
    parsed = parse_html("😀 <b>bold</b> <a href='https://x.org'>l</a>")
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 4},
        {"type": "text_link", "offset": 8, "length": 1, "url": "https://x.org"},
    ]


def test_decode_types_form_fields(spec: ApiSpec) -> None:
    decoded = spec.decode(
        "sendMessage",
        {
            "chat_id": "42",
            "text": "12",
            "disable_notification": "true",
            "reply_markup": keyboard({"text": "A", "callback_data": "a"}),
        },
    )
    assert decoded == {
        "chat_id": 42,
        "text": "12",
        "disable_notification": True,
        "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
    }


@given(st.text())
def test_html_to_plain_never_raises(text: str) -> None:
    assert isinstance(html_to_plain(text), str)


@given(st.text(), st.sampled_from(["HTML", "MarkdownV2", None]))
def test_validate_never_raises(text: str, parse_mode: str | None) -> None:
    params: dict[str, Any] = {"chat_id": "1", "text": text}
    if parse_mode is not None:
        params["parse_mode"] = parse_mode
    assert isinstance(ApiSpec.load().validate("sendMessage", params), list)
    assert isinstance(ApiSpec.load().validate("sendPhoto", {**params, "caption": text}), list)


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"])))
def test_escaped_text_is_always_valid_html(text: str) -> None:
    import html

    parsed = parse_html(html.escape(text, quote=False))
    assert parsed.error is None
    assert parsed.text == text
