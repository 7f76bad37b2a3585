#!/usr/bin/env python3
"""Writes the two crates of the compile-time benchmark from one list of bodies.

The 50 Send API bodies below are written once, as JSON-like Python data, and
rendered three ways:

* ``macro50/src/lib.rs``: one function per body building it with
  ``sendapi::latest::request!({...})`` and serializing it with
  ``serde_json::to_string``;
* ``serde50/src/lib.rs``: hand-written ``#[derive(Serialize)]`` types covering
  exactly what the bodies use (``Option`` fields with ``skip_serializing_if``,
  enums with ``rename_all``/tags), and one function per body building the
  same body from them;
* ``bodies.json``: the expected JSON of each body.

Both crates have ``pub fn bodies() -> Vec<String>``. ``macro50`` has a test
(``tests/same_bodies.rs``, with ``serde50`` as a dev-dependency) that checks
both crates produce the expected 50 bodies, compared as ``serde_json::Value``
(key order aside). ``--check`` runs it.

Usage:
    python3 bench/compile/generate.py           # write both crates
    python3 bench/compile/generate.py --check   # write, then run the test
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# ---------------------------------------------------------------------------
# The bodies
# ---------------------------------------------------------------------------

PSIDS = [
    "6047783085279281",
    "5512093384421907",
    "7209918836120044",
    "4481120937465512",
    "3917724408816350",
]
IGSIDS = ["17841400000000000", "17841405822304914"]

BODIES: list[tuple[str, str, dict]] = []  # (name, platform, body)


def add(name: str, body: dict, platform: str = "messenger") -> None:
    BODIES.append((name, platform, body))


def psid(i: int) -> dict:
    return {"id": PSIDS[i % len(PSIDS)]}


def qr(title: str, payload: str, image_url: str | None = None) -> dict:
    q = {"content_type": "text", "title": title, "payload": payload}
    if image_url is not None:
        q["image_url"] = image_url
    return q


def url_button(title: str, url: str, ratio: str | None = None) -> dict:
    b = {"type": "web_url", "title": title, "url": url}
    if ratio is not None:
        b["webview_height_ratio"] = ratio
    return b


def postback(title: str, payload: str) -> dict:
    return {"type": "postback", "title": title, "payload": payload}


def call(title: str, number: str) -> dict:
    return {"type": "phone_number", "title": title, "payload": number}


def text(recipient: dict, msg: str, messaging_type: str = "RESPONSE", **extra) -> dict:
    b = {"recipient": recipient, "messaging_type": messaging_type, "message": {"text": msg}}
    message_extra = {k: extra.pop(k) for k in ("quick_replies", "metadata") if k in extra}
    b["message"].update(message_extra)
    b.update(extra)
    return b


def media(recipient: dict, kind: str, payload: dict, messaging_type: str = "RESPONSE", **extra) -> dict:
    b = {
        "recipient": recipient,
        "messaging_type": messaging_type,
        "message": {"attachment": {"type": kind, "payload": payload}},
    }
    message_extra = {k: extra.pop(k) for k in ("quick_replies", "metadata") if k in extra}
    b["message"].update(message_extra)
    b.update(extra)
    return b


def template(recipient: dict, payload: dict, messaging_type: str = "RESPONSE", **extra) -> dict:
    return media(recipient, "template", payload, messaging_type, **extra)


def action(recipient: dict, what: str, **extra) -> dict:
    b = {"recipient": recipient, "sender_action": what}
    b.update(extra)
    return b


CDN = "https://cdn.example.org"
SHOP = "https://shop.example.org"

# Text, quick replies, metadata.
add("booking_confirmed", text(psid(0), "Your table for two is booked for 19:30.", quick_replies=[
    qr("Change time", "BOOKING_CHANGE"), qr("Cancel", "BOOKING_CANCEL")]))
add("shipping_update", text(psid(1), "Your parcel left the warehouse and arrives Thursday.", "UPDATE",
                            metadata="order-4411"))
add("human_agent_reply", text(psid(2), "Hi, this is Dana from support. I found the cause of the double charge.",
                              "MESSAGE_TAG", tag="HUMAN_AGENT"))
add("size_question", text(psid(3), "Which size would you like?", quick_replies=[
    qr("S", "SIZE_S"), qr("M", "SIZE_M"), qr("L", "SIZE_L"), qr("XL", "SIZE_XL")]))
add("colour_picker", text(psid(4), "Pick a colour for your mug.", quick_replies=[
    qr("Red", "COLOUR_RED", f"{CDN}/swatch/red.png"),
    qr("Blue", "COLOUR_BLUE", f"{CDN}/swatch/blue.png"),
    qr("", "COLOUR_GREEN", f"{CDN}/swatch/green.png")]))
add("ask_contact", text(psid(0), "How can our courier reach you?", quick_replies=[
    {"content_type": "user_phone_number"}, {"content_type": "user_email"}]))
add("silent_reminder", text(psid(1), "Reminder: your yoga class starts in one hour.", "UPDATE",
                            notification_type="SILENT_PUSH"))
add("no_push_digest", text(psid(2), "Here is your weekly summary: 3 orders, 1 return.", "UPDATE",
                           notification_type="NO_PUSH"))
add("regular_push", text(psid(3), "Your verification is complete.", "UPDATE", notification_type="REGULAR"))
add("reply_quote", text(psid(4), "Yes, that one is still in stock.", reply_to={"mid": "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P"}))
add("persona_agent", text(psid(0), "I'm Sam, I'll take it from here.", "MESSAGE_TAG", tag="HUMAN_AGENT",
                          persona_id="1008372609250235"))
add("user_ref_welcome", text({"user_ref": "checkbox-ref-22"}, "Thanks for subscribing to order updates!", "UPDATE"))
add("phone_match", text({"phone_number": "+15105551234", "name": {"first_name": "Jane", "last_name": "Doe"}},
                        "Your appointment is confirmed for Monday 9:00.", "UPDATE"))
add("phone_plain", text({"phone_number": "+442071838750"}, "Your table is ready.", "UPDATE"))
add("unicode_text", text(psid(1), "Merci ! Votre commande n\u00b0 8812 est pr\u00eate \u2014 \u00e0 bient\u00f4t \U0001F44B",
                         metadata="fr-8812"))
add("escapes_text", text(psid(2), "Line one\nLine two with \"quotes\" and a back\\slash.\tTabbed."))
add("human_agent_followup", text(psid(3), "Following up on ticket T-9: the refund went out today.",
                                 "MESSAGE_TAG", tag="HUMAN_AGENT", notification_type="SILENT_PUSH",
                                 metadata="ticket-T-9"))
add("survey_quick_replies", text(psid(4), "How was your delivery?", quick_replies=[
    qr("Great", "CSAT_5"), qr("OK", "CSAT_3"), qr("Bad", "CSAT_1")], metadata="survey-77"))

# Attachments by URL and by id.
add("image_url", media(psid(0), "image", {"url": f"{CDN}/parcel/4411.jpg"}))
add("image_reusable", media(psid(1), "image", {"url": f"{CDN}/promo/summer.png", "is_reusable": True}, "UPDATE"))
add("image_attachment_id", media(psid(2), "image", {"attachment_id": "1857777774821032"}))
add("video_url", media(psid(3), "video", {"url": f"{CDN}/howto/assemble.mp4"},
                       notification_type="NO_PUSH"))
add("audio_attachment_id", media(psid(4), "audio", {"attachment_id": "2210938847711903"}))
add("file_invoice", media(psid(0), "file", {"url": f"{SHOP}/invoices/INV-2291.pdf"}, "UPDATE",
                          metadata="invoice-2291"))
add("image_with_replies", media(psid(1), "image", {"url": f"{CDN}/menu/today.jpg"},
                                quick_replies=[qr("Order", "ORDER_TODAY"), qr("Later", "ORDER_LATER")]))
add("photo_user_ref", media({"user_ref": "checkbox-ref-57"}, "image", {"url": f"{CDN}/parcel/ready.jpg"},
                            notification_type="NO_PUSH"))
add("two_images", {"recipient": psid(2), "messaging_type": "RESPONSE", "message": {"attachments": [
    {"type": "image", "payload": {"url": f"{CDN}/room/1.jpg"}},
    {"type": "image", "payload": {"attachment_id": "1290384756612093"}}]}})

# Button templates.
add("button_template_order", template(psid(3), {
    "template_type": "button",
    "text": "Your order 4411 has shipped. What would you like to do?",
    "buttons": [url_button("Track parcel", f"{SHOP}/track/4411"), postback("Talk to us", "SUPPORT_4411")]}))
add("button_template_call", template(psid(4), {
    "template_type": "button",
    "text": "Need help with your booking?",
    "buttons": [call("Call us", "+15105559876"), postback("Reschedule", "RESCHEDULE_88"),
                url_button("Manage", f"{SHOP}/bookings/88", "tall")]}, "UPDATE"))
add("button_template_agent", template(psid(0), {
    "template_type": "button",
    "text": "Here is the return label you asked for.",
    "buttons": [url_button("Download label", f"{SHOP}/returns/RMA-31/label", "compact")]},
    "MESSAGE_TAG", tag="HUMAN_AGENT"))
add("button_template_sharable", template(psid(1), {
    "template_type": "button",
    "text": "Invite a friend and both get 10% off.",
    "buttons": [url_button("Invite", f"{SHOP}/invite/ab12")],
    "sharable": True}))

# Generic templates.
add("generic_single", template(psid(2), {
    "template_type": "generic",
    "elements": [{
        "title": "Classic white T-shirt",
        "subtitle": "100% organic cotton, in stock",
        "image_url": f"{CDN}/products/tee-white.jpg",
        "default_action": {"type": "web_url", "url": f"{SHOP}/p/tee-white", "webview_height_ratio": "tall"},
        "buttons": [url_button("View", f"{SHOP}/p/tee-white"), postback("Add to cart", "CART_ADD_TEE_WHITE")]}]}))
add("generic_carousel", template(psid(3), {
    "template_type": "generic",
    "elements": [
        {"title": f"Sneaker {c}", "subtitle": f"Size 38-46, {p} EUR", "image_url": f"{CDN}/products/sneaker-{c.lower()}.jpg",
         "buttons": [postback("Buy", f"BUY_SNEAKER_{c.upper()}")]}
        for c, p in [("Red", 89), ("Black", 95), ("Sand", 79)]]}))
add("generic_hotels", template(psid(4), {
    "template_type": "generic",
    "elements": [
        {"title": "Hotel Aurora", "subtitle": "2 nights, breakfast included",
         "default_action": {"type": "web_url", "url": f"{SHOP}/hotels/aurora"},
         "buttons": [url_button("Book", f"{SHOP}/hotels/aurora/book", "full"), call("Call hotel", "+390612345678")]},
        {"title": "Casa Lucia", "subtitle": "1 night, city centre", "image_url": f"{CDN}/hotels/lucia.jpg"}]},
    "UPDATE"))
add("generic_sharable", template(psid(0), {
    "template_type": "generic",
    "sharable": True,
    "elements": [{"title": "Your 2025 in running", "subtitle": "1,204 km and 96 runs",
                  "image_url": f"{CDN}/recap/2025.png"}]}))
add("generic_news", template({"user_ref": "checkbox-ref-90"}, {
    "template_type": "generic",
    "elements": [
        {"title": "Store opening hours change", "subtitle": "From 1 June we open at 8:00",
         "buttons": [url_button("Details", f"{SHOP}/news/hours")]},
        {"title": "New pickup point", "subtitle": "Central station, platform 2",
         "buttons": [url_button("Map", f"{SHOP}/news/pickup", "compact")]}]}, "UPDATE"))

# A receipt, and a smaller one.
add("receipt_full", template(psid(1), {
    "template_type": "receipt",
    "recipient_name": "Stephane Crozatier",
    "order_number": "12345678902",
    "currency": "USD",
    "payment_method": "Visa 2345",
    "order_url": None,
    "timestamp": "1428444852",
    "address": {"street_1": "1 Hacker Way", "street_2": "", "city": "Menlo Park", "postal_code": "94025",
                "state": "CA", "country": "US"},
    "summary": {"subtotal": 75.0, "shipping_cost": 4.95, "total_tax": 6.19, "total_cost": 56.14},
    "adjustments": [{"name": "New Customer Discount", "amount": 20.0}, {"name": "$10 Off Coupon", "amount": 10.0}],
    "elements": [
        {"title": "Classic White T-Shirt", "subtitle": "100% Soft and Luxurious Cotton", "quantity": 2,
         "price": 50.0, "currency": "USD", "image_url": f"{CDN}/products/tee-white.jpg"},
        {"title": "Classic Gray T-Shirt", "subtitle": "100% Soft and Luxurious Cotton", "quantity": 1,
         "price": 25.0, "currency": "USD", "image_url": f"{CDN}/products/tee-gray.jpg"}]}))
add("receipt_small", template(psid(2), {
    "template_type": "receipt",
    "recipient_name": "Jane Doe",
    "merchant_name": "Corner Bakery",
    "order_number": "CB-20931",
    "currency": "EUR",
    "payment_method": "Mastercard 8812",
    "elements": [{"title": "Sourdough loaf", "quantity": 1, "price": 4.5}],
    "summary": {"total_cost": 4.5}}, "UPDATE"))

# Media template.
add("media_template", template(psid(3), {
    "template_type": "media",
    "elements": [{"media_type": "video", "attachment_id": "1190384756623810",
                  "buttons": [url_button("Shop the look", f"{SHOP}/looks/autumn")]}]}))

# Sender actions.
add("typing_on", action(psid(4), "typing_on"))
add("typing_off", action(psid(0), "typing_off"))
add("mark_seen", action(psid(1), "mark_seen"))
add("typing_persona", action(psid(2), "typing_on", persona_id="1008372609250235"))
add("react_heart", action(psid(3), "react", payload={"message_id": "m_1457764197618_41", "reaction": "\u2764"}))
add("unreact", action(psid(4), "unreact", payload={"message_id": "m_1457764197618_41"}))
add("mark_seen_user_ref", action({"user_ref": "checkbox-ref-22"}, "mark_seen"))

# Instagram.
add("ig_text", text({"id": IGSIDS[0]}, "Thanks for the mention! Your discount code is SUMMER10."),
    platform="instagram")
add("ig_human_agent", text({"id": IGSIDS[1]}, "An agent will answer within the hour.", "MESSAGE_TAG",
                           tag="HUMAN_AGENT"), platform="instagram")
add("ig_react", action({"id": IGSIDS[0]}, "react", payload={"message_id": "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx", "reaction": "love"}),
    platform="instagram")
add("ig_generic", template({"id": IGSIDS[1]}, {
    "template_type": "generic",
    "elements": [{"title": "Linen shirt", "subtitle": "Back in stock", "image_url": f"{CDN}/products/linen.jpg",
                  "buttons": [url_button("Shop", f"{SHOP}/p/linen"), postback("Remind me", "REMIND_LINEN")]}]}),
    platform="instagram")

# Explicit nulls are absent in both crates' output; drop them from the data.


def strip_nulls(v):
    if isinstance(v, dict):
        return {k: strip_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [strip_nulls(x) for x in v]
    return v


# The hand-written side never writes a null, so the expected JSON (and the
# request! input) carry none: the one `"order_url": None` above goes away.
BODIES = [(n, p, strip_nulls(b)) for n, p, b in BODIES]

# ---------------------------------------------------------------------------
# The hand-written serde model: exactly what the bodies use
# ---------------------------------------------------------------------------
#
# A field is (wire name, type, required[, rust name]). Types: String, bool,
# f64, u32, [T] for Vec<T>, or a name below. Field order is the order
# sendapi's typed bindings serialize in, so the two crates' strings come out
# byte-identical (the check compares values, so this only makes the run-time
# comparison write the same bytes).

S = "String"
MODEL: dict[str, tuple] = {
    "Request": ("struct", "A Send API request body.", [
        ("recipient", "Recipient", True),
        ("messaging_type", "MessagingType", False),
        ("tag", "Tag", False),
        ("message", "Message", False),
        ("sender_action", "SenderAction", False),
        ("payload", "ReactionPayload", False),
        ("notification_type", "NotificationType", False),
        ("persona_id", S, False),
        ("reply_to", "ReplyTo", False),
    ]),
    "Recipient": ("untagged", "Who receives the message.", [
        ("Id", [("id", S, True)]),
        ("UserRef", [("user_ref", S, True)]),
        ("PhoneNumber", [("phone_number", S, True), ("name", "RecipientName", False)]),
    ]),
    "RecipientName": ("struct", "Name of a person reached by phone number.", [
        ("first_name", S, True), ("last_name", S, True)]),
    "ReplyTo": ("struct", "The message a reply quotes.", [("mid", S, True)]),
    "ReactionPayload": ("struct", "The message a reaction applies to.", [
        ("message_id", S, True), ("reaction", S, False)]),
    "MessagingType": ("enum", "Why the message is sent.", "SCREAMING_SNAKE_CASE",
                      ["RESPONSE", "UPDATE", "MESSAGE_TAG"]),
    "Tag": ("enum", "Message tag.", "SCREAMING_SNAKE_CASE", ["HUMAN_AGENT"]),
    "NotificationType": ("enum", "How the recipient is notified.", "SCREAMING_SNAKE_CASE",
                         ["REGULAR", "SILENT_PUSH", "NO_PUSH"]),
    "SenderAction": ("enum", "A sender action.", "snake_case",
                     ["typing_on", "typing_off", "mark_seen", "react", "unreact"]),
    "Message": ("struct", "A message.", [
        ("text", S, False),
        ("attachment", "Attachment", False),
        ("attachments", "[Attachment]", False),
        ("quick_replies", "[QuickReply]", False),
        ("metadata", S, False),
    ]),
    "QuickReply": ("internal", "A quick reply.", "content_type", "snake_case", [
        ("text", [("title", S, True), ("payload", S, True), ("image_url", S, False)]),
        ("user_phone_number", None),
        ("user_email", None),
    ]),
    "Attachment": ("adjacent", "An attachment.", "type", "payload", "snake_case", [
        ("image", "MediaPayload"), ("audio", "MediaPayload"), ("video", "MediaPayload"),
        ("file", "MediaPayload"), ("template", "TemplatePayload"),
    ]),
    "MediaPayload": ("struct", "Where a media attachment comes from.", [
        ("url", S, False), ("attachment_id", S, False), ("is_reusable", "bool", False)]),
    "TemplatePayload": ("internal_newtype", "A message template.", "template_type", "snake_case", [
        ("generic", "GenericTemplate"), ("button", "ButtonTemplate"), ("media", "MediaTemplate"),
        ("receipt", "ReceiptTemplate"),
    ]),
    "GenericTemplate": ("struct", "The generic template.", [
        ("elements", "[GenericElement]", True),
        ("sharable", "bool", False),
    ]),
    "GenericElement": ("struct", "One element of a generic template.", [
        ("title", S, True),
        ("subtitle", S, False),
        ("image_url", S, False),
        ("default_action", "DefaultAction", False),
        ("buttons", "[Button]", False),
    ]),
    "DefaultAction": ("struct", "What tapping an element opens.", [
        ("type", "DefaultActionType", True, "kind"),
        ("url", S, True),
        ("webview_height_ratio", "WebviewHeightRatio", False),
    ]),
    "DefaultActionType": ("enum", "Type of a default action.", "snake_case", ["web_url"]),
    "WebviewHeightRatio": ("enum", "Height of a webview.", "lowercase", ["compact", "tall", "full"]),
    "ButtonTemplate": ("struct", "The button template.", [
        ("text", S, True), ("buttons", "[Button]", True), ("sharable", "bool", False)]),
    "MediaTemplate": ("struct", "The media template.", [("elements", "[MediaElement]", True)]),
    "MediaElement": ("struct", "The media of a media template.", [
        ("media_type", "MediaType", True), ("attachment_id", S, True), ("buttons", "[Button]", False)]),
    "MediaType": ("enum", "Kind of media.", "lowercase", ["video"]),
    "ReceiptTemplate": ("struct", "The receipt template.", [
        ("recipient_name", S, True),
        ("merchant_name", S, False),
        ("order_number", S, True),
        ("currency", S, True),
        ("payment_method", S, True),
        ("timestamp", S, False),
        ("elements", "[ReceiptElement]", False),
        ("address", "ReceiptAddress", False),
        ("summary", "ReceiptSummary", True),
        ("adjustments", "[ReceiptAdjustment]", False),
    ]),
    "ReceiptElement": ("struct", "One item of a receipt.", [
        ("title", S, False), ("subtitle", S, False), ("quantity", "u32", False), ("price", "f64", False),
        ("currency", S, False), ("image_url", S, False)]),
    "ReceiptAddress": ("struct", "Shipping address of a receipt.", [
        ("street_1", S, True), ("street_2", S, False), ("city", S, True), ("postal_code", S, True),
        ("state", S, True), ("country", S, True)]),
    "ReceiptSummary": ("struct", "Payment summary of a receipt.", [
        ("subtotal", "f64", False), ("shipping_cost", "f64", False), ("total_tax", "f64", False),
        ("total_cost", "f64", True)]),
    "ReceiptAdjustment": ("struct", "A discount or other adjustment.", [("name", S, True), ("amount", "f64", True)]),
    "Button": ("internal", "A template button.", "type", "snake_case", [
        ("web_url", [("title", S, True), ("url", S, True), ("webview_height_ratio", "WebviewHeightRatio", False)]),
        ("postback", [("title", S, True), ("payload", S, True)]),
        ("phone_number", [("title", S, True), ("payload", S, True)]),
    ]),
}


def pascal(wire: str) -> str:
    return "".join(p[:1].upper() + p[1:].lower() for p in wire.split("_") if p)


def rename_all(rule: str, variant: str) -> str:
    words, cur = [], ""
    for ch in variant:
        if ch.isupper() and cur:
            words.append(cur)
            cur = ""
        cur += ch
    words.append(cur)
    if rule == "snake_case":
        return "_".join(w.lower() for w in words)
    if rule == "SCREAMING_SNAKE_CASE":
        return "_".join(w.upper() for w in words)
    if rule == "lowercase":
        return "".join(w.lower() for w in words)
    raise ValueError(rule)


def variant_name(rule: str, wire: str) -> str:
    v = pascal(wire)
    assert rename_all(rule, v) == wire, (rule, wire, v)
    return v


def fields_of(spec):
    return [(f[0], f[1], f[2], f[3] if len(f) > 3 else f[0]) for f in spec]


class Usage:
    def __init__(self):
        self.seen: set[tuple[str, str]] = set()

    def mark(self, ty: str, what: str) -> None:
        self.seen.add((ty, what))

    def check(self) -> None:
        missing = []
        for name, spec in MODEL.items():
            kind = spec[0]
            if kind == "struct":
                missing += [(name, f[0]) for f in spec[2] if (name, f[0]) not in self.seen]
            elif kind == "enum":
                missing += [(name, w) for w in spec[3] if (name, w) not in self.seen]
            elif kind == "untagged":
                for v, fs in spec[2]:
                    missing += [(name, f"{v}.{f[0]}") for f in fs if (name, f"{v}.{f[0]}") not in self.seen]
            else:
                missing += [(name, v[0]) for v in spec[-1] if (name, v[0]) not in self.seen]
        if missing:
            sys.exit(f"generate.py: the hand-written model has parts no body uses: {missing}")


def rust_str(s: str) -> str:
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def rust_f64(x) -> str:
    assert isinstance(x, float), x
    r = repr(x)
    assert "." in r and "e" not in r, r
    return r


def build_fields(fields, obj: dict, owner: str, usage: Usage, prefix: str = "") -> list[str]:
    out = []
    known = {f[0] for f in fields}
    extra = set(obj) - known
    assert not extra, f"{owner}: keys {extra} are not in the hand-written model"
    for wire, ty, required, rust in fields:
        if wire in obj:
            usage.mark(owner, prefix + wire)
            e = expr(ty, obj[wire], usage)
            out.append(f"{rust}: {e}" if required else f"{rust}: Some({e})")
        else:
            assert not required, f"{owner} needs {wire}"
            out.append(f"{rust}: None")
    return out


def expr(ty: str, v, usage: Usage) -> str:
    if ty == S:
        assert isinstance(v, str), (ty, v)
        return rust_str(v) + ".into()"
    if ty == "bool":
        assert isinstance(v, bool)
        return "true" if v else "false"
    if ty == "f64":
        return rust_f64(v)
    if ty == "u32":
        assert isinstance(v, int) and not isinstance(v, bool)
        return str(v)
    if ty.startswith("["):
        inner = ty[1:-1]
        return "vec![" + ", ".join(expr(inner, x, usage) for x in v) + "]"
    spec = MODEL[ty]
    kind = spec[0]
    if kind == "struct":
        return f"{ty} {{ " + ", ".join(build_fields(fields_of(spec[2]), v, ty, usage)) + " }"
    if kind == "enum":
        rule, values = spec[2], spec[3]
        assert v in values, (ty, v)
        usage.mark(ty, v)
        return f"{ty}::{variant_name(rule, v)}"
    if kind == "untagged":
        for vname, fs in spec[2]:
            if fs[0][0] in v:
                inits = build_fields(fields_of(fs), v, ty, usage, prefix=f"{vname}.")
                return f"{ty}::{vname} {{ " + ", ".join(inits) + " }"
        raise AssertionError((ty, v))
    if kind == "internal":
        tag, rule, variants = spec[2], spec[3], spec[4]
        wire = v[tag]
        rest = {k: x for k, x in v.items() if k != tag}
        for vwire, fs in variants:
            if vwire == wire:
                usage.mark(ty, vwire)
                vn = variant_name(rule, vwire)
                if fs is None:
                    assert not rest
                    return f"{ty}::{vn}"
                return f"{ty}::{vn} {{ " + ", ".join(build_fields(fields_of(fs), rest, f"{ty}::{vn}", usage)) + " }"
        raise AssertionError((ty, wire))
    if kind == "internal_newtype":
        tag, rule, variants = spec[2], spec[3], spec[4]
        wire = v[tag]
        rest = {k: x for k, x in v.items() if k != tag}
        inner = dict(variants)[wire]
        usage.mark(ty, wire)
        return f"{ty}::{variant_name(rule, wire)}({expr(inner, rest, usage)})"
    if kind == "adjacent":
        tag, content, rule, variants = spec[2], spec[3], spec[4], spec[5]
        assert set(v) == {tag, content}, v
        inner = dict(variants)[v[tag]]
        usage.mark(ty, v[tag])
        return f"{ty}::{variant_name(rule, v[tag])}({expr(inner, v[content], usage)})"
    raise AssertionError(kind)


def rust_field(wire: str, ty: str, required: bool, rust: str, public: bool = True) -> str:
    rty = rust_type(ty)
    attrs = []
    if rust != wire:
        attrs.append(f'rename = "{wire}"')
    if not required:
        attrs.append('skip_serializing_if = "Option::is_none"')
        rty = f"Option<{rty}>"
    attr = f"#[serde({', '.join(attrs)})] " if attrs else ""
    vis = "pub " if public else ""
    return f"{attr}{vis}{rust}: {rty},"


def rust_type(ty: str) -> str:
    if ty.startswith("["):
        return f"Vec<{rust_type(ty[1:-1])}>"
    return ty


# The receipt makes the template enums large. sendapi's types do not box it
# either; boxing here would add an allocation the request! side does not pay.
LARGE_VARIANT = "#[allow(clippy::large_enum_variant)] // unboxed, like sendapi's types"


def model_source() -> str:
    out = []
    for name, spec in MODEL.items():
        kind, doc = spec[0], spec[1]
        out.append(f"/// {doc}")
        if kind == "struct":
            out.append("#[derive(Debug, Clone, Serialize)]")
            out.append(f"pub struct {name} {{")
            out += [rust_field(*f) for f in fields_of(spec[2])]
            out.append("}")
        elif kind == "enum":
            out.append("#[derive(Debug, Clone, Copy, Serialize)]")
            out.append(f'#[serde(rename_all = "{spec[2]}")]')
            out.append(f"pub enum {name} {{")
            out += [f"{variant_name(spec[2], w)}," for w in spec[3]]
            out.append("}")
        elif kind == "untagged":
            out.append("#[derive(Debug, Clone, Serialize)]")
            out.append("#[serde(untagged)]")
            out.append(f"pub enum {name} {{")
            for vname, fs in spec[2]:
                out.append(f"{vname} {{")
                out += [rust_field(*f, public=False) for f in fields_of(fs)]
                out.append("},")
            out.append("}")
        elif kind == "internal":
            out.append("#[derive(Debug, Clone, Serialize)]")
            out.append(f'#[serde(tag = "{spec[2]}", rename_all = "{spec[3]}")]')
            out.append(f"pub enum {name} {{")
            for vwire, fs in spec[4]:
                vn = variant_name(spec[3], vwire)
                if fs is None:
                    out.append(f"{vn},")
                else:
                    out.append(f"{vn} {{")
                    out += [rust_field(*f, public=False) for f in fields_of(fs)]
                    out.append("},")
            out.append("}")
        elif kind == "internal_newtype":
            out.append(LARGE_VARIANT)
            out.append("#[derive(Debug, Clone, Serialize)]")
            out.append(f'#[serde(tag = "{spec[2]}", rename_all = "{spec[3]}")]')
            out.append(f"pub enum {name} {{")
            out += [f"{variant_name(spec[3], w)}({inner})," for w, inner in spec[4]]
            out.append("}")
        elif kind == "adjacent":
            out.append(LARGE_VARIANT)
            out.append("#[derive(Debug, Clone, Serialize)]")
            out.append(f'#[serde(tag = "{spec[2]}", content = "{spec[3]}", rename_all = "{spec[4]}")]')
            out.append(f"pub enum {name} {{")
            out += [f"{variant_name(spec[4], w)}({inner})," for w, inner in spec[5]]
            out.append("}")
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------
# request! rendering
# ---------------------------------------------------------------------------


def tokens(v, level: int, col: int) -> str:
    """`v` as request! tokens starting at column `col`, nested `level` deep:
    on one line when it fits in 100 columns, else one entry per line."""
    one = tokens_inline(v)
    if col + len(one) <= 98 or not isinstance(v, (dict, list)):
        return one
    pad = "    " * (level + 1)
    end = "    " * level
    if isinstance(v, dict):
        items = []
        for k, x in v.items():
            key = f"{pad}{rust_str(k)}: "
            items.append(f"{key}{tokens(x, level + 1, len(key))},")
        return "{\n" + "\n".join(items) + f"\n{end}}}"
    items = [f"{pad}{tokens(x, level + 1, len(pad))}," for x in v]
    return "[\n" + "\n".join(items) + f"\n{end}]"


def tokens_inline(v) -> str:
    if isinstance(v, dict):
        if not v:
            return "{}"
        return "{ " + ", ".join(f"{rust_str(k)}: {tokens_inline(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(tokens_inline(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return rust_str(v)
    if isinstance(v, float):
        return rust_f64(v)
    if isinstance(v, int):
        return str(v)
    raise TypeError(v)


# ---------------------------------------------------------------------------
# Writing the crates
# ---------------------------------------------------------------------------

HEADER = "// @generated by bench/compile/generate.py from its list of 50 bodies; do not edit.\n"

MACRO_TOML = """\
# @generated by bench/compile/generate.py; do not edit.
[package]
name = "macro50"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
sendapi = { path = "../../../runtime" }
serde_json = "1"

