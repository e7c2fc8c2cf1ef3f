"""Plain sentences read as a log: "coffee with Ana", "emailed Priya about an intro", "Ana said no".

Pure functions of the text and `today`: no Telegram, no storage, no clock, no language model.
The words live in a `Vocabulary` (ENGLISH is the only one so far); the matching code below it
knows no English, so another language is another Vocabulary, not another parser.

How a sentence is read:
1. Commands ("/reach"), questions ("how do I...", anything ending in "?") and empty text are
   not logs. A leading "can you log" or "please note:" is dropped first.
2. Time phrases are found: "yesterday", "2 days ago", "on Monday", "at 3pm" are taken out of
   the sentence; a future one ("tomorrow", "next week") stays in it and marks a plan.
3. The earliest rule that matches decides the kind and where the name is. Rules are patterns
   such as "messaged {name}", "{name} ~ replied" or "shared {obj} with {name}". A match does
   not count after intent or negation in its clause ("need to email Ana", "didn't call
   Bob", "no reply from Ana", "I'm scared Pia will say no"), nor when a present-tense or
   verbless log sits next to a future time ("coffee with Ana tomorrow" is a plan).
4. What follows the name gives the channel ("on LinkedIn"), the ask ("for a referral"),
   "again" (a follow-up) and the note: the rest, as written.

Decisions (the bot shows what it understood with buttons to correct it, so a plausible
reading beats no reading):
- A conversation held is a coffee chat: "had a call with Ana", "met Ana", "spoke to Ana",
  "lunch with Ana". Calling someone is an outreach by call: "called Ana", "rang Ana".
- A weekday is the most recent one before today: on a Wednesday "on Monday" is 2 days ago,
  and on a Monday "on Monday" and "last Monday" are 7 days ago (today is "today"). "The
  weekend" is the most recent Saturday. Without a time phrase a log is from today.
- Notes are compared and stored as written. Outreach, follow-ups and chats: the words after
  the name without those read as time, channel, ask or "again" ("about the PM role"); after
  a colon or a dash everything is kept, as the user's own words. Gives: what was given ("the
  hiring article", "introduction to Lee", "help with her CV"). Replies: what follows the
  first comma, colon or dash ("Ana said no, the role is filled" → "the role is filled").
- A reply with no sign of a no or a "later" is positive. "Later" wins over "no" ("no, but
  maybe next month"; "not hiring right now"), and "no problem" is not a no.
- Sending or sharing a thing (an article, a link, an intro) is a give; sending a message,
  an email or one's own CV or portfolio is an outreach; sending "a follow-up" or "a second
  message", or an outreach "again", is a follow-up. Booking a chat ("scheduled a call with
  Ana") is a positive reply: she said yes.
- Channels and asks are kept for outreach and follow-ups only (None otherwise). "Asking for
  help" is the advice rung; offering help ("offered to help") is the help rung.
- Names: the words after the verb (or before it for "{name} replied") up to a function word,
  a vocabulary word or punctuation; capitalised words win when the text has capitals
  ("coffee with Ana super helpful" → "Ana"). "my old manager Ana", "the recruiter, Jess"
  and "Priya's colleague Ravi" name Ana, Jess and Ravi. Only the first of several people
  is taken ("coffee with Ana and Bob" → Ana, note "and Bob").
- Small typos in vocabulary words are forgiven ("mesaged", "linkdin", "cofee"); names are
  never corrected.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from typing import TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.coaching.days import NUMBER_WORDS
from bot.coaching.domain import MAX_NOTE_LENGTH, Ask, Channel, Kind
from bot.coaching.errors import InputError
from bot.coaching.names import clean_contact_name, name_key
from bot.coaching.parsing import ASK_WORDS, CHANNEL_WORDS, REPLY_WORDS

# Longer messages are not read as a sentence (a log is one line; this also bounds the work).
MAX_SENTENCE_LENGTH = 2000
# At most this many words make a name ("Mary Ann de la Cruz").
MAX_NAME_WORDS = 5
# Without capitals to go by, a name is at most this many words ("ana maria lopez").
MAX_LOWERCASE_NAME_WORDS = 3
# At most this many words make what was sent in "sent {obj} to {name}".
MAX_OBJECT_WORDS = 8
# Numbers of days or weeks beyond this are not read as a time ("9999 days ago").
MAX_DAYS_AGO = 3650
# Words this long or longer may carry one typo ("mesaged", "linkdin", "cofee")...
MIN_TYPO_LENGTH = 5
# ...towards vocabulary words this long or longer. Shorter ones ("march", "later") are
# too close to lowercase names ("marco", "layla").
MIN_TYPO_TARGET_LENGTH = 6

_V = TypeVar("_V")


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string: _words("a an the")."""
    return frozenset(text.split())


class Decide(Enum):
    """How a rule's kind is settled."""

    FIXED = "fixed"  # the rule's kind as it is
    REPLY = "reply"  # positive, declined or later, from the words of the reply
    OBJECT = "object"  # from what was sent: a message (outreach), a follow-up or a thing (give)
    MESSAGE = "message"  # like OBJECT, but only a message or a follow-up matches


@dataclass(frozen=True)
class Rule:
    """A sentence pattern and what it means.

    Pattern words are separated by spaces: `a|an` are alternatives, a trailing `?` makes a
    word optional, `{name}` is the contact, `{obj}` what was sent or shared, and `~` up to
    two filler words ("just", "finally"). A pattern starting with `{name}` has the name
    before the verb ("{name} ~ replied").
    """

    pattern: str
    kind: Kind
    channel: Channel | None = None
    ask: Ask | None = None
    note: str | None = None  # for a give: what was given, before the rest of the sentence
    decide: Decide = Decide.FIXED


