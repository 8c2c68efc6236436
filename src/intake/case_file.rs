//! Reads and checks `case.toml`.
//!
//! Every check that can be done on a value alone happens while deserialising, so the
//! TOML parser attaches the line and column and a person sees exactly which line to
//! fix. Unknown keys are refused (a typo such as `plaftorm` must not silently drop a
//! fact from the claim). This module never touches the evidence files.

use std::path::Path;

use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;

use super::IntakeError;
use crate::geo::gazetteer;
use crate::model::{
    Answer, Ask, Buyer, Case, Contact, Customs, Dispute, EvidenceKind, EvidenceNote, Money, Order,
    Party, Platform, Proposal, Reason, Received, Request, Resolution, Shipping,
};

/// A parsed case file and the bytes it came from (the bag keeps them as given).
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub case: Case,
    pub bytes: Vec<u8>,
}

/// The longest text accepted in a one-line field.
const MAX_LINE_FIELD: usize = 500;
/// The longest text accepted in a summary or caption.
const MAX_TEXT_FIELD: usize = 5_000;

/// Parses `text` (read from `path`) into a checked case.
pub fn parse(path: &Path, bytes: Vec<u8>) -> Result<CaseFile, IntakeError> {
    let text = std::str::from_utf8(&bytes).map_err(|e| IntakeError::CaseNotUtf8 {
        path: path.to_owned(),
        line: line_of(&bytes[..e.valid_up_to()]),
    })?;
    let raw: RawCase = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| line_and_column(text, span.start))
            .unwrap_or((1, 1));
        IntakeError::CaseInvalid {
            path: path.to_owned(),
            line,
            column,
            field: e
                .span()
                .and_then(|span| key_at(text, span.start))
                .map(|key| clip(&key, MAX_ECHO)),
            message: clip_quoted(e.message().trim_end()),
        }
    })?;
    let case = raw.into_case(text);
    Ok(CaseFile { case, bytes })
}

/// The most characters of the user's own text an error message repeats.
const MAX_ECHO: usize = 200;

/// `text` cut to `max` characters, with "…" when it was longer.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The parser's message with every `quoted` piece of the input clipped, so that a
/// megabyte-long key gives a readable line rather than a megabyte of terminal.
fn clip_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(4 * MAX_ECHO));
    for (index, piece) in message.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        // Odd pieces are inside backticks: the parser quoting the input.
        if index % 2 == 1 {
            out.push_str(&clip(piece, MAX_ECHO));
        } else {
            out.push_str(piece);
        }
    }
    clip(&out, 5 * MAX_ECHO)
}