[dev-dependencies]
serde50 = { path = "../serde50" }

# Its own workspace: not a member of the sendapi workspace.
[workspace]
"""

SERDE_TOML = """\
# @generated by bench/compile/generate.py; do not edit.
[package]
name = "serde50"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = "1"

# Its own workspace: not a member of the sendapi workspace.
[workspace]
"""

CARGO_CONFIG = """\
# @generated by bench/compile/generate.py; do not edit.
# Each crate builds into its own directory under bench/compile/target.
[build]
target-dir = "../target/{name}"
"""

SAME_BODIES_TEST = HEADER + """\
//! Both crates build the 50 expected bodies (compared as JSON values, so key
//! order aside).

use serde_json::Value;

#[test]
fn both_crates_build_the_expected_bodies() {
    let expected: Vec<Value> =
        serde_json::from_str(include_str!("../../bodies.json")).expect("bodies.json is JSON");
    let from_macro = macro50::bodies();
    let from_serde = serde50::bodies();
    assert_eq!(expected.len(), 50);
    assert_eq!(from_macro.len(), expected.len());
    assert_eq!(from_serde.len(), expected.len());
    let mut identical = 0;
    for (i, want) in expected.iter().enumerate() {
        let name = macro50::NAMES[i];
        let m: Value = serde_json::from_str(&from_macro[i]).expect("request! output is JSON");
        let s: Value = serde_json::from_str(&from_serde[i]).expect("serde output is JSON");
        assert_eq!(&m, want, "request! body {i} ({name})");
        assert_eq!(&s, want, "hand-written body {i} ({name})");
        if from_macro[i] == from_serde[i] {
            identical += 1;
        }
    }
    println!("{identical} of {} bodies are byte-identical strings", expected.len());
}
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def rustfmt(path: Path) -> None:
    subprocess.run(["rustfmt", "--edition", "2024", str(path)], check=True, cwd=ROOT)