@dataclass(frozen=True)
class TimePhrase:
    """When something happened: a pattern and how many days ago it means.

    Slots: `{number}` (days is multiplied by it), `{weekday}` (any spelling, after a
    marker), `{weekday_name}` (a full day name on its own), `{weekend}`, `{clock}` (a time
    of day). `days=None` leaves the day as it is ("at 3pm").
    """

    pattern: str
    days: int | None = 0
    future: bool = False


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The words of one language. Keys are compared after bot.coaching.names.name_key (no case, no
    accents); phrases are space-separated words.
    """

    rules: tuple[Rule, ...]
    time_phrases: tuple[TimePhrase, ...]
    numbers: Mapping[str, int]
    weekdays: Mapping[str, int]  # every spelling, Monday being 0
    weekday_names: frozenset[str]  # the spellings that are a day on their own
    weekend_words: frozenset[str]
    weekend_day: int
    # Words that never belong to a name: function words (a note of only these is empty)...
    function_words: frozenset[str]
    # ...and interjections and time words ("finally", "great", "today").
    interjections: frozenset[str]
    name_particles: frozenset[str]  # lowercase words inside names: "de", "van"
    not_names: frozenset[str]  # words that are not a contact: "someone", "recruiter"
    descriptors: frozenset[str]  # before a relation: "my old boss Ana", "the recruiter, Jess"
    relations: frozenset[str]
    titles: frozenset[str]  # written with a full stop inside a name: "Dr. Patel"
    clitics: frozenset[str]  # split off a pronoun ("she'd"); the possessive from any word
    possessive: str  # "Ana's": split off, and "Priya's colleague Ravi" names Ravi
    fillers: frozenset[str]  # what `~` may skip between a name and its verb
    abbreviations: Mapping[str, str]  # word → the word it stands for ("w" → "with")
    past_forms: frozenset[str]  # a rule with one of these is about the past
    intent_words: frozenset[str]  # before an action in its clause: not done (yet)
    infinitive: str  # "to" right before an action: "need to email"...
    infinitive_done: frozenset[str]  # ...unless after these: "got to", "went to"
    # Before a reply in its clause: there was no reply ("no reply from Ana"), or it is
    # imagined ("I'm scared Pia will say no").
    negations: frozenset[str]
    clause_words: frozenset[str]  # words that start a new clause
    openers: frozenset[str]  # skipped at the start before looking for a question word
    question_words: frozenset[str]
    request_patterns: tuple[str, ...]  # "can you log", dropped from the start
    channel_words: Mapping[str, Channel]
    channel_markers: frozenset[str]  # "on LinkedIn", "by email"
    bare_channel_words: frozenset[str]  # a channel right after the name needs no marker
    articles: frozenset[str]  # between a marker and its word: "for a referral"
    ask_words: Mapping[str, Ask]  # what `{ask}` matches, after an article and adjectives
    ask_adjectives: frozenset[str]  # "for a quick chat"
    # Patterns that say the ask: "for {ask}" takes the ask from the words, "refer me" is one.
    ask_patterns: Mapping[str, Ask | None]
    again_words: tuple[str, ...]  # an outreach said again is a follow-up
    repeat_words: frozenset[str]  # inside what was sent: "a second message" is a follow-up
    dropped_words: frozenset[str]  # right after the name, not a note: "called Ana back"
    meal_markers: frozenset[str]  # "met Ana for coffee": for + ...
    meal_words: frozenset[str]
    message_nouns: Mapping[str, tuple[Kind, Channel | None]]
    gift_words: frozenset[str]
    own_items: frozenset[str]  # "sent Ana my CV" is an outreach, not a give
    own_marker: str  # "my"
    object_starters: frozenset[str]  # what a sent thing may start with: "a", "the", "my"
    with_words: frozenset[str]  # "a message with the article" is a give
    reply_positive: tuple[str, ...]  # phrases that look negative but are not: "no problem"
    reply_later: tuple[str, ...]
    reply_declined: tuple[str, ...]


# --- English ---------------------------------------------------------------------------

_COFFEE_NOUNS = (
    "coffee|coffees|coffeechat|chat|call|lunch|breakfast|brunch|dinner|drinks|drink|beer|beers|"
    "tea|meeting|catchup|conversation|walk|zoom|facetime|1:1|1-1|1on1|meetup|hangout|talk|"
    "session|videocall|skype"
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_IS = "is|'s|was|seems|sounds"
# How a contact who answered may be: "Ana is keen", "Bob is busy until March".
_STATES = (
    "happy|keen|interested|open|game|willing|glad|available|unavailable|busy|swamped|slammed|"
    "away|travelling|traveling|ooo|hiring|excited|free|thrilled|delighted|able|unable"
)
_SEND_VERBS = (
    "sent|send|sending|shared|share|forwarded|forward|fwd|fwded|fwd'd|passed|pass|gave|give|"
    "wrote|write|left|leave|dropped|drop|shot|shoot|recommended|recommend|posted|showed|mailed"
)

_ENGLISH_RULES: tuple[Rule, ...] = (
    # Booking a chat means the contact said yes.
    Rule(
        "booked|scheduled|arranged|set|setup|organized|organised|planned|confirmed up? "
        f"a|an? ~ {_COFFEE_NOUNS} with {{name}}",
        Kind.REPLY_POSITIVE,
    ),
    # Follow-ups.
    Rule("followed|follow|followedup|followup up? with|w|to {name}", Kind.FOLLOW_UP),
    Rule("followed|follow up on|about {obj} to|with {name}", Kind.FOLLOW_UP, decide=Decide.OBJECT),
    Rule("followed|follow up {name}", Kind.FOLLOW_UP),
    Rule(
        "follow|followup up? email|mail|e-mail sent? to {name}",
        Kind.FOLLOW_UP,
        channel=Channel.EMAIL,
    ),
    Rule(
        "follow|followup up? message|msg|text|dm sent? to {name}",
        Kind.FOLLOW_UP,
        channel=Channel.MESSAGE,
    ),
    Rule("follow|followup up? note? sent? to {name}", Kind.FOLLOW_UP),
    Rule("bumped|bump {obj} to|with {name}", Kind.FOLLOW_UP, decide=Decide.OBJECT),
    Rule("nudged|nudge|chased|chase|bumped|bump up? {name}", Kind.FOLLOW_UP),
    Rule("checked|check back? in|back with {name}", Kind.FOLLOW_UP),
    Rule("circled|circle back with|to {name}", Kind.FOLLOW_UP),
    Rule("reminded|remind {name}", Kind.FOLLOW_UP),
    # Things sent or shared: a message is an outreach, an article a give (decided by `obj`).
    Rule(f"{_SEND_VERBS} over|along|on? {{obj}} to {{name}}", Kind.GAVE, decide=Decide.OBJECT),
    Rule(
        "emailed|e-mailed|email {obj} to {name}",
        Kind.GAVE,
        channel=Channel.EMAIL,
        decide=Decide.OBJECT,
    ),
    Rule(
        "texted|messaged|dm'd|dmed|whatsapped {obj} to {name}",
        Kind.GAVE,
        channel=Channel.MESSAGE,
        decide=Decide.OBJECT,
    ),
    Rule("shared|share|posted {obj} with {name}", Kind.GAVE, decide=Decide.OBJECT),
    Rule("left|leave|wrote|write|dropped {obj} for {name}", Kind.GAVE, decide=Decide.OBJECT),
    Rule(
        "bought|buy {name} a|an? coffee|lunch|drink|drinks|beer|tea|breakfast|dinner",
        Kind.COFFEE_CHAT,
    ),
    Rule(
        "sent|send|forwarded|forward|fwd|fwded|gave|give|shot|dropped|left|wrote|showed|passed|"
        "shared {name} over? {obj}",
        Kind.GAVE,
        decide=Decide.OBJECT,
    ),
    # Gives with a fixed "what".
    Rule(
        "introduced|introduce|intro'd|introed|connected|connect {name} to|with|and",
        Kind.GAVE,
        note="introduction to",
    ),
    Rule(
        "made|did|make an? intro|introduction for|between {name} and|to|with",
        Kind.GAVE,
        note="introduction to",
    ),
    Rule("made|did|make an? intro|introduction for {name}", Kind.GAVE, note="introduction"),
    Rule("helped|help out? {name}", Kind.GAVE, note="help"),
    Rule("endorsed|endorse {name}", Kind.GAVE, note="endorsement"),
    Rule("recommended|recommend {name}", Kind.GAVE, note="recommendation"),
    Rule("referred|refer {name}", Kind.GAVE, note="referral"),
    Rule("congratulated|congratulate {name}", Kind.GAVE, note="congratulations"),
    Rule("thanked|thank {name}", Kind.GAVE, note="thanks"),
    # Outreach.
    Rule("messaged|msged|msgd|msg'd|message|msg {name}", Kind.OUTREACH, channel=Channel.MESSAGE),
    Rule("texted|txted|text {name}", Kind.OUTREACH, channel=Channel.MESSAGE),
    Rule("whatsapped|whatsapp'd|whatsapp {name}", Kind.OUTREACH, channel=Channel.MESSAGE),
    Rule("dm'd|dmed|dm'ed|dmd|dm {name}", Kind.OUTREACH, channel=Channel.MESSAGE),
    Rule("slacked|slack {name}", Kind.OUTREACH, channel=Channel.MESSAGE),
    Rule("emailed|e-mailed|email|e-mail|mailed {name}", Kind.OUTREACH, channel=Channel.EMAIL),
    Rule("inmailed|inmail'd|inmail {name}", Kind.OUTREACH, channel=Channel.INMAIL),
    Rule("called|call|phoned|phone|rang|ring|rung {name}", Kind.OUTREACH, channel=Channel.CALL),
    Rule("pinged|ping {name}", Kind.OUTREACH),
    Rule("wrote|write to? {name}", Kind.OUTREACH),
    Rule("reached|reach out to {name}", Kind.OUTREACH),
    Rule("reachedout|reachout to {name}", Kind.OUTREACH),
    Rule("reached {name}", Kind.OUTREACH),
    Rule("contacted|contact {name}", Kind.OUTREACH),
    Rule("got|get in touch|contact with {name}", Kind.OUTREACH),
    Rule("touched|touch base with {name}", Kind.OUTREACH),
    Rule("connected|connect with {name}", Kind.OUTREACH),
    Rule("hit up {name}", Kind.OUTREACH),
    Rule("asked|ask {name}", Kind.OUTREACH),
    Rule("invited|invite {name}", Kind.OUTREACH, ask=Ask.COFFEE),
    Rule("introduced|introduce myself to {name}", Kind.OUTREACH),
    Rule("approached|approach {name}", Kind.OUTREACH),
    Rule("offered|offer to help {name}", Kind.OUTREACH, ask=Ask.HELP),
    Rule("offered|offer {name} my? help", Kind.OUTREACH, ask=Ask.HELP),
    # A message without a verb: "LinkedIn message to Ines".
    Rule("{obj} sent? to {name}", Kind.OUTREACH, decide=Decide.MESSAGE),
    # Coffee chats: a conversation held.
    Rule(f"{_COFFEE_NOUNS} with|w {{name}}", Kind.COFFEE_CHAT),
    Rule(f"{_COFFEE_NOUNS} :|- {{name}}", Kind.COFFEE_CHAT),
    Rule("informational|info interview with {name}", Kind.COFFEE_CHAT),
    Rule("one on one with {name}", Kind.COFFEE_CHAT),
    Rule("met|meet up? with? {name}", Kind.COFFEE_CHAT),
    Rule("caught|catch up with {name}", Kind.COFFEE_CHAT),
    Rule("sat down with {name}", Kind.COFFEE_CHAT),
    Rule("talked|talk|spoke|speak|chatted|chat to|with {name}", Kind.COFFEE_CHAT),
    Rule("hung|hang out with {name}", Kind.COFFEE_CHAT),
    Rule(
        "{name} and i|me ~ had|grabbed|got|met|talked|spoke|chatted|caught|went|did|finally "
        f"a|an? ~ {_COFFEE_NOUNS}?",
        Kind.COFFEE_CHAT,
    ),
    Rule("ran|run|bumped into {name}", Kind.COFFEE_CHAT),
    # Replies, the name first.
    Rule(
        "{name} ~ replied|responded|answered|replies|responds|answers|reply|respond|said|says|"
        "say|agreed|accepted|declined|passed|rejected|refused|confirmed|offered|suggested|"
        "invited|wants|wanted|asked",
        Kind.REPLY_POSITIVE,
        decide=Decide.REPLY,
    ),
    Rule(
        "{name} ~ got|get|came|come|wrote|write|texted|emailed|messaged|called|rang|phoned|"
        "circled|reached|replied back",
        Kind.REPLY_POSITIVE,
        decide=Decide.REPLY,
    ),
    Rule(
        "{name} ~ emailed|messaged|texted|called|rang|phoned|wrote|pinged|dm'd|dmed|contacted|"
        "whatsapped|answered me",
        Kind.REPLY_POSITIVE,
        decide=Decide.REPLY,
    ),
    Rule("{name} ~ reached out", Kind.REPLY_POSITIVE, decide=Decide.REPLY),
    Rule("{name} ~ got in touch", Kind.REPLY_POSITIVE, decide=Decide.REPLY),
    Rule("{name} ~ followed up", Kind.REPLY_POSITIVE, decide=Decide.REPLY),
    Rule("{name} ~ introduced|connected me", Kind.REPLY_POSITIVE, decide=Decide.REPLY),
    Rule("{name} ~ turned me|it? down", Kind.REPLY_POSITIVE, decide=Decide.REPLY),
    Rule(
        "{name} ~ can't|cannot|cant|couldn't|couldnt|won't|wont|isn't|isnt|doesn't|doesnt|"
        "wasn't|aren't",
        Kind.REPLY_POSITIVE,
        decide=Decide.REPLY,
    ),
    Rule(
        f"{{name}} ~ {_IS} not? {_STATES}",
        Kind.REPLY_POSITIVE,
        decide=Decide.REPLY,
    ),
    Rule(
        f"{{name}} ~ {_IS} not? on leave|vacation|holiday|holidays|parental",
        Kind.REPLY_POSITIVE,
        decide=Decide.REPLY,
    ),
    Rule(f"{{name}} ~ {_IS} out of|until|till", Kind.REPLY_POSITIVE, decide=Decide.REPLY),
    Rule(f"{{name}} ~ {_IS} up|down|in for|to", Kind.REPLY_POSITIVE, decide=Decide.REPLY),
    Rule(
        f"{{name}} ~ would|'d|will|'ll be not? {_STATES}",
        Kind.REPLY_POSITIVE,
        decide=Decide.REPLY,
    ),
    Rule(
        "{name} ~ would|'d|will|'ll love|like|think|check|ask|let|see|reply|respond|get|come|"
        "circle|loop|look|consider|try|need|revert|send",
        Kind.REPLY_POSITIVE,
        decide=Decide.REPLY,
    ),
    Rule("{name} 's reply|answer|response", Kind.REPLY_POSITIVE, decide=Decide.REPLY),
    # Replies, the name after.
    Rule("heard|hear back? from {name}", Kind.REPLY_POSITIVE, decide=Decide.REPLY),
    Rule("rejected|declined by {name}", Kind.REPLY_POSITIVE, decide=Decide.REPLY),
    Rule("turned down by {name}", Kind.REPLY_POSITIVE, decide=Decide.REPLY),
    Rule(
        "reply|replies|response|answer|yes|no|maybe|rejection|callback|email|emails|message|"
        "messages|msg|text|texts|dm|inmail|note|call|voicemail|news back? from {name}",
        Kind.REPLY_POSITIVE,
        decide=Decide.REPLY,
    ),
)

_ENGLISH_TIME: tuple[TimePhrase, ...] = (
    TimePhrase(
        "tomorrow|tmrw|tmr|tomorow|tommorow|tmrrw morning|afternoon|evening|night?", future=True
    ),
    TimePhrase("next week|month|year|weekend|time", future=True),
    TimePhrase("next {weekday}", future=True),
    TimePhrase("this coming {weekday}", future=True),
    TimePhrase("later today|tonight", future=True),
    TimePhrase("later this week", future=True),
    TimePhrase("till|until|til|by {weekday}", future=True),
    TimePhrase("in {number} days|day|weeks|week", future=True),
    TimePhrase("the? day before yesterday", days=2),
    TimePhrase("yesterday|yday|yest|ystd morning|afternoon|evening|night|lunchtime?", days=1),
    TimePhrase("last night|evening", days=1),
    TimePhrase("today|tonight|tonite", days=0),
    TimePhrase("this morning|afternoon|evening", days=0),
    TimePhrase("earlier today?", days=0),
    TimePhrase("just now", days=0),
    TimePhrase("{number} days|day|d ago|back|earlier", days=1),
    TimePhrase("{number} weeks|week|wks|wk ago|back", days=7),
    TimePhrase("last week", days=7),
    TimePhrase("for {weekday}", future=True),
    TimePhrase("on|last|past {weekday} morning|afternoon|evening|night?"),
    TimePhrase("this past {weekday} morning|afternoon|evening|night?"),
    TimePhrase("{weekday_name} morning|afternoon|evening|night?"),
    TimePhrase("over|on|at|during|last|this the? {weekend}"),
    TimePhrase("at|around {clock} am|pm?", days=None),
    TimePhrase("at|around noon|midday", days=None),
)

_ENGLISH_FUNCTION_WORDS = _words(
    # articles, quantities and possessives
    "a an the this that these those some any another every each all both no none my your his "
    "her its our their mine yours hers ours theirs "
    # pronouns and people that are not a name
    "i me myself you he him she they them we us it one someone somebody anyone anybody "
    "everyone everybody nobody people who whom whose which what self "
    # prepositions and conjunctions
    "about above after at before by for from in into of on onto over per re regarding since "
    "through thru to toward towards until till til via with within without and but or nor so "
    "because cause cuz as if when while though although then than where why how "
    # verbs and auxiliaries
    "is are was were be been being am 's 're 'll 'd 've 'm has have had do does did done can "
    "could should shall might must would isn't wasn't can't cannot couldn't won't didn't "
    "doesn't hasn't haven't don't never not asking asked said replied "
    "again back too very really there here out up down off next"
)
_ENGLISH_INTERJECTIONS = _words(
    "hi hello hey yo ok okay well um uh hmm yay woo woohoo wow omg finally update news great "
    "good bad quick also just fyi btw log done alright cool nice sweet awesome ugh oh ah yes "
    "yeah yep whoa phew lol haha today yesterday tomorrow incl"
)

_ENGLISH_NEGATIONS = _words(
    "no not never didn't didnt hasn't hasnt haven't havent hadn't hadnt don't dont doesn't "
    "doesnt still waiting without nothing zero won't wont yet hoping awaiting scared afraid "
    "worried nervous fear hope wish wonder wondering think if imagine"
)

ENGLISH = Vocabulary(
    rules=_ENGLISH_RULES,
    time_phrases=_ENGLISH_TIME,
    numbers={
        **NUMBER_WORDS,
        "a couple": 2,
        "couple of": 2,
        "couple": 2,
        "few": 3,
    },
    weekdays={
        "monday": 0,
        "mon": 0,
        "tuesday": 1,
        "tue": 1,
        "tues": 1,
        "wednesday": 2,
        "wed": 2,
        "weds": 2,
        "thursday": 3,
        "thu": 3,
        "thur": 3,
        "thurs": 3,
        "friday": 4,
        "fri": 4,
        "saturday": 5,
        "sat": 5,
        "sunday": 6,
        "sun": 6,
    },
    weekday_names=_words("monday tuesday wednesday thursday friday saturday sunday"),
    weekend_words=frozenset({"weekend", "weekends"}),
    weekend_day=5,
    function_words=_ENGLISH_FUNCTION_WORDS,
    interjections=_ENGLISH_INTERJECTIONS,
    name_particles=_words(
        "de del della der di da das dos du la le van von den ter ten bin ibn al el y e"
    ),
    not_names=_words(
        "recruiter recruiters friends family team colleagues coworkers contacts folks guys "
        "everyone hr manager boss someone people person"
    ),
    descriptors=frozenset({"my", "our", "the", "a", "an"}),
    relations=_words(
        "old former ex new dear friend friends colleague ex-colleague coworker co-worker "
        "manager boss mentor teacher professor prof classmate cousin neighbour neighbor "
        "contact connection buddy pal mate uncle aunt brother sister sis bro mom mum dad wife "
        "husband partner assistant secretary recruiter referrer hiring recruiting team lead head "
        "ceo cto cfo coo "
        "founder cofounder co-founder vp director engineer designer pm "
        "school college uni university"
    ),
    titles=_words("dr mr mrs ms mx prof st sr jr hr fr mme sra dra"),
    clitics=frozenset({"'s", "'d", "'ll", "'re", "'ve", "'m"}),
    possessive="'s",
    fillers=_words(
        "just finally already also actually quickly eventually kindly has have had will 'll "
        "is did then now even immediately promptly swiftly very really thankfully luckily "
        "sadly unfortunately politely nicely warmly quite literally totally"
    ),
    abbreviations={
        "w": "with",
        "abt": "about",
        "thru": "through",
        "txt": "text",
        "&": "and",
        "+": "and",
        "u": "you",
        "ppl": "people",
        "msgd": "messaged",
        "yest": "yesterday",
        "yday": "yesterday",
        "ystd": "yesterday",
        "fu": "follow",
        "pls": "please",
        "plz": "please",
        "convo": "conversation",
        "bc": "because",
    },
    past_forms=_words(
        "booked scheduled arranged set setup organized organised planned confirmed followed "
        "followedup nudged chased bumped checked circled reminded sent forwarded fwded fwd'd "
        "passed gave wrote left dropped shot recommended posted showed mailed emailed e-mailed "
        "texted messaged dm'd dmed whatsapped shared bought introduced intro'd introed "
        "connected made did helped endorsed referred congratulated thanked msged msgd msg'd "
        "txted whatsapp'd dm'ed dmd slacked inmailed inmail'd called phoned rang rung pinged "
        "reached reachedout contacted got touched asked invited approached offered met caught "
        "sat talked spoke chatted hung had grabbed went"
    ),
    intent_words=_words(
        "will i'll we'll 'll shall should shouldn't need needs must gonna going want wanna "
        "wants plan planning plans hope hoping try trying remind reminder todo haven't havent "
        "hasn't hasnt didn't didnt not never forgot forget can't cant cannot won't wont would "
        "could might may maybe let lets don't dont afraid scared nervous worried thinking "
        "considering wondering if unless whether supposed meant intend intending ought "
        "tomorrow later no nobody nothing"
    ),
    infinitive="to",
    infinitive_done=_words("got managed able went finally decided"),
    negations=_ENGLISH_NEGATIONS,
    clause_words=_words("and but so then"),
    openers=_words(
        "hi hello hey yo ok okay so well um uh hmm oh also and but quick question please bot coach"
    ),
    question_words=_words(
        "how what why where when who which whom whose can could should would do does is are "
        "am shall might must if whether wondering any"
    ),
    request_patterns=(
        "please? can|could|would you please? log|note|record|save|add|register that?",
        "please? log|note|record|save|register that? :?",
    ),
    channel_words={
        **CHANNEL_WORDS,
        "slack": Channel.MESSAGE,
        "teams": Channel.MESSAGE,
        "ms teams": Channel.MESSAGE,
        "twitter": Channel.MESSAGE,
        "x": Channel.MESSAGE,
        "instagram": Channel.MESSAGE,
        "ig": Channel.MESSAGE,
        "insta": Channel.MESSAGE,
        "facebook": Channel.MESSAGE,
        "fb": Channel.MESSAGE,
        "messenger": Channel.MESSAGE,
        "discord": Channel.MESSAGE,
        "imessage": Channel.MESSAGE,
        "wechat": Channel.MESSAGE,
        "viber": Channel.MESSAGE,
        "text message": Channel.MESSAGE,
        "messages": Channel.MESSAGE,
        "dms": Channel.MESSAGE,
        "linkedin message": Channel.LINKEDIN,
        "linkedin dm": Channel.LINKEDIN,
        "emails": Channel.EMAIL,
        "gmail": Channel.EMAIL,
        "skype": Channel.CALL,
        "facetime": Channel.CALL,
        "google meet": Channel.CALL,
        "meet": Channel.CALL,
        "the phone": Channel.CALL,
        "phone": Channel.CALL,
        "telephone": Channel.CALL,
        "voicemail": Channel.CALL,
        "video": Channel.CALL,
        "zoom call": Channel.CALL,
        "face-to-face": Channel.IN_PERSON,
    },
    channel_markers=_words("on via by over through using in thru"),
    bare_channel_words=_words(
        "linkedin inmail whatsapp telegram sms irl email e-mail slack twitter instagram "
        "messenger discord signal"
    ),
    articles=_words("a an the some my her his their your any"),
    ask_words={
        **{word: ask for word, ask in ASK_WORDS.items() if word not in {"offer", "offer help"}},
        "offered help": Ask.HELP,
        "help": Ask.ADVICE,  # asking for help is asking for advice; offering help is the help rung
        "advice": Ask.ADVICE,
        "tips": Ask.ADVICE,
        "guidance": Ask.ADVICE,
        "feedback": Ask.ADVICE,
        "input": Ask.ADVICE,
        "mentoring": Ask.ADVICE,
        "mentorship": Ask.ADVICE,
        "career advice": Ask.ADVICE,
        "intros": Ask.INTRO,
        "introductions": Ask.INTRO,
        "warm intro": Ask.INTRO,
        "call": Ask.COFFEE,
        "chat": Ask.COFFEE,
        "meeting": Ask.COFFEE,
        "coffee": Ask.COFFEE,
        "lunch": Ask.COFFEE,
        "informational interview": Ask.COFFEE,
        "informational": Ask.COFFEE,
        "info interview": Ask.COFFEE,
        "conversation": Ask.COFFEE,
        "zoom": Ask.COFFEE,
        "referrals": Ask.REFERRAL,
        "job referral": Ask.REFERRAL,
        "reference": Ask.REFERRAL,
        "reference letter": Ask.REFERRAL,
        "recommendation letter": Ask.REFERRAL,
    },
    ask_adjectives=_words(
        "quick short brief virtual small little informational info 15-minute 15-min 20-minute "
        "30-minute "
        "15 20 30 min minute phone video coffee friendly"
    ),
    ask_patterns={
        "for|about|re|regarding|to {ask}": None,
        "to? ask|asking|asked for|about {ask}": None,
        "to? request|requesting|get|arrange|schedule {ask}": None,
        "to set up {ask}": None,
        "asking|asked|ask? if|whether she|he|they|you ~ would|could|'d|might|can|had|has|have|"
        "was|were|is|are ~ be? open|up|free|available|keen|interested|down|time to|for {ask}": None,
        "asking|ask|to? for {number} minutes|mins|min": Ask.COFFEE,
        **{word: ask for word, ask in ASK_WORDS.items() if ask is Ask.HELP and " " in word},
        "offered|offering|offer to help": Ask.HELP,
        "offered|offering|offer my? help": Ask.HELP,
        "to offer my? help": Ask.HELP,
        "to help": Ask.HELP,
        "to? pick her|his|their|your brain": Ask.ADVICE,
        "to? ask her|his|their advice": Ask.ADVICE,
        "if|whether she|he|they|you would|could|'d|might|can|will refer me": Ask.REFERRAL,
        "to? refer me": Ask.REFERRAL,
        "if|whether she|he|they|you would|could|'d|might|can|will introduce|intro me": Ask.INTRO,
        "to? introduce|intro me": Ask.INTRO,
        "to meet up?": Ask.COFFEE,
        "to grab|get|have a? coffee|lunch|drink|drinks": Ask.COFFEE,
        "to chat": Ask.COFFEE,
        "to hop|jump on a? call|zoom": Ask.COFFEE,
    },
    again_words=(
        "again",
        "once more",
        "one more time",
        "a second time",
        "a 2nd time",
        "a third time",
        "one last time",
    ),
    repeat_words=_words("second 2nd third 3rd another"),
    dropped_words=_words("back sent"),
    meal_markers=frozenset({"for", "over"}),
    meal_words=_words(
        "coffee coffees lunch breakfast brunch dinner drinks drink beer beers tea chat walk call"
    ),
    message_nouns={
        "message": (Kind.OUTREACH, Channel.MESSAGE),
        "messages": (Kind.OUTREACH, Channel.MESSAGE),
        "msg": (Kind.OUTREACH, Channel.MESSAGE),
        "text": (Kind.OUTREACH, Channel.MESSAGE),
        "text message": (Kind.OUTREACH, Channel.MESSAGE),
        "sms": (Kind.OUTREACH, Channel.MESSAGE),
        "dm": (Kind.OUTREACH, Channel.MESSAGE),
        "whatsapp": (Kind.OUTREACH, Channel.MESSAGE),
        "voice note": (Kind.OUTREACH, Channel.MESSAGE),
        "voice message": (Kind.OUTREACH, Channel.MESSAGE),
        "email": (Kind.OUTREACH, Channel.EMAIL),
        "e-mail": (Kind.OUTREACH, Channel.EMAIL),
        "mail": (Kind.OUTREACH, Channel.EMAIL),
        "inmail": (Kind.OUTREACH, Channel.INMAIL),
        "connection request": (Kind.OUTREACH, Channel.LINKEDIN),
        "connection invite": (Kind.OUTREACH, Channel.LINKEDIN),
        "connect request": (Kind.OUTREACH, Channel.LINKEDIN),
        "call": (Kind.OUTREACH, Channel.CALL),
        "ring": (Kind.OUTREACH, Channel.CALL),
        "buzz": (Kind.OUTREACH, Channel.CALL),
        "voicemail": (Kind.OUTREACH, Channel.CALL),
        "note": (Kind.OUTREACH, None),
        "line": (Kind.OUTREACH, None),
        "invite": (Kind.OUTREACH, None),
        "invitation": (Kind.OUTREACH, None),
        "request": (Kind.OUTREACH, None),
        "ping": (Kind.OUTREACH, None),
        "follow up": (Kind.FOLLOW_UP, None),
        "followup": (Kind.FOLLOW_UP, None),
        "follow-ups": (Kind.FOLLOW_UP, None),
        "reminder": (Kind.FOLLOW_UP, None),
        "nudge": (Kind.FOLLOW_UP, None),
        "bump": (Kind.FOLLOW_UP, None),
    },
    gift_words=_words(
        "article articles link links post posting posts listing listings opening openings job "
        "jobs video podcast book books paper report blog newsletter tips resources resource "
        "list template intro introduction referral recommendation feedback notes thank "
        "thanks congrats congratulations gift card shoutout shout-out heads lead leads event "
        "ticket tickets deck slides course guide opportunity opportunities role roles "
        "endorsement review"
    ),
    own_items=_words("cv resume portfolio profile application website"),
    own_marker="my",
    object_starters=_words(
        "a an the this that these those some my our another two three few couple quick short "
        "long follow"
    ),
    with_words=frozenset({"with", "including", "containing"}),
    reply_positive=(
        "no problem|worries|doubt|hesitation|rush",
        "pass|passed|passing|forward ~ my|your|the cv|resume|name|details|profile|info|"
        "application|portfolio along|on|forward|over",
        "not a problem",
        "not at all",
        "why not",
        "can't|cant wait",
        "of course",
        "wouldn't|wouldnt mind",
    ),
    reply_later=(
        *(word for word, kind in REPLY_WORDS.items() if kind is Kind.REPLY_LATER),
        "maybe|perhaps",
        "not right now",
        "right now",
        "at the moment",
        "for now",
        "get back",
        "gets back",
        "next month|quarter|year|spring|summer|autumn|fall|winter",
        f"in|after|until|till|til|before|early|late|mid the? {_MONTHS}",
        "in {number} weeks|months|week|month",
        "in the new year",
        "after the|her|his|their|my|our|this|next",
        "until|till|til",
        "swamped|slammed|travelling|traveling|ooo",
        "on leave|vacation|holiday|holidays|parental",
        "out of office",
        "try|ask|reach|ping again|later|back",
        "follow up in|after|next|later",
        "check|circle back",
        "revisit",
        "reconnect later",
        "think about it",
        "think it over",
        "let me know",
        "not the right time",
        "bad time",
        "not sure",
        "when things calm down",
    ),
    reply_declined=(
        *(word for word, kind in REPLY_WORDS.items() if kind is Kind.REPLY_DECLINED),
        "nope|nah",
        "not|isn't|isnt|aren't|arent|wasn't interested|hiring",
        "no openings|roles|positions|thanks|thank|luck|openings|vacancies",
        "turned me|it? down",
        "turn down",
        "refused|unfortunately|sadly|sorry|unable|rejection",
        "can't|cant|cannot|couldn't|couldnt",
        "can not",
        "won't|wont be able",
        "not able",
        "not a fit",
        "not a good fit",
        "not the right person|contact|fit|one",
        "not looking",
        "wrong person",
        "doesn't|doesnt have time",
        "no time",
        "filled",
        "not possible",
    ),
)


# --- the result ------------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceLog:
    """What a plain sentence logs."""

    kind: Kind
    name: str  # the contact as written in the sentence, cleaned ("Ana López")
    channel: Channel | None  # outreach and follow-ups only; None when not said
    ask: Ask | None  # outreach and follow-ups only
    note: str | None
    days_ago: int  # 0 today, 1 yesterday, ...


def parse_sentence(
    text: str, today: date, *, vocabulary: Vocabulary = ENGLISH
) -> SentenceLog | None:
    """Read a plain sentence as a log, or None when it is not one (a greeting, a question,
    a plan, gibberish). Never raises.
    """
    if len(text) > MAX_SENTENCE_LENGTH:
        return None
    grammar = _grammar(vocabulary)
    return _Reader(grammar, _normalize(text), today).read()


# --- the engine: tokens ----------------------------------------------------------------

# Clause-breaking punctuation; every other symbol (emoji, quotes, slashes) is decoration.
_BREAKS = frozenset(".!?;:,()[]{}—–-…")
_SENTENCE_ENDS = frozenset(".!?;")
_NOTE_BREAKS = frozenset(":—–-")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_SLASH_WITH = re.compile(r"\b([wW])/(?=\S)")
_DIGITS_AND_WORD = re.compile(r"([0-9]+)([^\W\d_]+)")
_CLOCK = re.compile(r"[0-9]{1,2}(?:[:.h][0-9]{2})?(?:am|pm|h)?")
_EDGE = " \t\n\r.,;:!?-–—[]{}\"'…"


@dataclass(frozen=True, slots=True)
class _Token:
    text: str  # as written
    key: str  # compared form: casefolded, no accents, abbreviations expanded
    fixed: str  # the key, or the vocabulary word it is one typo away from
    start: int
    end: int
    pos: int  # index among all the tokens of the sentence
    word: bool  # False for punctuation
    initial: bool  # first word of the text or of a sentence

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper()

    @property
    def lowercase(self) -> bool:
        return self.text[:1].islower()


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return _SLASH_WITH.sub(r"\1/ ", text)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def _tokenize(text: str, grammar: _Grammar) -> list[_Token]:
    """Words and clause punctuation, with their places in `text`; decoration is dropped."""
    vocabulary = grammar.vocabulary
    pieces: list[tuple[str, int, bool]] = []  # text, start, is a word
    for chunk in re.finditer(r"\S+", text):
        start, end = chunk.span()
        head = start
        while head < end and not _is_word_char(text[head]):
            pieces.append((text[head], head, False))
            head += 1
        tail = end
        while tail > head and not _is_word_char(text[tail - 1]):
            tail -= 1
        if tail < end and text[tail] == "." and name_key(text[head:tail]) in vocabulary.titles:
            tail += 1  # "Dr." keeps its full stop
        if head < tail:
            pieces.extend(_split_word(text[head:tail], head, grammar))
        pieces.extend((text[index], index, False) for index in range(tail, end))

    tokens: list[_Token] = []
    sentence_start = True
    for piece, start, is_word in pieces:
        key = name_key(piece)
        if not is_word and piece not in _BREAKS:
            expanded = vocabulary.abbreviations.get(piece)
            if expanded is None:
                continue  # emoji, quotes and other decoration
            key, is_word = expanded, True
        elif is_word:
            key = vocabulary.abbreviations.get(key, key)
        token = _Token(
            text=piece,
            key=key,
            fixed=key,
            start=start,
            end=start + len(piece),
            pos=len(tokens),
            word=is_word,
            initial=sentence_start and is_word,
        )
        if is_word and key not in grammar.lexicon:
            token = _with_fixed(token, grammar)
        tokens.append(token)
        if is_word:
            sentence_start = False
        elif piece in _SENTENCE_ENDS or piece == ":":
            sentence_start = True
    return tokens


def _split_word(word: str, start: int, grammar: _Grammar) -> Iterator[tuple[str, int, bool]]:
    """A word as pieces: "Ana's" and "she'd" lose their clitic, "follow-up" and "2days" are
    split when their parts are vocabulary words, "Ana-Maria" stays whole.
    """
    vocabulary = grammar.vocabulary
    base, clitic = word, ""
    lowered = word.lower()
    for candidate in sorted(vocabulary.clitics, key=len, reverse=True):
        if lowered.endswith(candidate) and len(word) > len(candidate):
            stem = word[: -len(candidate)]
            if candidate == vocabulary.possessive or name_key(stem) in grammar.stop_words:
                base, clitic = stem, word[-len(candidate) :]
            break
    parts = base.split("-")
    if len(parts) > 1 and all(name_key(part) in grammar.lexicon for part in parts if part):
        offset = start
        for part in parts:
            if part:
                yield part, offset, True
            offset += len(part) + 1
    elif (digits := _DIGITS_AND_WORD.fullmatch(base)) and name_key(digits[2]) in grammar.lexicon:
        yield digits[1], start, True
        yield digits[2], start + len(digits[1]), True
    else:
        yield base, start, True
    if clitic:
        yield clitic, start + len(base), True


def _with_fixed(token: _Token, grammar: _Grammar) -> _Token:
    """The token with `fixed` set to the vocabulary word it is one typo away from, if any.

    Capitalised words inside a sentence are names, never typos.
    """
    key = token.key
    if len(key) < MIN_TYPO_LENGTH or (token.capitalized and not token.initial):
        return token
    if not all(ch.isalpha() or ch in "'-" for ch in key):
        return token
    best = process.extractOne(key, grammar.typo_targets, scorer=OSA.distance, score_cutoff=1)
    if best is None:
        return token
    return replace(token, fixed=best[0])


# --- the engine: patterns --------------------------------------------------------------


class _Slot(Enum):
    NAME = "{name}"
    OBJECT = "{obj}"
    ASK = "{ask}"
    FILLER = "~"
    NUMBER = "{number}"
    WEEKDAY = "{weekday}"
    WEEKDAY_NAME = "{weekday_name}"
    WEEKEND = "{weekend}"
    CLOCK = "{clock}"


@dataclass(frozen=True)
class _Word:
    keys: frozenset[str]
    optional: bool


_Element = _Word | _Slot


@dataclass(frozen=True)
class _Pattern:
    elements: tuple[_Element, ...]
    name_first: bool
    # The first word the pattern needs, and how many tokens later it may come (after
    # fillers and optional words): a quick test before matching. None: no such word.
    anchor: frozenset[str] | None
    reach: int


def _compile(pattern: str, abbreviations: Mapping[str, str]) -> _Pattern:
    elements: list[_Element] = []
    for part in pattern.split():
        slot = next((slot for slot in _Slot if slot.value == part), None)
        if slot is not None:
            elements.append(slot)
            continue
        optional = part.endswith("?") and len(part) > 1
        words = part[:-1] if optional else part
        keys = frozenset(
            word if word in _BREAKS else _phrase_key(word, abbreviations)
            for word in words.split("|")
        )
        elements.append(_Word(keys, optional))
    name_first = bool(elements) and elements[0] is _Slot.NAME
    body = tuple(elements[1:] if name_first else elements)
    anchor: frozenset[str] | None = None
    reach = 0
    for element in body:
        if element is _Slot.FILLER:
            reach += 2
        elif isinstance(element, _Word) and element.optional:
            reach += 1
        elif isinstance(element, _Word):
            anchor = element.keys
            break
        else:
            break
    return _Pattern(body, name_first, anchor, reach)


def _phrase_key(phrase: str, abbreviations: Mapping[str, str]) -> str:
    return " ".join(abbreviations.get(name_key(word), name_key(word)) for word in phrase.split())


@dataclass(frozen=True)
class _Captures:
    name: tuple[int, int] | None = None
    obj: tuple[int, int] | None = None
    ask: Ask | None = None
    number: int | None = None
    weekday: int | None = None
    words: tuple[int, ...] = ()  # the tokens matched by pattern words


_NO_CAPTURES = _Captures()


@dataclass(frozen=True)
class _Match:
    start: int  # first token of the match, a leading name included
    trigger: int  # first token after a leading name
    end: int  # exclusive
    captures: _Captures


@dataclass(frozen=True, eq=False)
class _Grammar:
    """A vocabulary compiled: patterns parsed, phrase keys normalised, a lexicon for typos."""

    vocabulary: Vocabulary
    stop_words: frozenset[str]  # function words and interjections: never in a name
    rules: tuple[tuple[Rule, _Pattern], ...]
    times: tuple[tuple[TimePhrase, _Pattern], ...]
    requests: tuple[_Pattern, ...]
    asks: tuple[tuple[_Pattern, Ask | None], ...]
    reply_positive: tuple[_Pattern, ...]
    reply_later: tuple[_Pattern, ...]
    reply_declined: tuple[_Pattern, ...]
    channel_words: Mapping[str, Channel]
    ask_words: Mapping[str, Ask]
    again_words: Mapping[str, bool]
    message_nouns: Mapping[str, tuple[Kind, Channel | None]]
    numbers: Mapping[str, int]
    lexicon: frozenset[str]
    soft_stops: frozenset[str]  # vocabulary words that may still be a capitalised name
    typo_targets: tuple[str, ...]
    object_heads: frozenset[str]  # first words of message nouns and channels


@functools.cache
def _grammar(vocabulary: Vocabulary) -> _Grammar:
    abbreviations = vocabulary.abbreviations

    def compiled(pattern: str) -> _Pattern:
        return _compile(pattern, abbreviations)

    def keyed(table: Mapping[str, _V]) -> dict[str, _V]:
        return {_phrase_key(phrase, abbreviations): value for phrase, value in table.items()}

    rules = tuple((rule, compiled(rule.pattern)) for rule in vocabulary.rules)
    times = tuple((phrase, compiled(phrase.pattern)) for phrase in vocabulary.time_phrases)
    requests = tuple(compiled(pattern) for pattern in vocabulary.request_patterns)
    asks = tuple((compiled(pattern), ask) for pattern, ask in vocabulary.ask_patterns.items())
    reply_positive = tuple(compiled(pattern) for pattern in vocabulary.reply_positive)
    reply_later = tuple(compiled(pattern) for pattern in vocabulary.reply_later)
    reply_declined = tuple(compiled(pattern) for pattern in vocabulary.reply_declined)
    channel_words = keyed(vocabulary.channel_words)
    ask_words = keyed(vocabulary.ask_words)
    again_words = keyed(dict.fromkeys(vocabulary.again_words, True))
    message_nouns = keyed(vocabulary.message_nouns)
    numbers = keyed(vocabulary.numbers)

    words: set[str] = set()
    patterns = [
        *(pattern for _, pattern in rules),
        *(pattern for _, pattern in times),
        *requests,
        *(pattern for pattern, _ in asks),
        *reply_positive,
        *reply_later,
        *reply_declined,
    ]
    for pattern in patterns:
        for element in pattern.elements:
            if isinstance(element, _Word):
                words.update(key for keys in element.keys for key in keys.split())
    for table in (channel_words, ask_words, again_words, message_nouns, numbers):
        for phrase in table:
            words.update(phrase.split())
    words.update(
        vocabulary.weekdays.keys()
        | vocabulary.weekend_words
        | vocabulary.function_words
        | vocabulary.interjections
        | vocabulary.relations
        | vocabulary.fillers
        | vocabulary.intent_words
        | vocabulary.negations
        | vocabulary.question_words
        | vocabulary.openers
        | vocabulary.not_names
        | vocabulary.gift_words
        | vocabulary.own_items
        | vocabulary.meal_words
        | vocabulary.ask_adjectives
        | vocabulary.articles
        | vocabulary.channel_markers
        | vocabulary.dropped_words
        | vocabulary.past_forms
    )
    lexicon = frozenset(word for word in words if word and word not in _BREAKS)
    stop_words = vocabulary.function_words | vocabulary.interjections
    return _Grammar(
        vocabulary=vocabulary,
        stop_words=stop_words,
        rules=rules,
        times=times,
        requests=requests,
        asks=asks,
        reply_positive=reply_positive,
        reply_later=reply_later,
        reply_declined=reply_declined,
        channel_words=channel_words,
        ask_words=ask_words,
        again_words=again_words,
        message_nouns=message_nouns,
        numbers=numbers,
        lexicon=lexicon,
        soft_stops=lexicon - stop_words - vocabulary.name_particles,
        typo_targets=tuple(
            sorted(
                word for word in lexicon if len(word) >= MIN_TYPO_TARGET_LENGTH and word.isascii()
            )
        ),
        object_heads=frozenset(phrase.split()[0] for phrase in (*message_nouns, *channel_words)),
    )


# --- the engine: matching --------------------------------------------------------------


class _Matcher:
    """Matches compiled patterns against a list of tokens, with backtracking."""

    def __init__(self, grammar: _Grammar, tokens: Sequence[_Token]) -> None:
        self.grammar = grammar
        self.vocabulary = grammar.vocabulary
        self.tokens = tokens

    def match(self, pattern: _Pattern, start: int) -> _Match | None:
        """The first way `pattern` matches at `start` (for a leading name: where its verb is)."""
        tokens = self.tokens
        if start >= len(tokens):
            return None
        if pattern.anchor is not None and not any(
            _word_matches(token, pattern.anchor)
            for token in tokens[start : start + pattern.reach + 1]
        ):
            return None
        captures = _NO_CAPTURES
        if pattern.name_first:
            name = self.name_before(start)
            if name is None:
                return None
            captures = _Captures(name=name)
        found = self._walk(pattern.elements, 0, start, captures)
        if found is None:
            return None
        end, captures = found
        first = captures.name[0] if pattern.name_first and captures.name else start
        return _Match(start=first, trigger=start, end=end, captures=captures)

    def longest(self, patterns: Sequence[_Pattern], start: int) -> _Match | None:
        """The longest match at `start` of any of `patterns`."""
        best: _Match | None = None
        for pattern in patterns:
            found = self.match(pattern, start)
            if found is not None and found.end > start and (best is None or found.end > best.end):
                best = found
        return best

    def _walk(
        self, elements: tuple[_Element, ...], index: int, at: int, captures: _Captures
    ) -> tuple[int, _Captures] | None:
        if index == len(elements):
            return at, captures
        element = elements[index]
        tokens = self.tokens
        if isinstance(element, _Word):
            if at < len(tokens) and _word_matches(tokens[at], element.keys):
                found = self._walk(
                    elements, index + 1, at + 1, replace(captures, words=(*captures.words, at))
                )
                if found is not None:
                    return found
            if element.optional:
                return self._walk(elements, index + 1, at, captures)
            return None
        options: list[tuple[int, _Captures]] = []
        if element is _Slot.FILLER:
            allowed = self.vocabulary.fillers | self.vocabulary.ask_adjectives
            size = 0
            while size < 2 and at + size < len(tokens) and _key_in(tokens[at + size], allowed):
                size += 1
            options = [(at + count, captures) for count in range(size, -1, -1)]
        elif element is _Slot.NAME:
            following = _next_required(elements, index + 1)
            options = [
                (span[1], replace(captures, name=span)) for span in self.names_after(at, following)
            ]
        elif element is _Slot.OBJECT:
            following = _next_required(elements, index + 1)
            options = [
                (end, replace(captures, obj=(at, end))) for end in self.object_ends(at, following)
            ]
        elif element is _Slot.ASK:
            options = [(end, replace(captures, ask=ask)) for ask, end in self.asks_at(at)]
        elif element is _Slot.NUMBER:
            options = [(end, replace(captures, number=value)) for value, end in self.numbers_at(at)]
        elif (weekday := self._weekday(element, at)) is not None:
            options = [(at + 1, replace(captures, weekday=weekday))]
        elif element is _Slot.CLOCK and at < len(tokens) and _CLOCK.fullmatch(tokens[at].key):
            options = [(at + 1, captures)]
        for end, changed in options:
            found = self._walk(elements, index + 1, end, changed)
            if found is not None:
                return found
        return None

    def _weekday(self, element: _Element, at: int) -> int | None:
        if at >= len(self.tokens) or not self.tokens[at].word:
            return None
        word = self.tokens[at].fixed
        vocabulary = self.vocabulary
        if element is _Slot.WEEKDAY:
            return vocabulary.weekdays.get(word)
        if element is _Slot.WEEKDAY_NAME and word in vocabulary.weekday_names:
            return vocabulary.weekdays.get(word)
        if element is _Slot.WEEKEND and word in vocabulary.weekend_words:
            return vocabulary.weekend_day
        return None

    # --- names

    def is_stop(self, token: _Token, *, capitalized_ok: bool) -> bool:
        """Whether `token` ends a name: a function word always; a vocabulary word unless it
        is capitalised where a name may be ("coffee with Will", "Chase replied").
        """
        if not token.word:
            return True
        stops = self.grammar.stop_words
        if token.key in stops or token.fixed in stops:
            return True
        soft = self.grammar.soft_stops
        if token.key in soft or token.fixed in soft:
            return not (capitalized_ok and token.capitalized)
        return False

    def names_after(
        self, at: int, following: _Element | None, *, chained: bool = False
    ) -> list[tuple[int, int]]:
        """Where a name starting at `at` may start and end, the likeliest first."""
        tokens = self.tokens
        start = self._skip_descriptor(at)
        end = start
        while end < len(tokens) and end - start < MAX_NAME_WORDS:
            token = tokens[end]
            if self.is_stop(token, capitalized_ok=not token.initial):
                break
            if end > start and token.pos != tokens[end - 1].pos + 1:
                break
            end += 1
        if end == start:
            return []
        span = tokens[start:end]
        if not span[0].lowercase:
            preferred = start + self._leading_name_run(span)
        elif following is _Slot.OBJECT and not (
            end < len(tokens) and _key_in(tokens[end], self.vocabulary.object_starters)
        ):
            preferred = start + 1  # "sent ana hiring tips": the name is "ana"
        else:
            preferred = min(end, start + MAX_LOWERCASE_NAME_WORDS)
        if not chained and (chain := self._after_possessive(preferred, following)):
            return chain
        ends = [preferred]
        if following is not None:
            ends += [stop for stop in range(end, start, -1) if stop != preferred]
        return [(start, stop) for stop in ends]

    def _skip_descriptor(self, at: int) -> int:
        """Where the name starts after "my old manager", "the recruiter," or "recruiter Lisa"."""
        tokens = self.tokens
        vocabulary = self.vocabulary
        if at >= len(tokens):
            return at
        described = _key_in(tokens[at], vocabulary.descriptors)
        index = at + 1 if described else at
        relations = 0
        possessive = False
        while index < len(tokens) and (
            (_key_in(tokens[index], vocabulary.relations) and tokens[index].lowercase)
            or tokens[index].text == ","
            or tokens[index].key == vocabulary.possessive
        ):
            relations += _key_in(tokens[index], vocabulary.relations)
            possessive = possessive or tokens[index].key == vocabulary.possessive
            index += 1
        if not relations:
            return at
        if not (described or possessive) and not (
            index < len(tokens) and tokens[index].capitalized
        ):
            return at  # "messaged recruiter lisa" could be a name of three words
        return index

    def _after_possessive(self, at: int, following: _Element | None) -> list[tuple[int, int]]:
        """ "Priya's colleague Ravi": the names after the relation, if `at` is "'s"."""
        tokens = self.tokens
        vocabulary = self.vocabulary
        if at >= len(tokens) or tokens[at].key != vocabulary.possessive:
            return []
        index = at + 1
        while index < len(tokens) and (
            _key_in(tokens[index], vocabulary.relations) or tokens[index].text == ","
        ):
            index += 1
        if index == at + 1 or not any(
            _key_in(token, vocabulary.relations) for token in tokens[at + 1 : index]
        ):
            return []
        return self.names_after(index, following, chained=True)

    def _leading_name_run(self, span: Sequence[_Token]) -> int:
        """How many of `span`'s words are the name: capitalised words, with lowercase
        particles between them ("Ana de la Cruz"), up to the first other lowercase word.
        """
        particles = self.vocabulary.name_particles
        size = 0
        while size < len(span):
            if not span[size].lowercase:
                size += 1
                continue
            ahead = size
            while ahead < len(span) and span[ahead].lowercase and span[ahead].key in particles:
                ahead += 1
            if ahead == size or ahead >= len(span) or span[ahead].lowercase:
                break
            size = ahead
        return max(size, 1)

    def name_before(self, at: int) -> tuple[int, int] | None:
        """The name that ends right before `at` ("Ana López replied"), if any.

        For "Jessica's assistant replied" it is Jessica.
        """
        tokens = self.tokens
        vocabulary = self.vocabulary
        relation = at
        while relation > 0 and _key_in(tokens[relation - 1], vocabulary.relations):
            relation -= 1
        if relation < at and relation > 1 and tokens[relation - 1].key == vocabulary.possessive:
            at = relation - 1
        start = at
        while start > 0 and at - start < MAX_NAME_WORDS:
            token = tokens[start - 1]
            if self.is_stop(token, capitalized_ok=True) or _key_in(token, vocabulary.past_forms):
                break
            if start < at and tokens[start].pos != token.pos + 1:
                break
            start -= 1
        if start == at:
            return None
        span = tokens[start:at]
        if span[-1].lowercase or not any(token.capitalized for token in span):
            return max(start, at - MAX_LOWERCASE_NAME_WORDS), at
        particles = self.vocabulary.name_particles
        size = 0
        while size < len(span):
            if not span[-1 - size].lowercase:
                size += 1
                continue
            behind = size
            while behind < len(span) and span[-1 - behind].key in particles:
                behind += 1
            if behind >= len(span) or span[-1 - behind].lowercase:
                break
            size = behind
        return at - size, at

    # --- objects, asks and numbers

    def starts_object(self, token: _Token) -> bool:
        """Whether what was sent may start with `token` ("a", "the", "my", "LinkedIn")."""
        vocabulary = self.vocabulary
        return token.word and (
            _key_in(token, vocabulary.object_starters)
            or _key_in(token, vocabulary.gift_words)
            or _key_in(token, vocabulary.own_items)
            or _key_in(token, self.grammar.numbers)
            or _key_in(token, self.grammar.object_heads)
        )

    def object_ends(self, at: int, following: _Element | None) -> list[int]:
        """Where what was sent, starting at `at`, may end (the shortest first)."""
        tokens = self.tokens
        if at >= len(tokens) or not tokens[at].word:
            return []
        if following is not None:
            if not self.starts_object(tokens[at]) or not isinstance(following, _Word):
                return []
            ends = []
            for end in range(at + 1, min(len(tokens), at + MAX_OBJECT_WORDS + 1)):
                if not tokens[end - 1].word:
                    break
                if _word_matches(tokens[end], following.keys):
                    ends.append(end)
            return ends
        first = tokens[at]
        if _key_in(first, self.grammar.stop_words) and not self.starts_object(first):
            return []
        end = at
        while end < len(tokens) and tokens[end].word:
            end += 1
        return [end]

    def asks_at(self, at: int) -> list[tuple[Ask, int]]:
        """An ask word after an optional article and adjectives: "a quick chat" → coffee."""
        tokens = self.tokens
        vocabulary = self.vocabulary
        found: list[tuple[Ask, int]] = []
        starts = [at]
        if at < len(tokens) and _key_in(tokens[at], vocabulary.articles):
            starts.append(at + 1)
        for start in starts:
            index = start
            for _ in range(3):
                phrase = self.phrase_at(index, self.grammar.ask_words, 3)
                if phrase is not None:
                    found.append(phrase)
                if index >= len(tokens) or not _key_in(tokens[index], vocabulary.ask_adjectives):
                    break
                index += 1
        return sorted(found, key=lambda item: -item[1])

    def numbers_at(self, at: int) -> list[tuple[int, int]]:
        tokens = self.tokens
        if at >= len(tokens) or not tokens[at].word:
            return []
        if tokens[at].key.isdigit():
            value = int(tokens[at].key[:6])
            return [(value, at + 1)] if 0 < value <= MAX_DAYS_AGO else []
        found = []
        for size in (3, 2, 1):
            number = self.phrase_at(at, self.grammar.numbers, size)
            if number is not None and number[1] == at + size:
                found.append(number)
        return found

    def phrase_at(self, at: int, table: Mapping[str, _V], longest: int) -> tuple[_V, int] | None:
        """The longest phrase of `table` (up to `longest` words) at `at`, and where it ends."""
        tokens = self.tokens
        for size in range(min(longest, len(tokens) - at), 0, -1):
            words = tokens[at : at + size]
            if not all(token.word for token in words):
                continue
            for phrase in (
                " ".join(token.fixed for token in words),
                " ".join(token.key for token in words),
            ):
                if phrase in table:
                    return table[phrase], at + size
        return None


def _next_required(elements: tuple[_Element, ...], index: int) -> _Element | None:
    """The element after optional words: what a name or an object must stop before."""
    for element in elements[index:]:
        if isinstance(element, _Word) and element.optional:
            continue
        return element
    return None


def _word_matches(token: _Token, keys: frozenset[str]) -> bool:
    if not token.word:
        return token.text in keys
    return token.key in keys or token.fixed in keys


def _key_in(token: _Token, words: frozenset[str] | Mapping[str, object]) -> bool:
    return token.word and (token.key in words or token.fixed in words)


def _is_break(token: _Token) -> bool:
    return not token.word and token.text in _BREAKS


def _is_note_break(token: _Token) -> bool:
    """A colon or a dash: what follows is the user's own words."""
    return not token.word and token.text in _NOTE_BREAKS


