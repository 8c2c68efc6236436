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
use crate::suggest;

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

/// One mistake in case.toml and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    /// The dotted key, such as `order.total` or `contact[2].date`, when known.
    pub field: Option<String>,
    pub message: String,
}

/// The most mistakes reported at once; past this the file is likely not case.toml.
const MAX_PROBLEMS: usize = 50;

/// Parses `text` (read from `path`) into a checked case.
///
/// Every mistake is reported in one run, in file order: the TOML parser recovers
/// from syntax errors, and a value that fails its check is set aside and the rest
/// read again, so a buyer fixes the whole file at once instead of one line per run.
pub fn parse(path: &Path, bytes: Vec<u8>) -> Result<CaseFile, IntakeError> {
    let text = std::str::from_utf8(&bytes).map_err(|e| IntakeError::CaseNotUtf8 {
        path: path.to_owned(),
        line: line_of(&bytes[..e.valid_up_to()]),
    })?;
    let (mut table, syntax) = toml::de::DeTable::parse_recoverable(text);
    let mut problems: Vec<Problem> = syntax.iter().map(|e| syntax_problem(text, e)).collect();
    let raw = loop {
        match RawCase::deserialize(toml::de::Deserializer::from(table.clone())) {
            Ok(raw) => break Some(raw),
            Err(e) => {
                let problem = value_problem(text, &e);
                let set_aside = e
                    .span()
                    .is_some_and(|span| remove_at(table.get_mut(), span.start));
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
                if !set_aside || problems.len() >= MAX_PROBLEMS {
                    break None;
                }
            }
        }
    };
    if let Some(raw) = raw {
        match raw.into_case(text) {
            Ok(case) if problems.is_empty() => return Ok(CaseFile { case, bytes }),
            Ok(_) => {}
            Err(missing) => {
                // A key whose value was refused is not also "missing".
                let already = |m: &Problem| problems.iter().any(|p| p.field == m.field);
                let missing: Vec<Problem> = missing.into_iter().filter(|m| !already(m)).collect();
                problems.extend(missing);
            }
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    problems.dedup_by(|a, b| a.line == b.line && a.field == b.field);
    Err(IntakeError::CaseInvalid {
        path: path.to_owned(),
        problems,
    })
}

/// The problems as printed: one on the line of the error when there is one, else a
/// line saying how many, then one indented line each, `case.toml:LINE:COL: key: what`.
pub fn describe(path: &Path, problems: &[Problem]) -> String {
    let one = |p: &Problem| {
        format!(
            "{}:{}:{}: {}{}",
            path.display(),
            p.line,
            p.column,
            p.field
                .as_ref()
                .map(|f| format!("{f}: "))
                .unwrap_or_default(),
            p.message
        )
    };
    match problems {
        [only] => one(only),
        _ => {
            let mut out = format!(
                "{}: {} mistakes; fix them all, then run the command again:",
                path.display(),
                problems.len()
            );
            for problem in problems {
                out.push_str("\n  ");
                out.push_str(&one(problem));
            }
            out
        }
    }
}

/// Checks an `[[evidence]]` entry before `add` writes it, by the same rules as a
/// case file's: the messages a buyer gets for `--caption` and `--shows`.
pub fn check_entry(
    path: &str,
    kind: Option<EvidenceKind>,
    caption: Option<&str>,
    shows: &[String],
) -> Result<(), String> {
    let mut entry = toml::Table::new();
    entry.insert("path".into(), path.into());
    if let Some(kind) = kind {
        entry.insert("kind".into(), kind.slug().into());
    }
    if let Some(caption) = caption {
        entry.insert("caption".into(), caption.into());
    }
    if !shows.is_empty() {
        entry.insert("shows".into(), shows.to_vec().into());
    }
    RawEvidence::deserialize(toml::Value::Table(entry))
        .map(drop)
        .map_err(|e| suggest::improve_serde_message(e.message()))
}

/// The start of the `[table]` header line at or before `offset` (a table's span
/// starts at its first key; a buyer looks for the header).
fn header_before(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    loop {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        if text[line_start..].trim_start().starts_with('[') || line_start == 0 {
            return line_start;
        }
        at = line_start - 1;
    }
}

/// A TOML syntax error, in words for a buyer when the line shows what was meant.
fn syntax_problem(text: &str, error: &toml::de::Error) -> Problem {
    let at = error.span().map_or(0, |span| span.start);
    let (line, column) = line_and_column(text, at);
    let field = key_at(text, at).map(|key| clip(&key, MAX_ECHO));
    let written = value_on_line(text, at);
    let iso_shaped = |v: &str| {
        let b = v.as_bytes();
        b.len() == 10 && b[4] == b'-' && b[7] == b'-'
    };
    let message = match written.as_deref() {
        // 2026-02-30: the shape is right, the day is not; the parser says which.
        Some(value) if iso_shaped(value) => clip_quoted(error.message().trim_end()),
        Some(value) if suggest::loose_date(value).is_some() || looks_like_date_field(&field) => {
            suggest::date_advice(value)
        }
        Some(value) if let Some((money, doubt)) = suggest::money_advice(value) => {
            format!(
                "write amounts in quotes, the amount then the currency code: \"{money}\"{doubt}"
            )
        }
        Some(value) if !value.starts_with(['"', '\'', '[', '{']) && !value.is_empty() => format!(
            "put text in double quotes: {} = \"{}\"",
            field
                .as_deref()
                .and_then(|f| f.rsplit('.').next())
                .unwrap_or("key"),
            clip(value, MAX_ECHO)
        ),
        _ => clip_quoted(error.message().trim_end()),
    };
    Problem {
        line,
        column,
        field,
        message,
    }
}

/// Whether a key is one of case.toml's dates (`placed`, `contact[1].date`, …).
fn looks_like_date_field(field: &Option<String>) -> bool {
    const DATES: [&str; 9] = [
        "placed",
        "shipped",
        "expected_by",
        "delivered",
        "marked_delivered",
        "protection_ends",
        "opened",
        "escalated",
        "date",
    ];
    field
        .as_deref()
        .and_then(|f| f.rsplit('.').next())
        .is_some_and(|key| DATES.contains(&key))
}

/// The value written after `key =` on the line holding `offset`, without a comment.
fn value_on_line(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].split('\n').next().unwrap_or("");
    let value = line.split_once('=')?.1;
    let value = match value.find(" #") {
        Some(at) if !value.trim_start().starts_with('"') => &value[..at],
        _ => value,
    };
    Some(value.trim().to_owned())
}

/// A value that failed its check (an unknown reason, a bad amount), in words.
fn value_problem(text: &str, error: &toml::de::Error) -> Problem {
    let (line, column) = error
        .span()
        .map(|span| line_and_column(text, span.start))
        .unwrap_or((1, 1));
    Problem {
        line,
        column,
        field: error
            .span()
            .and_then(|span| key_at(text, span.start))
            .map(|key| clip(&key, MAX_ECHO)),
        message: clip_quoted(&suggest::improve_serde_message(error.message().trim_end())),
    }
}

/// Removes the key (or array item) whose text holds `offset`, the deepest one, so
/// the rest of the file can be read again. False when nothing there was found.
fn remove_at(table: &mut toml::de::DeTable<'_>, offset: usize) -> bool {
    use toml::de::DeValue;
    let mut hit = None;
    for (key, value) in table.iter_mut() {
        let end = value.span().end.max(key.span().end);
        let removed_inside = match value.get_mut() {
            DeValue::Table(inner) => remove_at(inner, offset),
            DeValue::Array(items) => remove_in_array(items, offset),
            _ => false,
        };
        if removed_inside {
            return true;
        }
        if key.span().start <= offset && offset < end {
            hit = Some(key.get_ref().to_string());
        }
    }
    hit.is_some_and(|key| table.remove(key.as_str()).is_some())
}

/// [`remove_at`] for the items of a list: a key inside one of its tables, or a value.
fn remove_in_array(items: &mut toml::de::DeArray<'_>, offset: usize) -> bool {
    use toml::de::DeValue;
    for index in 0..items.len() {
        if let DeValue::Table(inner) = items.as_mut()[index].get_mut()
            && remove_at(inner, offset)
        {
            return true;
        }
        if items[index].span().contains(&offset) {
            // DeArray has no `remove`: the list is rebuilt without the item.
            let mut kept = toml::de::DeArray::new();
            for (at, item) in items.iter().enumerate() {
                if at != index {
                    kept.push(item.clone());
                }
            }
            *items = kept;
            return true;
        }
    }
    false
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
    // Required keys are optional here so that a missing one is reported with the
    // others, instead of stopping the parser at the first.
    platform: Option<Platform>,
    reason: Option<Reason>,
    order: Option<Spanned<RawOrder>>,
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
    contact: Vec<Spanned<RawContact>>,
    #[serde(default)]
    evidence: Vec<Spanned<RawEvidence>>,
    buyer: Option<RawBuyer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrder {
    id: Option<OrderId>,
    placed: Option<TomlDate>,
    item: Option<LineText>,
    quantity: Option<Quantity>,
    seller: Option<LineText>,
    url: Option<WebUrl>,
    total: Option<CaseMoney>,
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
    fee: Option<CaseMoney>,
    seller_promised_to_pay: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDispute {
    opened: Option<TomlDate>,
    escalated: Option<TomlDate>,
    seller_proposal: Option<Proposal>,
    seller_offer: Option<CaseMoney>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequest {
    resolution: Option<Resolution>,
    amount: Option<CaseMoney>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContact {
    date: Option<TomlDate>,
    #[serde(default)]
    with: Party,
    channel: Option<LineText>,
    #[serde(default)]
    asked: OneOrMany<Ask>,
    answer: Option<Answer>,
    offer: Option<CaseMoney>,
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
    path: Option<EvidencePath>,
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
    /// The checked case, or the required keys that are missing.
    fn into_case(self, text: &str) -> Result<Case, Vec<Problem>> {
        let mut missing = Vec::new();
        let mut lack = |at: usize, field: String, message: String| {
            let (line, column) = line_and_column(text, header_before(text, at));
            missing.push(Problem {
                line,
                column,
                field: Some(field),
                message,
            });
        };
        let names = |all: &[&str]| all.join(", ");
        if self.platform.is_none() {
            let all: Vec<&str> = Platform::ALL.iter().map(|p| p.slug()).collect();
            lack(
                0,
                "platform".into(),
                format!(
                    "missing: add platform = \"aliexpress\" at the top (one of {})",
                    names(&all)
                ),
            );
        }
        if self.reason.is_none() {
            let all: Vec<&str> = Reason::ALL.iter().map(|r| r.slug()).collect();
            lack(
                0,
                "reason".into(),
                format!(
                    "missing: add reason = \"damaged\" at the top (one of {}; `claimpack reasons` explains each)",
                    names(&all)
                ),
            );
        }
        match &self.order {
            None => lack(
                0,
                "order".into(),
                "missing: add an [order] table with the order number, id = \"8123456789012345\""
                    .into(),
            ),
            Some(order) if order.get_ref().id.is_none() => lack(
                order.span().start,
                "order.id".into(),
                "missing: add the order number under [order], id = \"8123456789012345\"".into(),
            ),
            Some(_) => {}
        }
        for (index, contact) in self.contact.iter().enumerate() {
            if contact.get_ref().date.is_none() {
                lack(
                    contact.span().start,
                    format!("contact[{}].date", index + 1),
                    "missing: add the day of this contact, date = 2026-10-29".into(),
                );
            }
        }
        for (index, note) in self.evidence.iter().enumerate() {
            if note.get_ref().path.is_none() {
                lack(
                    note.span().start,
                    format!("evidence[{}].path", index + 1),
                    "missing: add the file this entry describes, path = \"photos/box-front.jpg\""
                        .into(),
                );
            }
        }
        let (Some(platform), Some(reason), Some(order)) = (self.platform, self.reason, self.order)
        else {
            return Err(missing);
        };
        let o = order.into_inner();
        let Some(id) = o.id else {
            return Err(missing);
        };
        if !missing.is_empty() {
            return Err(missing);
        }
        let s = self.shipping;
        Ok(Case {
            platform,
            reason,
            order: Order {
                id: id.0,
                placed: o.placed.map(|d| d.0),
                item: o.item.and_then(LineText::non_empty),
                quantity: o.quantity.map(|q| q.0),
                seller: o.seller.and_then(LineText::non_empty),
                url: o.url.map(|u| u.0),
                total: o.total.map(|m| m.0),
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
                fee: self.customs.fee.map(|m| m.0),
                seller_promised_to_pay: self.customs.seller_promised_to_pay,
            },
            dispute: Dispute {
                opened: self.dispute.opened.map(|d| d.0),
                escalated: self.dispute.escalated.map(|d| d.0),
                seller_proposal: self.dispute.seller_proposal,
                seller_offer: self.dispute.seller_offer.map(|m| m.0),
            },
            request: self.request.map(|r| Request {
                resolution: r.resolution,
                amount: r.amount.map(|m| m.0),
            }),
            contacts: self
                .contact
                .into_iter()
                .map(Spanned::into_inner)
                .filter_map(|c| {
                    Some(Contact {
                        date: c.date?.0,
                        with: c.with,
                        channel: c.channel.and_then(LineText::non_empty),
                        asked: c.asked.into_vec(),
                        answer: c.answer,
                        offer: c.offer.map(|m| m.0),
                        summary: c.summary.map(|t| t.0).filter(|t| !t.is_empty()),
                    })
                })
                .collect(),
            evidence_notes: self
                .evidence
                .into_iter()
                .filter_map(|spanned| {
                    let line = line_and_column(text, spanned.span().start).0;
                    let e = spanned.into_inner();
                    Some(EvidenceNote {
                        path: e.path?.0,
                        caption: e.caption.map(|c| c.0).filter(|c| !c.is_empty()),
                        kind: e.kind,
                        shows: e.shows.into_iter().map(|s| s.0).collect(),
                        line,
                    })
                })
                .collect(),
            buyer: self.buyer.map(|b| Buyer {
                name: b.name.and_then(LineText::non_empty),
                city: b.city.and_then(LineText::non_empty),
                region: b.region.and_then(LineText::non_empty),
                country: b.country.map(|c| c.0),
            }),
        })
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
            toml::Value::String(s) => Err(D::Error::custom(suggest::date_advice(&s))),
            other => Err(D::Error::custom(format!(
                "{shape}; found the {} {other}",
                other.type_str()
            ))),
        }
    }
}

/// An amount with its currency, written as text: `"34.99 USD"`. A bare number is
/// refused with the line to write, since the currency cannot be guessed.
struct CaseMoney(Money);

impl<'de> Deserialize<'de> for CaseMoney {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match toml::Value::deserialize(d)? {
            toml::Value::String(text) => {
                Money::deserialize(serde::de::value::StrDeserializer::<D::Error>::new(&text))
                    .map(CaseMoney)
            }
            toml::Value::Float(n) => Err(D::Error::custom(format!(
                "write the amount in quotes with its currency code, like \"{n:.2} USD\""
            ))),
            toml::Value::Integer(n) => Err(D::Error::custom(format!(
                "write the amount in quotes with its currency code, like \"{n} USD\""
            ))),
            other => Err(D::Error::custom(format!(
                "expected an amount like \"34.99 USD\"; found the {}",
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
            Err(IntakeError::CaseInvalid { problems, .. }) => {
                let first = problems[0].clone();
                (first.line, first.field, first.message)
            }
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
            message.len() < 1_500 && message.contains("k…\""),
            "{message}"
        );
        assert!(message.contains("the keys here are"), "{message}");

        let (_, _, message) = error_of(&GOOD.replace("photos/box-front.jpg", "../secret.jpg"));
        assert!(message.contains("inside the case folder"), "{message}");
    }

    #[test]
    fn names_are_read_in_any_case_and_by_the_platforms_own_terms() {
        let text = GOOD
            .replace("\"aliexpress\"", "\"AliExpress\"")
            .replace("\"damaged\"", "\"SNAD\"");
        let case = parse_text(&text).unwrap().case;
        assert_eq!(case.platform, Platform::Aliexpress);
        assert_eq!(case.reason, Reason::NotAsDescribed);
    }

    #[test]
    fn every_mistake_is_reported_in_one_run_in_file_order() {
        let text = GOOD
            .replace("\"damaged\"", "\"damged\"")
            .replace("id = \"8123456789012345\"\n", "")
            .replace("placed = 2026-10-02", "placed = 10/02/2026")
            .replace("total = \"34.99 USD\"", "total = \"$34.99\"")
            .replace("date = 2026-10-29", "date = Oct 29 2026")
            .replace("caption =", "captoin =");
        let Err(IntakeError::CaseInvalid { problems, .. }) = parse_text(&text) else {
            panic!("expected case errors");
        };
        let seen: Vec<(usize, Option<&str>)> = problems
            .iter()
            .map(|p| (p.line, p.field.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                (3, Some("reason")),
                (5, Some("order.id")),
                (6, Some("order.placed")),
                (7, Some("order.total")),
                (13, Some("contact[1].date")),
                (19, Some("evidence[1].captoin")),
            ],
            "{problems:#?}"
        );
        assert!(
            problems[1]
                .message
                .starts_with("missing: add the order number")
        );
        assert!(
            problems[2].message.contains("year-month-day"),
            "{problems:#?}"
        );
        assert!(
            problems[3].message.contains("\"34.99 USD\""),
            "{problems:#?}"
        );
        assert!(problems[4].message.contains("2026-10-29"), "{problems:#?}");
        assert!(
            problems[5].message.contains("did you mean caption?"),
            "{problems:#?}"
        );
    }

    #[test]
    fn unquoted_order_numbers_are_kept_as_written() {
        let case = parse_text(&GOOD.replace("\"8123456789012345\"", "8123456789012345"))
            .unwrap()
            .case;
        assert_eq!(case.order.id, "8123456789012345");
    }
}