fn line_of(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count() + 1
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The dotted name of the key whose value starts at `offset`: `order.total`,
/// `contact[2].date`. It is read back from the text so that the message names the
/// field even when the parser's message does not.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let line = line.split('\n').next().unwrap_or("");
    let key = line.split_once('=')?.0.trim().trim_matches('"');
    if key.is_empty() || key.starts_with('[') || key.starts_with('#') {
        return None;
    }
    // Find the table header above the key, counting repeated [[array]] headers.
    let mut table: Option<String> = None;
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for header_line in text[..line_start].lines() {
        let trimmed = header_line.trim();
        if let Some(name) = trimmed
            .strip_prefix("[[")
            .and_then(|s| s.split("]]").next())
        {
            let name = name.trim().to_owned();
            let n = counts.entry(name.clone()).or_default();
            *n += 1;
            table = Some(format!("{name}[{n}]"));
        } else if let Some(name) = trimmed.strip_prefix('[').and_then(|s| s.split(']').next()) {
            table = Some(name.trim().to_owned());
        }
    }
    Some(match table {
        Some(table) => format!("{table}.{key}"),
        None => key.to_owned(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    platform: Platform,
    reason: Reason,
    order: RawOrder,
    #[serde(default)]
    shipping: RawShipping,
    #[serde(default)]
    received: RawReceived,
    #[serde(default)]
    customs: RawCustoms,
    request: Option<RawRequest>,
    #[serde(default)]
    dispute: RawDispute,
    #[serde(default)]
    contact: Vec<RawContact>,
    #[serde(default)]
    evidence: Vec<Spanned<RawEvidence>>,
    buyer: Option<RawBuyer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrder {
    id: OrderId,
    placed: Option<TomlDate>,
    item: Option<LineText>,
    quantity: Option<Quantity>,
    seller: Option<LineText>,
    url: Option<WebUrl>,
    total: Option<Money>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawShipping {
    #[serde(default)]
    tracking: Vec<LineText>,
    carrier: Option<LineText>,
    tracking_shows: Option<LineText>,
    shipped: Option<TomlDate>,
    expected_by: Option<TomlDate>,
    delivered: Option<TomlDate>,
    marked_delivered: Option<TomlDate>,
    protection_ends: Option<TomlDate>,
    return_reason: Option<LineText>,
    delivered_to: Option<LineText>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawReceived {
    quantity: Option<Count>,
    problem: Option<LongText>,
    listing_says: Option<LineText>,
    actual: Option<LineText>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCustoms {
    fee: Option<Money>,
    seller_promised_to_pay: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDispute {
    opened: Option<TomlDate>,
    escalated: Option<TomlDate>,
    seller_proposal: Option<Proposal>,
    seller_offer: Option<Money>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequest {
    resolution: Option<Resolution>,
    amount: Option<Money>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContact {
    date: TomlDate,
    #[serde(default)]
    with: Party,
    channel: Option<LineText>,
    #[serde(default)]
    asked: OneOrMany<Ask>,
    answer: Option<Answer>,
    offer: Option<Money>,
    summary: Option<LongText>,
}

/// A value or a list of values: `asked = "refund"` or `asked = ["refund", "tracking"]`.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvidence {
    path: EvidencePath,
    caption: Option<LongText>,
    kind: Option<EvidenceKind>,
    #[serde(default)]
    shows: Vec<Slug>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuyer {
    name: Option<LineText>,
    city: Option<LineText>,
    region: Option<LineText>,
    country: Option<CountryCode>,
}

impl RawCase {
    fn into_case(self, text: &str) -> Case {
        let o = self.order;
        let s = self.shipping;
        Case {
            platform: self.platform,
            reason: self.reason,
            order: Order {
                id: o.id.0,
                placed: o.placed.map(|d| d.0),
                item: o.item.and_then(LineText::non_empty),
                quantity: o.quantity.map(|q| q.0),
                seller: o.seller.and_then(LineText::non_empty),
                url: o.url.map(|u| u.0),
                total: o.total,
            },
            shipping: Shipping {
                tracking: s
                    .tracking
                    .into_iter()
                    .filter_map(LineText::non_empty)
                    .collect(),
                carrier: s.carrier.and_then(LineText::non_empty),
                tracking_shows: s.tracking_shows.and_then(LineText::non_empty),
                shipped: s.shipped.map(|d| d.0),
                expected_by: s.expected_by.map(|d| d.0),
                delivered: s.delivered.map(|d| d.0),
                marked_delivered: s.marked_delivered.map(|d| d.0),
                protection_ends: s.protection_ends.map(|d| d.0),
                return_reason: s.return_reason.and_then(LineText::non_empty),
                delivered_to: s.delivered_to.and_then(LineText::non_empty),
            },
            received: Received {
                quantity: self.received.quantity.map(|q| q.0),
                problem: self.received.problem.map(|t| t.0).filter(|t| !t.is_empty()),
                listing_says: self.received.listing_says.and_then(LineText::non_empty),
                actual: self.received.actual.and_then(LineText::non_empty),
            },
            customs: Customs {
                fee: self.customs.fee,
                seller_promised_to_pay: self.customs.seller_promised_to_pay,
            },
            dispute: Dispute {
                opened: self.dispute.opened.map(|d| d.0),
                escalated: self.dispute.escalated.map(|d| d.0),
                seller_proposal: self.dispute.seller_proposal,
                seller_offer: self.dispute.seller_offer,
            },
            request: self.request.map(|r| Request {
                resolution: r.resolution,
                amount: r.amount,
            }),
            contacts: self
                .contact
                .into_iter()
                .map(|c| Contact {
                    date: c.date.0,
                    with: c.with,
                    channel: c.channel.and_then(LineText::non_empty),
                    asked: c.asked.into_vec(),
                    answer: c.answer,
                    offer: c.offer,
                    summary: c.summary.map(|t| t.0).filter(|t| !t.is_empty()),
                })
                .collect(),
            evidence_notes: self
                .evidence
                .into_iter()
                .map(|spanned| {
                    let line = line_and_column(text, spanned.span().start).0;
                    let e = spanned.into_inner();
                    EvidenceNote {
                        path: e.path.0,
                        caption: e.caption.map(|c| c.0).filter(|c| !c.is_empty()),
                        kind: e.kind,
                        shows: e.shows.into_iter().map(|s| s.0).collect(),
                        line,
                    }
                })
                .collect(),
            buyer: self.buyer.map(|b| Buyer {
                name: b.name.and_then(LineText::non_empty),
                city: b.city.and_then(LineText::non_empty),
                region: b.region.and_then(LineText::non_empty),
                country: b.country.map(|c| c.0),
            }),
        }
    }
}

/// A TOML date such as `2026-10-02` (not a string, not a date-time).
struct TomlDate(Date);

impl<'de> Deserialize<'de> for TomlDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = toml::Value::deserialize(d)?;
        let shape = "expected a date written like 2026-10-02";
        match value {
            toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(date), None, None) => {
                    Date::new(date.year as i16, date.month as i8, date.day as i8)
                        .map(TomlDate)
                        .map_err(|e| D::Error::custom(format!("{shape}: {e}")))
                }
                _ => Err(D::Error::custom(format!("{shape}, without a time of day"))),
            },
            toml::Value::String(s) if s.parse::<Date>().is_ok() => Err(D::Error::custom(format!(
                "{shape}, without quotes (write {s}, not \"{s}\")"
            ))),
            other => Err(D::Error::custom(format!(
                "{shape}; found the {} {other}",
                other.type_str()
            ))),
        }
    }
}

/// A one-line text: trimmed, no control characters, bounded.
struct LineText(String);

impl LineText {
    fn non_empty(self) -> Option<String> {
        (!self.0.is_empty()).then_some(self.0)
    }
}

impl<'de> Deserialize<'de> for LineText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?.trim().to_owned();
        check_text(&text, MAX_LINE_FIELD, Lines::One).map_err(serde::de::Error::custom)?;
        Ok(LineText(text))
    }
}

/// A text that may span lines (summaries, captions).
struct LongText(String);

impl<'de> Deserialize<'de> for LongText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?.trim().to_owned();
        check_text(&text, MAX_TEXT_FIELD, Lines::Many).map_err(serde::de::Error::custom)?;
        Ok(LongText(text))
    }
}

/// Whether a text field may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lines {
    One,
    /// Line breaks and tabs allowed (summaries, problems).
    Many,
}

fn check_text(text: &str, max: usize, lines: Lines) -> Result<(), String> {
    let multiline = lines == Lines::Many;
    if text.chars().count() > max {
        return Err(format!("is longer than {max} characters"));
    }
    let allowed = |c: char| !c.is_control() || (multiline && (c == '\n' || c == '\t'));
    if let Some(c) = text.chars().find(|&c| !allowed(c)) {
        return Err(format!(
            "contains the control character U+{:04X}; {}",
            c as u32,
            if multiline {
                "only line breaks and tabs are allowed"
            } else {
                "write it on one line"
            }
        ));
    }
    Ok(())
}

/// The order number: required, non-empty, printable.
struct OrderId(String);

impl<'de> Deserialize<'de> for OrderId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = toml::Value::deserialize(d)?;
        let text = match value {
            toml::Value::String(s) => s.trim().to_owned(),
            // An unquoted order number parses as an integer; accept it as written.
            toml::Value::Integer(n) if n >= 0 => n.to_string(),
            other => {
                return Err(D::Error::custom(format!(
                    "expected the order number as text in quotes; found the {}",
                    other.type_str()
                )));
            }
        };
        if text.is_empty() {
            return Err(D::Error::custom(
                "is empty: copy the order number from the order page, e.g. id = \"8123456789012345\"",
            ));
        }
        if text.len() > 64 {
            return Err(D::Error::custom("is longer than 64 characters"));
        }
        check_text(&text, 64, Lines::One).map_err(D::Error::custom)?;
        Ok(OrderId(text))
    }
}

