"""Company names: cleaning one the user typed, and telling when two names mean one company."""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.coaching.errors import InputError
from bot.coaching.names import name_key

MAX_COMPANY_LENGTH = 100
# Legal forms that do not tell companies apart: "Acme, Inc." and "ACME" are one company.
LEGAL_SUFFIXES = frozenset(
    {
        "ab", "ag", "as", "bv", "co", "company", "corp", "corporation", "gmbh", "inc",
        "incorporated", "kg", "limited", "llc", "llp", "lp", "ltd", "nv", "oy", "plc", "pte",
        "pty", "sa", "sarl", "sas", "se", "spa", "srl",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W_]+")


def clean_company(raw: str) -> str:
    """A company name as typed, tidied; InputError when it cannot be one."""
    company = " ".join(raw.split()).strip(" ,;")
    if not company_key(company):
        raise InputError("I need a company name, for example: /targets Acme")
    if len(company) > MAX_COMPANY_LENGTH:
        raise InputError(f"Company names can be up to {MAX_COMPANY_LENGTH} characters.")
    return company


def split_companies(text: str) -> list[str]:
    """Companies listed in one message, split at commas, semicolons and new lines; a legal
    form on its own joins the name before it ("Acme, Inc., Globex" is two companies)."""
    companies: list[str] = []
    for piece in re.split(r"[,;\n]", text):
        piece = " ".join(piece.split())
        if not piece:
            continue
        if companies and company_key(piece) in LEGAL_SUFFIXES:
            companies[-1] = f"{companies[-1]}, {piece}"
        else:
            companies.append(piece)
    return companies


def company_key(name: str) -> str:
    """The key company names are compared by: casefolded, accents, punctuation and a trailing
    legal form dropped. "Acme, Inc." and "ACME" both become "acme"."""
    words = _WORD.findall(name_key(name).replace(".", ""))
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def works_at(company: str | None, target_keys: Collection[str]) -> bool:
    """Whether a contact's company is one of the targets (by key, or a longer name that starts
    with a target's words: "Amazon Web Services" is at the target "Amazon")."""
    if not company or not target_keys:
        return False
    key = company_key(company)
    return any(key == target or key.startswith(target + " ") for target in target_keys)
