"""Check Bot API calls against Telegram's published spec (`api.json`), the way Telegram would.

`ApiSpec.validate` takes the parameters as they arrive on the wire (form fields are strings,
JSON bodies have real types) and returns human-readable violations. Telegram HTML is parsed
like Telegram's own parser (tdlib), a little stricter where the Bot API docs ask for escaping:
a bare "&" or an unknown named entity such as "&nbsp;" is an error here, and so is an attribute
that Telegram would silently ignore.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
CALLBACK_ANSWER_LIMIT = 200
COMMAND_DESCRIPTION_LIMIT = 256

_PARSE_MODES = {"html", "markdown", "markdownv2"}
_INTEGER = re.compile(r"[+-]?\d+")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_DISCRIMINATOR = re.compile(r"(?:must be|always) [“\"*]?([A-Za-z0-9_\-]+)")
# Button fields that are not an action: every inline button needs exactly one action besides them.
_BUTTON_DECORATIONS = {"text", "icon_custom_emoji_id", "style"}


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart/form-data request."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


# --------------------------------------------------------------------------------------------
# Telegram HTML
# --------------------------------------------------------------------------------------------

_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_TAG_ATTRIBUTES = {
    "a": {"href"},
    "span": {"class"},
    "code": {"class"},
    "blockquote": {"expandable"},
    "tg-emoji": {"emoji-id"},
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#[xX]([0-9A-Fa-f]{1,8});|#([0-9]{1,10});|([A-Za-z][A-Za-z0-9]{0,31});)")


@dataclass(frozen=True)
class ParsedText:
    """Telegram HTML after parsing: the text the user sees, its entities and the first error."""

    text: str
    entities: list[dict[str, Any]]
    error: str | None


def utf16_length(text: str) -> int:
    """Length of `text` in UTF-16 code units, the unit of Telegram's entity offsets."""
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def parse_html(html: str) -> ParsedText:
    """Parse Telegram HTML; never raises. On an error, parsing goes on leniently."""
    return _HtmlParser(html).parse()


def html_to_plain(html: str) -> str:
    """The text as the user would see it: tags removed, entities decoded; never raises."""
    return parse_html(html).text


@dataclass
class _OpenTag:
    name: str
    argument: str
    start: int  # UTF-16 offset in the output
    language: str = ""


