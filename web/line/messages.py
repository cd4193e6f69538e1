"""A Reply's parts as LINE messages: the lead as text, the programs as a Flex carousel, chips as quick replies.

Pure functions over records (no I/O, no Flask): the same parts the web renders, never the web's
text parsed again. Every `tel:` URI is built from a number of the knowledge data, and every text
and label is cut to the limits of LINE's Messaging API (below).
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

from assistant.answers import program_level
from assistant.models import Intent, Reply
from assistant.replies import first_contact
from knowledge.models import Contact, Knowledge, Program, ProgramContact

# LINE's limits (Messaging API reference): messages per reply, characters, bubbles, items.
MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_ALT_TEXT = 1500
MAX_BUBBLES = 12
MAX_QUICK_REPLIES = 13
MAX_LABEL = 20          # quick reply and postback labels (Flex buttons allow 40; we keep to 20)
MAX_POSTBACK = 300      # postback data and displayText
MAX_URI = 1000

CHIP_PREFIX = "chip:"   # postback data of a chip: the message it stands for follows
LIST_INTENTS = frozenset({Intent.NEED, Intent.MORE, Intent.REFINE, Intent.FILTER, Intent.CATEGORY})
LEVEL_COLORS = {"市": "#1B5E20", "県": "#0D47A1", "国": "#B71C1C", "その他": "#546E7A"}
OTHER_CALLS = 2         # buttons for further numbers on a card, after 「電話する」
SUMMARY_CHARS = 80
DESK_CALLS = 4          # buttons on a desk's card
ALT_CHARS = 400

CALL_LABEL = "電話する"
DETAIL_LABEL = "詳しく"
NO_PHONE = "電話番号の記載なし"


def clip(text: str, limit: int) -> str:
    """Cut text to at most `limit` characters, marking the cut with 「…」."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tel_uri(number: str) -> str:
    """A tel: URI of a number as the document prints it (024-525-3720 → tel:0245253720)."""
    return "tel:" + "".join(ch for ch in number if ch.isdigit())


# Chips -----------------------------------------------------------------------------------------
def chip_action(label: str, message: str) -> dict[str, Any]:
    """A postback that sends `message` back as the chip's text (works in group chats without a mention)."""
    message = clip(message, MAX_POSTBACK - len(CHIP_PREFIX))
    return {"type": "postback", "label": clip(label, MAX_LABEL), "data": CHIP_PREFIX + message,
            "displayText": message}


def chip_message(data: str) -> str | None:
    """The message a chip's postback data stands for, None for any other data."""
    return data[len(CHIP_PREFIX):] if data.startswith(CHIP_PREFIX) and len(data) > len(CHIP_PREFIX) else None


def quick_reply(chips: Iterable[tuple[str, str]]) -> dict[str, Any] | None:
    """Quick reply items for (label, message) pairs, the first MAX_QUICK_REPLIES distinct messages."""
    items, seen = [], set()
    for label, message in chips:
        if message.strip() and message not in seen and len(items) < MAX_QUICK_REPLIES:
            seen.add(message)
            items.append({"type": "action", "action": chip_action(label, message)})
    return {"items": items} if items else None


def with_quick_reply(messages: list[dict[str, Any]], chips: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Attach the chips to the last message, where LINE shows them."""
    quick = quick_reply(chips)
    if quick and messages:
        messages[-1] = {**messages[-1], "quickReply": quick}
    return messages


def text_message(text: str) -> dict[str, Any]:
    return {"type": "text", "text": clip(text, MAX_TEXT)}


# Cards -----------------------------------------------------------------------------------------
def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "text", "text": text, "wrap": True, **style}


def _badge(level: str) -> dict[str, Any]:
    """The level badge 市/県/国/その他, coloured by level."""
    return {"type": "box", "layout": "horizontal", "contents": [
        {"type": "box", "layout": "vertical", "flex": 0, "backgroundColor": LEVEL_COLORS.get(level, LEVEL_COLORS["その他"]),
         "cornerRadius": "4px", "paddingStart": "6px", "paddingEnd": "6px", "paddingTop": "2px", "paddingBottom": "2px",
         "contents": [{"type": "text", "text": level, "size": "xs", "color": "#FFFFFF", "weight": "bold"}]}]}


def _button(action: dict[str, Any], style: str = "link") -> dict[str, Any]:
    return {"type": "button", "style": style, "height": "sm", "action": action}


def _call(label: str, number: str, style: str = "secondary") -> dict[str, Any]:
    return _button({"type": "uri", "label": clip(label, MAX_LABEL), "uri": tel_uri(number)}, style)


def calls(program: Program) -> list[tuple[ProgramContact, str]]:
    """Every (desk, number) the program prints, the desk to call first first."""
    first = first_contact(program)
    ordered = ([first] if first else []) + [c for c in program.contacts if c is not first]
    return [(pc, number) for pc in ordered for number in pc.phones]


def _call_buttons(program: Program) -> list[dict[str, Any]]:
    """「電話する」 for the first desk's first number, then a button for each of the next few numbers."""
    pairs = calls(program)
    if not pairs:
        return []
    buttons = [_call(CALL_LABEL, pairs[0][1], "primary")]
    labels = set()
    for pc, number in pairs[1: 1 + OTHER_CALLS]:
        label = f"電話: {pc.name}"
        if label in labels:  # the same desk's next number: say which one
            label = f"電話: {pc.contact.label_of(number) or number}"
        labels.add(label)
        buttons.append(_call(label, number))
    return buttons


def _detail_button(program: Program, public_url: str | None) -> dict[str, Any]:
    """「詳しく」 opens the program's page; without a public URL it asks the dialogue instead."""
    if public_url:
        return _button({"type": "uri", "label": DETAIL_LABEL, "uri": f"{public_url}/programs/{program.id}"})
    return _button(chip_action(DETAIL_LABEL, f"{program.name}を詳しく"))


def program_bubble(program: Program, number: int | None, public_url: str | None) -> dict[str, Any]:
    """One program's card: level badge, name, short summary, the desk to call first and its number."""
    first = first_contact(program)
    desk = [_text("まずはこちら", size="xxs", color="#888888")]
    if first is not None:
        desk.append(_text(first.name, size="sm", weight="bold"))
        desk.append(_text(f"TEL {first.phones[0]}" if first.phones else NO_PHONE, size="sm"))
    else:
        desk.append(_text("問い合わせ先の記載なし", size="sm"))
    name = f"{number}. {program.name}" if number is not None else program.name
    body = [_badge(program_level(program)), _text(name, weight="bold", size="md"),
            _text(clip(program.summary, SUMMARY_CHARS), size="sm", color="#555555"),
            {"type": "separator", "margin": "md"}, {"type": "box", "layout": "vertical", "margin": "md",
                                                     "spacing": "xs", "contents": desk}]
    footer = [*_call_buttons(program), _detail_button(program, public_url)]
    return {"type": "bubble",
            "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
            "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": footer}}


