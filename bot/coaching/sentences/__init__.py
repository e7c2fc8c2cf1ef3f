"""Plain sentences read as a log: "coffee with Ana", "emailed Priya about an intro", "Ana said no".

Pure functions of the text and `today`: no Telegram, no storage, no clock, no language model.
The words live in a `Vocabulary` (ENGLISH is the only one so far); the reading code knows no
English, so another language is another Vocabulary, not another parser.

The modules, in the order a sentence goes through them: `vocabulary` (the types of a
language's words) and `english` (the English ones); `grammar` (a vocabulary compiled:
patterns parsed, a lexicon for typos); `tokens` (the text as words and punctuation);
`matcher` (patterns matched against tokens); `reader` (a sentence read into a SentenceLog).

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

from bot.coaching.sentences.english import ENGLISH
from bot.coaching.sentences.reader import MAX_SENTENCE_LENGTH, SentenceLog, parse_sentence
from bot.coaching.sentences.vocabulary import Decide, Rule, TimePhrase, Vocabulary

__all__ = [
    "ENGLISH",
    "MAX_SENTENCE_LENGTH",
    "Decide",
    "Rule",
    "SentenceLog",
    "TimePhrase",
    "Vocabulary",
    "parse_sentence",
]