def macro_source() -> str:
    out = [HEADER, "//! 50 Send API bodies built with `sendapi::latest::request!`.\n"]
    names = ", ".join(f'"{n}"' for n, _, _ in BODIES)
    out.append(f"/// The bodies' names, in order.\npub const NAMES: [&str; {len(BODIES)}] = [{names}];\n")
    out.append("/// Builds and serializes the 50 bodies.")
    out.append("pub fn bodies() -> Vec<String> {")
    out.append("    vec![" + ", ".join(f"{n}()" for n, _, _ in BODIES) + "]")
    out.append("}\n")
    for name, platform, body in BODIES:
        lead = "instagram, " if platform == "instagram" else ""
        out.append(f"fn {name}() -> String {{")
        out.append(f"    let request = sendapi::latest::request!({lead}{tokens(body, 1, 43 + len(lead))});")
        out.append('    serde_json::to_string(&request).expect("a request serializes")')
        out.append("}\n")
    return "\n".join(out)


def json_source() -> str:
    out = [HEADER, "//! The same 50 Send API bodies built with `serde_json::json!`: the untyped way\n//! a user might write them. Compiled into `tests/benches/build_serialize.rs`.\n"]
    out.append("/// Builds and serializes the 50 bodies.")
    out.append("pub fn bodies() -> Vec<String> {")
    out.append("    vec![" + ", ".join(f"{n}()" for n, _, _ in BODIES) + "]")
    out.append("}\n")
    for name, _platform, body in BODIES:
        out.append(f"fn {name}() -> String {{")
        out.append(f"    let request = serde_json::json!({tokens(body, 1, 36)});")
        out.append('    serde_json::to_string(&request).expect("a request serializes")')
        out.append("}\n")
    return "\n".join(out)


