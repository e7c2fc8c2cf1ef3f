"""English: the rules, time phrases and word lists that read English sentences."""

from __future__ import annotations

from bot.coaching.dates import NUMBER_WORDS
from bot.coaching.domain import Ask, Channel, Kind
from bot.coaching.parsing import ASK_WORDS, CHANNEL_WORDS, REPLY_WORDS
from bot.coaching.sentences.vocabulary import Decide, Rule, TimePhrase, Vocabulary


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string: _words("a an the")."""
    return frozenset(text.split())


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