def desk_bubble(contact: Contact) -> dict[str, Any]:
    """A desk's card: level badge, name, a call button per number (labelled as the document labels it)."""
    lines = [_badge(contact.level), _text(contact.name, weight="bold", size="md")]
    lines += [_text(f"TEL {p.number}" + (f"({p.label})" if p.label else ""), size="sm") for p in contact.phones]
    if not contact.phones:
        lines.append(_text(NO_PHONE, size="sm"))
    buttons = [_call(CALL_LABEL if i == 0 else f"電話: {p.label or p.number}", p.number, "primary" if i == 0 else "secondary")
               for i, p in enumerate(contact.phones[:DESK_CALLS])]
    bubble: dict[str, Any] = {"type": "bubble",
                              "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": lines}}
    if buttons:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": buttons}
    return bubble


def carousel(bubbles: Sequence[dict[str, Any]], alt_text: str) -> dict[str, Any]:
    return {"type": "flex", "altText": clip(alt_text, min(ALT_CHARS, MAX_ALT_TEXT)),
            "contents": {"type": "carousel", "contents": list(bubbles[:MAX_BUBBLES])}}


# Replies ---------------------------------------------------------------------------------------
def reply_text(reply: Reply) -> str:
    """The text part: the lead (which desk to call first), the body, the follow-up; the programs go on cards."""
    return "\n\n".join(b for b in (reply.lead, *reply.body, reply.follow_up) if b)


def reply_bubbles(reply: Reply, public_url: str | None) -> list[dict[str, Any]]:
    """Program cards for the hits (numbered as the dialogue numbers them), else desk cards."""
    if reply.hits:
        numbered = reply.intent in LIST_INTENTS
        return [program_bubble(h.program, reply.first + i if numbered else None, public_url)
                for i, h in enumerate(reply.hits[:MAX_BUBBLES])]
    return [desk_bubble(c) for c in reply.desks[:MAX_BUBBLES]]


def reply_messages(reply: Reply, public_url: str | None = None) -> list[dict[str, Any]]:
    """The LINE messages for one dialogue reply: text, then cards, the suggestions as quick replies."""
    messages = [text_message(reply_text(reply))]
    bubbles = reply_bubbles(reply, public_url)
    if bubbles:  # the alt text is what notifications and old clients show instead of the cards
        names = "、".join(h.program.name for h in reply.hits[:MAX_BUBBLES])
        alt = (f"{reply.lead}(候補: {names})" if reply.intent in LIST_INTENTS else reply.lead) if reply.hits \
            else f"{'、'.join(c.name for c in reply.desks)}の電話番号"
        messages.append(carousel(bubbles, alt))
    return with_quick_reply(messages, ((s, s) for s in reply.suggestions))


def need_chips(knowledge: Knowledge, common: Sequence[str]) -> list[tuple[str, str]]:
    """The needs as (label, message) chips, the common needs first, then the rest in vocabulary order."""
    tags = knowledge.vocabulary.tags
    first = [t for need in common for t in tags if t.id == need]
    return [(t.label, t.chip) for t in first + [t for t in tags if t not in first]]


def line_with_chips(text: str, chips: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """One text line with chips: the welcome, the answer to a sticker or photo, the greeting in a group."""
    return with_quick_reply([text_message(text)], chips)