/// A checklist item id such as `outer-packaging`: lower-case words joined by '-'.
/// Whether the id exists is checked against the reason's checklist later, since
/// `--templates` may change the list.
struct Slug(String);

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?.trim().to_owned();
        let ok = !text.is_empty()
            && text.len() <= 64
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            return Err(serde::de::Error::custom(format!(
                "\"{text}\" is not a checklist item id: use the ids `claimpack check` prints, like \"outer-packaging\""
            )));
        }
        Ok(Slug(text))
    }
}

/// A count of zero or more (how many arrived).
struct Count(u32);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        u32::try_from(n).map(Count).map_err(|_| {
            serde::de::Error::custom(format!(
                "must be a whole number from 0 to {}; found {n}",
                u32::MAX
            ))
        })
    }
}

/// A quantity of at least one.
struct Quantity(u32);

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        match u32::try_from(n) {
            Ok(q) if q >= 1 => Ok(Quantity(q)),
            _ => Err(serde::de::Error::custom(format!(
                "must be a whole number from 1 to {}; found {n}",
                u32::MAX
            ))),
        }
    }
}

/// An http or https address.
struct WebUrl(String);

impl<'de> Deserialize<'de> for WebUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let text = String::deserialize(d)?.trim().to_owned();
        let url = url::Url::parse(&text)
            .map_err(|e| D::Error::custom(format!("\"{text}\" is not a web address: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(D::Error::custom(format!(
                "\"{text}\" must start with https:// or http://"
            )));
        }
        Ok(WebUrl(url.to_string()))
    }
}