class _HtmlParser:
    def __init__(self, html: str) -> None:
        self.src = html
        self.out: list[str] = []
        self.length = 0  # UTF-16 length of the output so far
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []
        self.error: str | None = None

    def parse(self) -> ParsedText:
        src, i = self.src, 0
        while i < len(src):
            char = src[i]
            if char == "&":
                i = self._entity(i)
            elif char == "<":
                i = self._tag(i)
            else:
                self._emit(char)
                i += 1
        if self.stack:
            self._fail(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
            while self.stack:
                self._close(self.stack.pop())
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return ParsedText("".join(self.out), self.entities, self.error)

    def _fail(self, message: str) -> None:
        if self.error is None:
            self.error = message

    def _byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8", "surrogatepass"))

    def _emit(self, text: str) -> None:
        self.out.append(text)
        self.length += utf16_length(text)

    def _decode_entity(self, index: int) -> tuple[str | None, int]:
        """The character of the entity at `index` (None if there is none) and where it ends."""
        match = _ENTITY.match(self.src, index)
        if match is None:
            self._fail(
                f'Unescaped "&" at byte offset {self._byte_offset(index)}: write it as "&amp;"'
            )
            return None, index + 1
        hex_digits, digits, name = match.groups()
        if name is not None:
            if name in _NAMED_ENTITIES:
                return _NAMED_ENTITIES[name], match.end()
            self._fail(
                f'Unsupported HTML entity "{match.group(0)}" at byte offset '
                f"{self._byte_offset(index)}: only &lt;, &gt;, &amp;, &quot; and numeric "
                "entities are supported"
            )
            return None, index + 1
        code = int(hex_digits, 16) if hex_digits is not None else int(digits)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            self._fail(
                f'Invalid character entity "{match.group(0)}" at byte offset '
                f"{self._byte_offset(index)}"
            )
            return None, index + 1
        return chr(code), match.end()

    def _entity(self, index: int) -> int:
        char, end = self._decode_entity(index)
        self._emit("&" if char is None else char)
        return end

    def _literal(self, index: int) -> int:
        """Lenient recovery: show the '<' at `index` as text and go on after it."""
        self._emit("<")
        return index + 1

    def _tag(self, begin: int) -> int:
        src = self.src
        offset = self._byte_offset(begin)
        i = begin + 1
        if i < len(src) and src[i] == "/":
            return self._end_tag(begin, offset)
        while i < len(src) and not src[i].isspace() and src[i] != ">":
            i += 1
        if i >= len(src):
            self._fail(f"Unclosed start tag at byte offset {offset}")
            return self._literal(begin)
        name = src[begin + 1 : i].lower()
        if name not in _TAG_ENTITY:
            self._fail(f'Unsupported start tag "{name}" at byte offset {offset}')
            return self._literal(begin)
        attributes: dict[str, str] = {}
        while True:
            while i < len(src) and src[i].isspace():
                i += 1
            if i >= len(src):
                self._fail(f'Unclosed start tag "{name}" at byte offset {offset}')
                return self._literal(begin)
            if src[i] == ">":
                break
            attribute_begin = i
            while i < len(src) and not src[i].isspace() and src[i] not in "=>":
                i += 1
            attribute = src[attribute_begin:i].lower()
            if not attribute:
                self._fail(f'Empty attribute name in the tag "{name}" at byte offset {offset}')
                return self._literal(begin)
            while i < len(src) and src[i].isspace():
                i += 1
            if i >= len(src) or src[i] != "=":
                if name == "blockquote" and attribute == "expandable":
                    attributes[attribute] = ""
                    continue
                self._fail(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{name}" at byte offset {offset}'
                )
                return self._literal(begin)
            i += 1
            while i < len(src) and src[i].isspace():
                i += 1
            if i >= len(src):
                self._fail(f'Unclosed start tag "{name}" at byte offset {offset}')
                return self._literal(begin)
            value, i, ok = self._attribute_value(i, offset)
            if not ok:
                return self._literal(begin)
            if attribute not in _TAG_ATTRIBUTES.get(name, set()):
                self._fail(
                    f'Unsupported attribute "{attribute}" in the tag "{name}" '
                    f"at byte offset {offset}"
                )
            attributes[attribute] = value
        end = i + 1
        argument = ""
        if name == "span":
            if attributes.get("class") != "tg-spoiler":
                self._fail(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        elif name == "a":
            argument = attributes.get("href", "")
        elif name == "tg-emoji":
            argument = attributes.get("emoji-id", "")
            if not argument:
                self._fail(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset}')
        elif name == "blockquote":
            argument = "expandable" if "expandable" in attributes else ""
        elif name == "code":
            language = attributes.get("class", "")
            argument = (
                language.removeprefix("language-") if language.startswith("language-") else ""
            )
        self.stack.append(_OpenTag(name, argument, self.length))
        return end

    def _attribute_value(self, i: int, offset: int) -> tuple[str, int, bool]:
        src = self.src
        if src[i] not in "'\"":
            token_begin = i
            while i < len(src) and (src[i].isalnum() or src[i] in ".-"):
                i += 1
            if i < len(src) and not src[i].isspace() and src[i] != ">":
                self._fail(
                    f"Unexpected end of name token at byte offset {self._byte_offset(token_begin)}"
                )
                return "", i, False
            return src[token_begin:i].lower(), i, True
        quote = src[i]
        i += 1
        value: list[str] = []
        while i < len(src) and src[i] != quote:
            if src[i] == "&":
                char, i = self._decode_entity(i)
                value.append("&" if char is None else char)
            else:
                value.append(src[i])
                i += 1
        if i >= len(src):
            self._fail(f"Unclosed start tag at byte offset {offset}")
            return "", i, False
        return "".join(value), i + 1, True

    def _end_tag(self, begin: int, offset: int) -> int:
        src = self.src
        i = begin + 2
        while i < len(src) and not src[i].isspace() and src[i] != ">":
            i += 1
        name = src[begin + 2 : i].lower()
        while i < len(src) and src[i].isspace():
            i += 1
        if i >= len(src) or src[i] != ">":
            self._fail(f"Unclosed end tag at byte offset {offset}")
            return self._literal(begin)
        end = i + 1
        if not self.stack:
            self._fail(f"Unexpected end tag at byte offset {offset}")
            return end
        top = self.stack[-1]
        if name and name != top.name:
            self._fail(
                f'Unmatched end tag at byte offset {offset}, expected "</{top.name}>", '
                f'found "</{name}>"'
            )
            if all(tag.name != name for tag in self.stack):
                return end
            while self.stack[-1].name != name:
                self._close(self.stack.pop())
        self._close(self.stack.pop())
        return end

    def _close(self, tag: _OpenTag) -> None:
        length = self.length - tag.start
        if tag.name == "code" and tag.argument and self.stack and self.stack[-1].name == "pre":
            self.stack[-1].language = tag.argument
            return
        if length <= 0:
            return
        entity: dict[str, Any] = {
            "type": _TAG_ENTITY[tag.name],
            "offset": tag.start,
            "length": length,
        }
        if tag.name == "a":
            if not tag.argument:
                return
            entity["url"] = tag.argument
        elif tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        elif tag.name == "blockquote" and tag.argument:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.argument
        self.entities.append(entity)


# --------------------------------------------------------------------------------------------
# The spec
# --------------------------------------------------------------------------------------------


@dataclass
class _Context:
    """What a whole request knows while one of its values is checked."""

    params: Mapping[str, Any]
    attachments: set[str] = field(default_factory=set)


class ApiSpec:
    """The Bot API methods and types, and a validator for calls against them."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version: str = str(data.get("version", ""))
        self._methods: dict[str, Any] = dict(data["methods"])
        self._types: dict[str, Any] = dict(data["types"])
        self._by_lower = {name.lower(): name for name in self._methods}
        self._discriminators: dict[str, tuple[str, str] | None] = {}

    @classmethod
    def load(cls) -> ApiSpec:
        """The spec shipped with the package (`bot/local/emulator/api.json`), loaded once."""
        return _load_packaged_spec()

    def method_name(self, method: str) -> str | None:
        """The method's canonical name (Telegram ignores case), or None if there is none."""
        return self._by_lower.get(method.lower())

    def method_fields(self, method: str) -> dict[str, dict[str, Any]]:
        """The parameters of `method` by name (empty for an unknown method)."""
        name = self.method_name(method)
        if name is None:
            return {}
        return {spec["name"]: spec for spec in self._methods[name].get("fields", [])}

    # -- validation ---------------------------------------------------------------------------

    def check_object(self, value: Any, type_name: str) -> list[str]:
        """Everything wrong with `value` as an object of `type_name` (an Update, a Message...),
        for checking what the emulator itself builds; an empty list means it is fine."""
        errors = self._check_object(value, type_name, type_name, _Context({}))
        return [f"{type_name}: not an object"] if errors is None else errors

    def validate(self, method: str, params: Mapping[str, Any]) -> list[str]:
        """Everything Telegram would reject about this call; an empty list means it is fine."""
        name = self.method_name(method)
        if name is None:
            return [f"unknown method {method!r}"]
        fields = self.method_fields(name)
        context = _Context(params)
        errors: list[str] = []
        for key, value in params.items():
            if value is None:
                continue
            if key not in fields:
                if isinstance(value, UploadedFile):
                    continue  # an attachment, referred to as attach://<key>
                errors.append(f"unknown parameter {key!r} for {name}")
        for key, spec in fields.items():
            if params.get(key) is None:
                if spec["required"]:
                    errors.append(f"required parameter {key!r} of {name} is missing")
                continue
            errors.extend(self._check(params[key], spec["types"], key, context, wire=True))
        if not errors:
            errors.extend(self._check_text(name, fields, params))
        if not errors:
            errors.extend(
                f"{key}: attached file was not referred to by any attach:// URI"
                for key, value in params.items()
                if isinstance(value, UploadedFile)
                and key not in fields
                and key not in context.attachments
            )
        return errors

    def _check_text(
        self, method: str, fields: Mapping[str, Any], params: Mapping[str, Any]
    ) -> list[str]:
        errors: list[str] = []
        for key, value in params.items():
            if not isinstance(value, str):
                continue
            mode_key = "parse_mode" if key in ("text", "caption") else f"{key}_parse_mode"
            if mode_key not in fields:
                continue
            plain = value
            mode = params.get(mode_key)
            if isinstance(mode, str) and mode:
                if mode.lower() not in _PARSE_MODES:
                    errors.append(f"unsupported parse_mode {mode!r}")
                    continue
                if mode.lower() == "html":
                    parsed = parse_html(value)
                    if parsed.error is not None:
                        errors.append(f"can't parse entities: {parsed.error}")
                        continue
                    plain = parsed.text
            if key == "text" and method in ("sendMessage", "editMessageText"):
                if not plain.strip():
                    errors.append("message text is empty")
                elif len(plain) > TEXT_LIMIT:
                    errors.append(
                        f"message is too long: {len(plain)} characters after entity parsing, "
                        f"at most {TEXT_LIMIT}"
                    )
            elif key == "caption" and len(plain) > CAPTION_LIMIT:
                errors.append(
                    f"message caption is too long: {len(plain)} characters after entity "
                    f"parsing, at most {CAPTION_LIMIT}"
                )
        if (
            method == "editMessageText"
            and params.get("text") is None
            and params.get("rich_message") is None
        ):
            errors.append("message text is empty")
        if method == "answerCallbackQuery":
            text = params.get("text")
            if isinstance(text, str) and len(text) > CALLBACK_ANSWER_LIMIT:
                errors.append(
                    f"MESSAGE_TOO_LONG: the answer text is {len(text)} characters, "
                    f"at most {CALLBACK_ANSWER_LIMIT}"
                )
        return errors

    def _check(
        self, value: Any, types: list[str], path: str, context: _Context, *, wire: bool
    ) -> list[str]:
        """Errors of `value` against a union of types (empty if one of them fits)."""
        partial: list[list[str]] = []
        for type_name in types:
            errors = self._check_one(value, type_name, path, context, wire=wire)
            if errors is not None and not errors:
                return self._check_chat_id(value, types, path)
            if errors:
                partial.append(errors)
        if partial:
            return min(partial, key=len)
        return [f"{path}: expected {' or '.join(types)}, got {_describe(value)}"]

    def _check_chat_id(self, value: Any, types: list[str], path: str) -> list[str]:
        if (
            path.rsplit(".", 1)[-1].endswith("chat_id")
            and isinstance(value, str)
            and "Integer" in types
            and not _INTEGER.fullmatch(value)
            and not value.startswith("@")
        ):
            return [f"chat not found: {path} {value!r} is neither a number nor an @username"]
        return []

    def _check_one(
        self, value: Any, type_name: str, path: str, context: _Context, *, wire: bool
    ) -> list[str] | None:
        """[] if `value` is a `type_name`, errors if it has that shape but is wrong inside,
        None if it is not that kind of value at all."""
        if wire and isinstance(value, str) and type_name != "String":
            return self._check_wire_string(value, type_name, path, context)
        if type_name == "String":
            return [] if isinstance(value, str) else None
        if type_name == "Integer":
            return [] if isinstance(value, int) and not isinstance(value, bool) else None
        if type_name == "Float":
            return [] if isinstance(value, int | float) and not isinstance(value, bool) else None
        if type_name == "Boolean":
            return [] if isinstance(value, bool) else None
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                return None
            item_type = type_name.removeprefix("Array of ")
            errors: list[str] = []
            for index, item in enumerate(value):
                errors.extend(
                    self._check(item, [item_type], f"{path}[{index}]", context, wire=False)
                )
            return errors
        if type_name == "InputFile":
            if isinstance(value, UploadedFile):
                return []
            if isinstance(value, str) and value.startswith("attach://"):
                name = value.removeprefix("attach://")
                context.attachments.add(name)
                if isinstance(context.params.get(name), UploadedFile):
                    return []
                return [f"{path}: {value} refers to no file part of the request"]
            return None
        return self._check_object(value, type_name, path, context)

    def _check_wire_string(
        self, value: str, type_name: str, path: str, context: _Context
    ) -> list[str] | None:
        if type_name == "Integer":
            return [] if _INTEGER.fullmatch(value.strip()) else None
        if type_name == "Float":
            try:
                float(value)
            except ValueError:
                return None
            return []
        if type_name == "Boolean":
            return [] if value.strip().lower() in ("true", "false", "1", "0") else None
        if type_name == "InputFile":
            return self._check_one(value, type_name, path, context, wire=False)
        try:
            decoded = json.loads(value)
        except ValueError:
            return None
        return self._check_one(decoded, type_name, path, context, wire=False)

    def _check_object(
        self, value: Any, type_name: str, path: str, context: _Context
    ) -> list[str] | None:
        spec = self._types.get(type_name)
        if spec is None:
            return [] if isinstance(value, dict) else None
        if not isinstance(value, dict):
            return None
        subtypes: list[str] = spec.get("subtypes", [])
        if subtypes:
            return self._check_subtypes(value, type_name, subtypes, path, context)
        fields = {item["name"]: item for item in spec.get("fields", [])}
        errors = [
            f"{path}.{key}: unknown field of {type_name}"
            for key in value
            if key not in fields and value[key] is not None
        ]
        for key, item in fields.items():
            if value.get(key) is None:
                if item["required"]:
                    errors.append(f"{path}.{key}: required field of {type_name} is missing")
                continue
            errors.extend(
                self._check(value[key], item["types"], f"{path}.{key}", context, wire=False)
            )
        if not errors:
            errors.extend(_semantic_checks(value, type_name, path))
        return errors

    def _check_subtypes(
        self,
        value: dict[str, Any],
        type_name: str,
        subtypes: list[str],
        path: str,
        context: _Context,
    ) -> list[str] | None:
        tagged = [(name, self._discriminator(name)) for name in subtypes]
        for name, tag in tagged:
            if tag is not None and value.get(tag[0]) == tag[1]:
                return self._check_object(value, name, path, context)
        tags = [tag for _, tag in tagged if tag is not None]
        if tags:
            key = tags[0][0]
            allowed = ", ".join(repr(tag[1]) for tag in tags)
            return [f"{path}.{key}: {type_name} must have {key} one of {allowed}"]
        return self._check(value, subtypes, path, context, wire=False)

    def _discriminator(self, type_name: str) -> tuple[str, str] | None:
        """The (field, value) that tells this subtype apart, e.g. ("type", "chat")."""
        if type_name not in self._discriminators:
            fields = self._types.get(type_name, {}).get("fields", [])
            match = _DISCRIMINATOR.search(fields[0]["description"]) if fields else None
            tag = None
            if match is not None and fields[0]["required"]:
                tag = (fields[0]["name"], match.group(1))
            self._discriminators[type_name] = tag
        return self._discriminators[type_name]

    # -- decoding ----------------------------------------------------------------------------

    def decode(self, method: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """The parameters with form strings turned into numbers, booleans, objects and arrays
        as the spec types them; best effort, never raises."""
        fields = self.method_fields(method)
        decoded: dict[str, Any] = {}
        for key, value in params.items():
            spec = fields.get(key)
            if spec is None or not isinstance(value, str):
                decoded[key] = value
            else:
                decoded[key] = _decode_wire_string(value, spec["types"])
        return decoded


def _decode_wire_string(value: str, types: list[str]) -> Any:
    for type_name in types:
        if type_name == "Integer" and _INTEGER.fullmatch(value.strip()):
            return int(value)
        if type_name == "Float":
            try:
                return float(value)
            except ValueError:
                continue
        if type_name == "Boolean" and value.strip().lower() in ("true", "false", "1", "0"):
            return value.strip().lower() in ("true", "1")
    if "String" in types or "InputFile" in types:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _semantic_checks(value: dict[str, Any], type_name: str, path: str) -> list[str]:
    """Rules of a type that the spec states only in prose."""
    errors: list[str] = []
    if type_name in ("InlineKeyboardButton", "KeyboardButton") and not value["text"].strip():
        errors.append(f"{path}.text: button text must not be empty")
    if type_name == "InlineKeyboardButton":
        data = value.get("callback_data")
        if isinstance(data, str):
            size = len(data.encode("utf-8", "surrogatepass"))
            if not 1 <= size <= CALLBACK_DATA_LIMIT:
                errors.append(
                    f"BUTTON_DATA_INVALID: {path}.callback_data is {size} bytes in UTF-8, "
                    f"Telegram accepts 1-{CALLBACK_DATA_LIMIT}"
                )
        actions = [
            key for key in value if key not in _BUTTON_DECORATIONS and value[key] is not None
        ]
        if not actions:
            errors.append(
                f"{path}: text buttons are unallowed in the inline keyboard "
                "(give the button a callback_data, url or another action)"
            )
        elif len(actions) > 1:
            errors.append(f"{path}: a button takes exactly one action, got {', '.join(actions)}")
    if type_name == "WebAppInfo" and not _web_app_address(value["url"]):
        errors.append(
            f"{path}.url: a Mini App opens over HTTPS only (http:// is accepted here for "
            f"127.0.0.1 and localhost, for local use), not {_describe(value['url'])}"
        )
    if type_name == "BotCommand":
        if not _COMMAND.fullmatch(value["command"]):
            errors.append(
                f"BOT_COMMAND_INVALID: {path}.command {value['command']!r} must be 1-32 "
                "lowercase letters, digits or underscores"
            )
        if not 1 <= len(value["description"].strip()) <= COMMAND_DESCRIPTION_LIMIT:
            errors.append(
                f"{path}.description: command description must be 1-"
                f"{COMMAND_DESCRIPTION_LIMIT} characters"
            )
    return errors


def _web_app_address(url: str) -> bool:
    parts = urlsplit(url)
    local = parts.hostname in ("127.0.0.1", "localhost")
    return bool(parts.hostname) and (parts.scheme == "https" or (parts.scheme == "http" and local))


def _describe(value: Any) -> str:
    if isinstance(value, UploadedFile):
        return f"an uploaded file {value.filename!r}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@cache
def _load_packaged_spec() -> ApiSpec:
    source = resources.files("bot.local.emulator").joinpath("api.json")
    return ApiSpec(json.loads(source.read_text(encoding="utf-8")))