# --- the reader ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Time:
    start: int  # positions among all the tokens
    end: int
    days: int | None  # None: a time of day, the day is not said
    future: bool


@dataclass(frozen=True)
class _Decided:
    """What a sent object made of the log."""

    kind: Kind
    channel: Channel | None
    rest: list[int]  # what follows the message noun, read like the rest of the sentence
    again: bool


@dataclass(frozen=True)
class _Details:
    """The channel, ask and "again" found after an outreach, and the words left for a note."""

    channel: Channel | None
    late_channel: Channel | None  # said after a colon: used when nothing else says one
    ask: Ask | None
    again: bool
    rest: list[int]


class _Reader:
    """Reads one sentence."""

    def __init__(self, grammar: _Grammar, text: str, today: date) -> None:
        self.grammar = grammar
        self.vocabulary = grammar.vocabulary
        self.text = text
        self.today = today
        self.tokens: list[_Token] = []  # all of them
        self.active: list[_Token] = []  # without the time phrases
        self.times: list[_Time] = []

    def read(self) -> SentenceLog | None:
        if self.text.lstrip().startswith("/"):
            return None  # a command, handled elsewhere
        tokens, requested = self._drop_request(_tokenize(self.text, self.grammar))
        if not any(token.word for token in tokens):
            return None
        if not requested and self._is_question(tokens):
            return None
        self.tokens = tokens
        self.times = self._times(tokens)
        # Past time phrases are taken out; a future one ("next week") stays in the note.
        taken = {
            pos for time in self.times if not time.future for pos in range(time.start, time.end)
        }
        self.active = [token for token in tokens if token.pos not in taken]
        matcher = _Matcher(self.grammar, self.active)
        candidates: list[tuple[int, int, Rule, _Match]] = []
        for order, (rule, pattern) in enumerate(self.grammar.rules):
            for start in range(len(self.active)):
                found = matcher.match(pattern, start)
                if found is not None:
                    candidates.append((found.start, order, rule, found))
        candidates.sort(key=lambda item: (item[0], item[1]))
        for _, _, rule, found in candidates:
            log = self._log(matcher, rule, found)
            if log is not None:
                return log
        return None

    # --- before the rules

    def _drop_request(self, tokens: list[_Token]) -> tuple[list[_Token], bool]:
        """Without a leading "can you log" or "please note:"; and whether there was one."""
        matcher = _Matcher(self.grammar, tokens)
        start = 0
        while start < len(tokens) and (
            not tokens[start].word or _key_in(tokens[start], self.vocabulary.openers)
        ):
            start += 1
        found = matcher.longest(self.grammar.requests, start)
        if found is not None and found.end < len(tokens):
            # Positions are indices into the token list, so the rest is numbered afresh.
            rest = tokens[found.end :]
            return [replace(token, pos=index) for index, token in enumerate(rest)], True
        return tokens, False

    def _is_question(self, tokens: list[_Token]) -> bool:
        if tokens and tokens[-1].text == "?":
            return True
        first = next(
            (
                token
                for token in tokens
                if token.word and not _key_in(token, self.vocabulary.openers)
            ),
            None,
        )
        return first is not None and first.key in self.vocabulary.question_words

    def _times(self, tokens: list[_Token]) -> list[_Time]:
        """The time phrases of the sentence, the longest at each place, left to right."""
        matcher = _Matcher(self.grammar, tokens)
        found: list[_Time] = []
        at = 0
        while at < len(tokens):
            best: tuple[TimePhrase, _Match] | None = None
            for phrase, pattern in self.grammar.times:
                match = matcher.match(pattern, at)
                if (
                    match is not None
                    and match.end > at
                    and (best is None or match.end > best[1].end)
                ):
                    best = (phrase, match)
            if best is None:
                at += 1
                continue
            phrase, match = best
            found.append(
                _Time(
                    start=tokens[at].pos,
                    end=tokens[match.end - 1].pos + 1,
                    days=self._days(phrase, match.captures),
                    future=phrase.future,
                )
            )
            at = match.end
        return found

    def _days(self, phrase: TimePhrase, captures: _Captures) -> int | None:
        if phrase.future:
            return 0
        if captures.weekday is not None:
            return (self.today.weekday() - captures.weekday) % 7 or 7
        if phrase.days is None:
            return None
        return phrase.days * (captures.number or 1)

    def _days_ago(self, before: int | None = None) -> int:
        """Days ago from the first past time phrase (before position `before`, if given)."""
        for time in self.times:
            if before is not None and time.start >= before:
                break
            if time.days is not None and not time.future:
                return time.days
        return 0

    # --- checks on a match

    def _clause_before(self, at: int) -> list[_Token]:
        """The words of the clause before active token `at`, nearest first."""
        words: list[_Token] = []
        for token in reversed(self.active[:at]):
            if not token.word or _key_in(token, self.vocabulary.clause_words):
                break
            words.append(token)
        return words

    def _future_in_sentence(self, position: int) -> bool:
        """Whether a future time phrase ("tomorrow") is in the sentence at `position`."""
        tokens = self.tokens
        left = position
        while left > 0 and tokens[left - 1].text not in _SENTENCE_ENDS:
            left -= 1
        right = position
        while right < len(tokens) and tokens[right].text not in _SENTENCE_ENDS:
            right += 1
        return any(time.future and left <= time.start < right for time in self.times)

    def _allowed(self, rule: Rule, match: _Match) -> bool:
        """Whether the match is a log: not negated, not an intention, not a plan."""
        vocabulary = self.vocabulary
        before = self._clause_before(match.start)
        if rule.decide is Decide.REPLY:
            return not any(_key_in(token, vocabulary.negations) for token in before)
        if any(_key_in(token, vocabulary.intent_words) for token in before):
            return False
        if (
            before
            and before[0].fixed == vocabulary.infinitive
            and not (len(before) > 1 and _key_in(before[1], vocabulary.infinitive_done))
        ):
            return False
        words = match.captures.words
        past = any(_key_in(self.active[index], vocabulary.past_forms) for index in words)
        return past or not self._future_in_sentence(self.active[match.trigger].pos)

    def _name(self, span: tuple[int, int] | None) -> str | None:
        if span is None or span[0] >= span[1]:
            return None
        raw = self.text[self.active[span[0]].start : self.active[span[1] - 1].end]
        try:
            name = clean_contact_name(raw)
        except InputError:
            return None
        key = name_key(name)
        if (
            not any(ch.isalpha() for ch in name)
            or key in self.vocabulary.not_names
            or key in self.grammar.channel_words
        ):
            return None
        return name

    # --- building the log

    def _log(self, matcher: _Matcher, rule: Rule, match: _Match) -> SentenceLog | None:
        name = self._name(match.captures.name)
        if name is None or not self._allowed(rule, match):
            return None
        rest = list(range(match.end, len(self.active)))
        if rule.decide is Decide.REPLY:
            return self._reply(name, match)
        kind, channel, ask = rule.kind, rule.channel, rule.ask
        obj = match.captures.obj
        if rule.decide in (Decide.OBJECT, Decide.MESSAGE) and obj is not None:
            decided = self._decide_object(matcher, obj)
            if decided.kind is Kind.GAVE and rule.decide is Decide.MESSAGE:
                return None
            if rule.kind is Kind.FOLLOW_UP:
                decided = replace(decided, kind=Kind.FOLLOW_UP)
            kind = decided.kind
            channel = decided.channel or channel
            if kind is Kind.GAVE:
                note = self._note(self._plain_rest([*range(*obj), *rest], meals=False))
                return SentenceLog(kind, name, None, None, note, self._days_ago())
            rest = decided.rest + rest
            if decided.again and kind is Kind.OUTREACH:
                kind = Kind.FOLLOW_UP
        if kind in (Kind.OUTREACH, Kind.FOLLOW_UP):
            details = self._outreach_details(rest)
            if details.again and kind is Kind.OUTREACH:
                kind = Kind.FOLLOW_UP
            return SentenceLog(
                kind,
                name,
                details.channel or channel or details.late_channel,
                ask or details.ask,
                self._note(details.rest),
                self._days_ago(),
            )
        note = self._note(self._plain_rest(rest))
        if kind is Kind.GAVE and rule.note:
            note = rule.note if note is None else f"{rule.note} {note}"
        return SentenceLog(kind, name, None, None, note, self._days_ago())

    def _reply(self, name: str, match: _Match) -> SentenceLog:
        """A reply: its kind from the words; its note what follows the first comma or colon."""
        tokens = self.tokens
        after = self.active[match.end - 1].pos + 1 if match.end else 0
        brk = next((t.pos for t in tokens[after:] if _is_break(t)), None)
        note = None if brk is None else self._note_from(tokens, range(brk + 1, len(tokens)))
        return SentenceLog(
            self._reply_kind(match), name, None, None, note, self._days_ago(before=brk)
        )

    def _reply_kind(self, match: _Match) -> Kind:
        """Positive, declined or later, from the words from the verb on (not the name)."""
        name = match.captures.name or (0, 0)
        skipped = {self.active[index].pos for index in range(*name)}
        start = self.active[match.trigger].pos
        words = [token for token in self.tokens[start:] if token.pos not in skipped]
        matcher = _Matcher(self.grammar, words)
        masked: set[int] = set()
        for at in range(len(words)):
            found = matcher.longest(self.grammar.reply_positive, at)
            if found is not None:
                masked.update(range(at, found.end))

        def said(patterns: tuple[_Pattern, ...]) -> bool:
            for at in range(len(words)):
                found = matcher.longest(patterns, at)
                if found is not None and not masked.intersection(range(at, found.end)):
                    return True
            return False

        if said(self.grammar.reply_later):
            return Kind.REPLY_LATER
        if said(self.grammar.reply_declined):
            return Kind.REPLY_DECLINED
        return Kind.REPLY_POSITIVE

    def _decide_object(self, matcher: _Matcher, span: tuple[int, int]) -> _Decided:
        """What was sent decides the kind: a message, a follow-up, one's own CV, or a gift."""
        vocabulary = self.vocabulary
        grammar = self.grammar
        tokens = matcher.tokens
        start, end = span
        channel: Channel | None = None
        again = False
        # "my CV", "the link to my portfolio": about oneself, so an outreach rather than a give.
        own = any(
            _key_in(tokens[index], vocabulary.own_items)
            and any(tokens[before].fixed == vocabulary.own_marker for before in range(start, index))
            for index in range(start, end)
        )
        for index in range(start, end):
            token = tokens[index]
            if _key_in(token, vocabulary.gift_words) or (
                own and _key_in(token, vocabulary.own_items)
            ):
                if own:
                    return _Decided(Kind.OUTREACH, None, list(range(start, end)), False)
                return _Decided(Kind.GAVE, None, [], False)
            found_channel = matcher.phrase_at(index, grammar.channel_words, 3)
            noun = matcher.phrase_at(index, grammar.message_nouns, 3)
            if noun is not None and (found_channel is None or found_channel[1] <= noun[1]):
                (kind, noun_channel), noun_end = noun
                if self._gift_follows(tokens, noun_end, end):
                    return _Decided(Kind.GAVE, None, [], False)
                return _Decided(kind, channel or noun_channel, list(range(noun_end, end)), again)
            if found_channel is not None and channel is None:
                channel = found_channel[0]
            if _key_in(token, vocabulary.repeat_words):
                again = True
        return _Decided(Kind.GAVE, None, [], False)

    def _gift_follows(self, tokens: Sequence[_Token], at: int, end: int) -> bool:
        """ "a message with the article": the message carried a gift."""
        vocabulary = self.vocabulary
        if at >= end or not _key_in(tokens[at], vocabulary.with_words):
            return False
        return any(_key_in(tokens[index], vocabulary.gift_words) for index in range(at, end))

    def _outreach_details(self, rest: list[int]) -> _Details:
        """The channel, the ask and "again" after an outreach; the other words are the note.

        After a colon or a dash the words are the user's own: still read, but kept.
        """
        matcher = _Matcher(self.grammar, self.active)
        tokens = self.active
        channel: Channel | None = None
        late_channel: Channel | None = None
        ask: Ask | None = None
        again = False
        kept: list[int] = []
        after_break = False
        position = 0
        while position < len(rest):
            index = rest[position]
            size = 0
            if _is_note_break(tokens[index]):
                after_break = True
            elif not after_break and (found := self._again_at(matcher, index)):
                again, size = True, found
            elif (
                found_channel := self._channel_at(matcher, index, first=position == 0)
            ) is not None:
                size = found_channel[1] - index
                if after_break:
                    late_channel = late_channel or found_channel[0]
                else:
                    channel = channel or found_channel[0]
            elif (found_ask := self._ask_at(matcher, index)) is not None:
                ask = ask or found_ask[0]
                size = found_ask[1] - index
            elif position == 0 and _key_in(tokens[index], self.vocabulary.dropped_words):
                size = 1
            if size and not after_break:
                position += size
                continue
            size = max(size, 1)
            kept.extend(rest[position : position + size])
            position += size
        return _Details(channel, late_channel, ask, again, kept)

    def _ask_at(self, matcher: _Matcher, at: int) -> tuple[Ask, int] | None:
        """The longest ask phrase at `at` ("for a referral", "to pick her brain"), and its end."""
        best: tuple[Ask, int] | None = None
        for pattern, fixed_ask in self.grammar.asks:
            found = matcher.match(pattern, at)
            if found is None or found.end <= at or (best is not None and found.end <= best[1]):
                continue
            ask = fixed_ask or found.captures.ask
            if ask is not None:
                best = (ask, found.end)
        return best

    def _again_at(self, matcher: _Matcher, at: int) -> int:
        found = matcher.phrase_at(at, self.grammar.again_words, 4)
        return 0 if found is None else found[1] - at

    def _channel_at(self, matcher: _Matcher, at: int, *, first: bool) -> tuple[Channel, int] | None:
        """ "on LinkedIn", "via e-mail", "in person", or a bare "linkedin" right after the name."""
        tokens = matcher.tokens
        vocabulary = self.vocabulary
        words = self.grammar.channel_words
        token = tokens[at]
        if not token.word:
            return None
        if _key_in(token, vocabulary.channel_markers):
            after = at + 1
            if after < len(tokens) and _key_in(tokens[after], vocabulary.articles):
                found = matcher.phrase_at(after + 1, words, 3)
                if found is not None:
                    return found
            found = matcher.phrase_at(after, words, 3)
            if found is not None:
                return found
        found = matcher.phrase_at(at, words, 3)
        if found is not None and (
            found[1] - at > 1 or (first and _key_in(token, vocabulary.bare_channel_words))
        ):
            return found
        return None

    def _plain_rest(self, rest: list[int], *, meals: bool = True) -> list[int]:
        """What follows a chat or a give, without the channel ("on Zoom"), "again" and
        "for coffee" (all kept after a colon or a dash).
        """
        matcher = _Matcher(self.grammar, self.active)
        tokens = self.active
        kept: list[int] = []
        position = 0
        while position < len(rest):
            index = rest[position]
            if _is_note_break(tokens[index]):
                kept.extend(rest[position:])
                break
            size = self._again_at(matcher, index)
            if not size and (found := self._channel_at(matcher, index, first=False)):
                size = found[1] - index
            if not size and meals and _key_in(tokens[index], self.vocabulary.meal_markers):
                size = self._meal_length(index)
            if not size and position == 0 and _key_in(tokens[index], self.vocabulary.dropped_words):
                size = 1
            if size:
                position += size
                continue
            kept.append(index)
            position += 1
        return kept

    def _meal_length(self, at: int) -> int:
        """ "for a quick coffee" after a chat: how many words, or 0."""
        tokens = self.active
        vocabulary = self.vocabulary
        index = at + 1
        while (
            index < len(tokens)
            and not _key_in(tokens[index], vocabulary.meal_words)
            and (
                _key_in(tokens[index], vocabulary.articles)
                or _key_in(tokens[index], vocabulary.ask_adjectives)
            )
        ):
            index += 1
        if index < len(tokens) and _key_in(tokens[index], vocabulary.meal_words):
            return index + 1 - at
        return 0

    def _note(self, indices: Sequence[int]) -> str | None:
        return self._note_from(self.active, indices)

    def _note_from(
        self, tokens: Sequence[_Token], indices: Iterator[int] | Sequence[int] | range
    ) -> str | None:
        """The words at `indices` as written: runs of neighbours kept together, edges tidied.

        None when nothing but punctuation and little words ("for", "and") is left.
        """
        chosen = [tokens[index] for index in sorted(set(indices)) if index < len(tokens)]
        if not any(
            token.word and not _key_in(token, self.vocabulary.function_words) for token in chosen
        ):
            return None
        pieces: list[str] = []
        run: list[_Token] = []
        for token in chosen:
            if run and token.pos != run[-1].pos + 1:
                pieces.append(self.text[run[0].start : run[-1].end])
                run = []
            run.append(token)
        if run:
            pieces.append(self.text[run[0].start : run[-1].end])
        note = _tidy(" ".join(pieces))
        if len(note) > MAX_NOTE_LENGTH:
            note = note[: MAX_NOTE_LENGTH - 1] + "…"
        return note or None


def _tidy(note: str) -> str:
    """Spaces collapsed, punctuation trimmed from the edges, unpaired brackets dropped."""
    note = " ".join(note.split()).strip(_EDGE)
    if note.startswith("(") and note.endswith(")") and note.count("(") == 1:
        note = note[1:-1]
    if note.startswith("(") and ")" not in note:
        note = note[1:]
    if note.endswith(")") and "(" not in note:
        note = note[:-1]
    return note.strip(_EDGE)