def serde_source() -> str:
    usage = Usage()
    fns = []
    for name, _platform, body in BODIES:
        fns.append(f"fn {name}() -> String {{")
        fns.append(f"    let request = {expr('Request', body, usage)};")
        fns.append('    serde_json::to_string(&request).expect("a request serializes")')
        fns.append("}\n")
    usage.check()
    out = [HEADER, "//! The same 50 Send API bodies built with hand-written serde types.\n"]
    out.append("use serde::Serialize;\n")
    out.append(model_source())
    out.append("/// Builds and serializes the 50 bodies.")
    out.append("pub fn bodies() -> Vec<String> {")
    out.append("    vec![" + ", ".join(f"{n}()" for n, _, _ in BODIES) + "]")
    out.append("}\n")
    out += fns
    return "\n".join(out)


def seed_lockfile(crate: Path) -> None:
    """Starts from the workspace's lock file, so both crates resolve the same
    dependency versions as the workspace (cargo drops what they do not use)."""
    lock = crate / "Cargo.lock"
    if not lock.exists():
        shutil.copyfile(ROOT / "Cargo.lock", lock)


def generate() -> None:
    assert len(BODIES) == 50, len(BODIES)
    names = [n for n, _, _ in BODIES]
    assert len(set(names)) == len(names), "body names are unique"
    macro, serde = HERE / "macro50", HERE / "serde50"
    write(macro / "Cargo.toml", MACRO_TOML)
    write(serde / "Cargo.toml", SERDE_TOML)
    write(macro / ".cargo" / "config.toml", CARGO_CONFIG.format(name="macro50"))
    write(serde / ".cargo" / "config.toml", CARGO_CONFIG.format(name="serde50"))
    write(macro / "src" / "lib.rs", macro_source())
    write(serde / "src" / "lib.rs", serde_source())
    write(macro / "tests" / "same_bodies.rs", SAME_BODIES_TEST)
    write(HERE / "json50.rs", json_source())
    for f in (macro / "src" / "lib.rs", serde / "src" / "lib.rs", macro / "tests" / "same_bodies.rs", HERE / "json50.rs"):
        rustfmt(f)
    write(HERE / "bodies.json", json.dumps([b for _, _, b in BODIES], indent=1, ensure_ascii=False) + "\n")
    seed_lockfile(macro)
    seed_lockfile(serde)
    print(f"wrote {len(BODIES)} bodies to {macro.relative_to(ROOT)}, {serde.relative_to(ROOT)} and bench/compile/bodies.json")


def check() -> None:
    env = dict(os.environ)
    env.pop("CARGO_TARGET_DIR", None)
    cmd = ["cargo", "test", "--manifest-path", str(HERE / "macro50" / "Cargo.toml"), "--", "--nocapture"]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=HERE / "macro50", env=env)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="after writing, run the test comparing both crates")
    args = ap.parse_args()
    generate()
    if args.check:
        check()


if __name__ == "__main__":
    main()