/// An ISO 3166-1 alpha-2 country code ("PT"), in any letter case.
struct CountryCode(String);

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let text = String::deserialize(d)?.trim().to_owned();
        if let Some(country) = gazetteer::country(&text).filter(|_| text.len() == 2) {
            return Ok(CountryCode(country.iso.clone()));
        }
        let named = gazetteer::country_by_key(&crate::geo::fold::key(&text))
            .or_else(|| gazetteer::country_by_code3(&text).filter(|_| text.len() == 3));
        Err(D::Error::custom(match named {
            Some(country) => format!(
                "write the two-letter ISO 3166-1 code: \"{}\" for {}",
                country.iso, country.name
            ),
            None => format!(
                "\"{}\" is not an ISO 3166-1 alpha-2 country code (two letters, such as PT, US, CN)",
                clip(&text, MAX_ECHO)
            ),
        }))
    }
}

/// An evidence path relative to the case folder, written with `/`.
struct EvidencePath(String);

impl<'de> Deserialize<'de> for EvidencePath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let text = String::deserialize(d)?.trim().replace('\\', "/");
        let relative = text.trim_start_matches("./");
        let bad = relative.is_empty()
            || relative.starts_with('/')
            || relative
                .split('/')
                .any(|part| part == ".." || part.is_empty())
            || relative.as_bytes().get(1) == Some(&b':');
        if bad {
            return Err(D::Error::custom(format!(
                "\"{text}\" must be a path inside the case folder, like \"photos/box-front.jpg\""
            )));
        }
        Ok(EvidencePath(relative.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
platform = "aliexpress"
reason = "damaged"

[order]
id = "8123456789012345"
placed = 2026-10-02
total = "34.99 USD"

[shipping]
tracking = ["LP00432912345678"]

[[contact]]
date = 2026-10-29
channel = "aliexpress-chat"
summary = "Sent photos."

[[evidence]]
path = "photos/box-front.jpg"
caption = "Outer box"
"#;

    fn parse_text(text: &str) -> Result<CaseFile, IntakeError> {
        parse(Path::new("case.toml"), text.as_bytes().to_vec())
    }

    fn error_of(text: &str) -> (usize, Option<String>, String) {
        match parse_text(text) {
            Err(IntakeError::CaseInvalid {
                line,
                field,
                message,
                ..
            }) => (line, field, message),
            other => panic!("expected a case error, got {other:?}"),
        }
    }

    #[test]
    fn a_complete_case_parses() {
        let case = parse_text(GOOD).unwrap().case;
        assert_eq!(case.platform, Platform::Aliexpress);
        assert_eq!(case.order.total.unwrap().to_string(), "34.99 USD");
        assert_eq!(case.evidence_notes[0].line, 18);
        assert_eq!(case.contacts[0].date.to_string(), "2026-10-29");
    }

    #[test]
    fn errors_name_the_field_and_line() {
        let (line, field, message) = error_of(&GOOD.replace("\"damaged\"", "\"damged\""));
        assert_eq!((line, field.as_deref()), (3, Some("reason")));
        assert!(message.contains("not-received"), "{message}");

        let (line, field, message) = error_of(&GOOD.replace("34.99 USD", "34.99 UDS"));
        assert_eq!((line, field.as_deref()), (8, Some("order.total")));
        assert!(message.contains("ISO 4217"), "{message}");

        let (line, field, message) = error_of(&GOOD.replace("2026-10-29", "\"2026-10-29\""));
        assert_eq!((line, field.as_deref()), (14, Some("contact[1].date")));
        assert!(message.contains("without quotes"), "{message}");

        let (line, _, message) = error_of(&GOOD.replace("placed =", "plcaed ="));
        assert_eq!(line, 7);
        assert!(
            message.contains("plcaed") && message.contains("placed"),
            "{message}"
        );

        let (_, field, message) = error_of(&GOOD.replace("\"8123456789012345\"", "\"\""));
        assert_eq!(field.as_deref(), Some("order.id"));
        assert!(message.contains("empty"), "{message}");

        // guards: an error echoing a 1 MB key printed a 2,000,074-byte line.
        let long_key = "k".repeat(1_000_000);
        let (_, field, message) = error_of(&GOOD.replace("placed =", &format!("{long_key} =")));
        let field = field.unwrap();
        assert_eq!(field.chars().count(), MAX_ECHO + 1, "{field}");
        assert!(
            field.starts_with("order.kkk") && field.ends_with("k…"),
            "{field}"
        );
        assert!(
            message.len() < 1_500 && message.contains("k…`"),
            "{message}"
        );
        assert!(message.contains("expected one of"), "{message}");

        let (_, _, message) = error_of(&GOOD.replace("photos/box-front.jpg", "../secret.jpg"));
        assert!(message.contains("inside the case folder"), "{message}");
    }

    #[test]
    fn unquoted_order_numbers_are_kept_as_written() {
        let case = parse_text(&GOOD.replace("\"8123456789012345\"", "8123456789012345"))
            .unwrap()
            .case;
        assert_eq!(case.order.id, "8123456789012345");
    }
}
