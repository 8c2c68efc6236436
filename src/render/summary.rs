//! The English statement: one template per reason (`templates/summary/<reason>.txt.j2`)
//! with shared partials for the order, the shipping, the seller contacts, the request
//! and the exhibit list. Facts only, first person, past tense; exhibits are cited as
//! "(Exhibit E03)".
//!
//! Every line a template writes starts with a priority, `1|` (always kept) to `5|`
//! (dropped first). The full statement keeps every sentence; the form version, for the
//! platform's text box, drops the lowest-priority sentences whole until it fits, and
//! never cuts a sentence. A template line without a priority is an error, not text.

use std::collections::BTreeMap;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use super::{RenderError, facts};
use crate::analysis::Assessment;
use crate::analysis::checklist::EvidenceRef;
use crate::analysis::language;
use crate::analysis::tracking::TrackingCheck;
use crate::model::{Case, EvidenceKind, Resolution};
use crate::profile::Profile;
use crate::templates::Templates;

/// The form length used when a platform does not publish its limit: short enough for
/// any text box seen in practice, long enough for the essential sentences.
pub const UNKNOWN_LIMIT_FALLBACK: u32 = 1000;

/// The lowest priority a sentence may have.
const LOWEST_PRIORITY: u8 = 9;

/// Everything the statement is made from.
pub struct Inputs<'a> {
    pub case: &'a Case,
    pub evidence: &'a [EvidenceRef<'a>],
    pub assessment: &'a Assessment,
    pub profile: &'a Profile,
}

/// The statement in its two versions.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    pub full: String,
    pub form: Form,
}

/// The version for the platform's text box.
#[derive(Debug, Clone, Serialize)]
pub struct Form {
    pub text: String,
    /// Characters counted as the platform counts them (Unicode scalar values).
    pub chars: usize,
    pub limit: u32,
    /// Whether `limit` is the platform's published limit or claimpack's fallback.
    pub limit_known: bool,
    pub limit_source: String,
    pub ascii_only: bool,
    /// Sentences left out to fit, in the order they were dropped.
    pub dropped: Vec<String>,
    /// Fields left out of an English-only form because they are written in another
    /// script: "order.item (in Russian)".
    pub left_out: Vec<String>,
}

#[derive(Serialize)]
struct Context<'a> {
    platform: &'a str,
    /// Where the dispute stands, ending in "because": "I am opening this dispute
    /// because", "I opened this dispute on 19 November 2026 because", or for a
    /// card, "I dispute this card payment because".
    opening: String,
    reason: &'static str,
    /// A card chargeback: the statement is addressed to the bank.
    card: bool,
    /// The card networks' reason codes, for a card.
    card_reason: Option<String>,
    in_hand: bool,
    /// The buyer has an item they could keep or send back (not an empty parcel).
    has_item: bool,
    case: &'a Case,
    /// The contacts, told from their structured fields.
    negotiation: facts::Negotiation,
    /// The seller's proposal in the dispute and the buyer's answer.
    proposal: Option<String>,
    /// "Only 5 of the 12 items I ordered arrived; …", when the counts are known.
    missing_items: Option<String>,
    /// The customs fee and the seller's promise.
    customs: Vec<String>,
    /// The buyer's own description of what is wrong, on one line.
    problem: Option<String>,
    /// The latest day the seller agreed (to a refund), as a contact records it.
    agreed_on: Option<String>,
    /// Where tracking says the parcel was delivered, and how far that is from the buyer.
    delivery: Option<facts::Delivery>,
    /// Checklist item id → the exhibits the statement may cite as showing it.
    ev: BTreeMap<String, Vec<String>>,
    /// Evidence kind → exhibits of that kind.
    kinds: BTreeMap<&'static str, Vec<String>>,
    tracking: &'a [TrackingCheck],
    invalid_tracking: Vec<&'a TrackingCheck>,
    resolution: ResolutionView,
    /// Whether the platform takes the zip itself; otherwise the statement speaks of
    /// the attached files and the sealed originals kept.
    zip_accepted: bool,
    /// "The attached files include …": the exhibits no sentence cites, by kind.
    also: Option<String>,
    exhibits: Vec<ExhibitLine>,
    /// One sentence per exhibit whose trusted Content Credentials show an unedited capture.
    credentials: Vec<String>,
}

#[derive(Serialize)]
struct ResolutionView {
    /// "full", "partial", "return" or "replacement".
    kind: &'static str,
    amount: Option<String>,
    /// The buyer asked for a refund without sending the item back.
    refund_only: bool,
    /// Whether case.toml asks for anything: with no resolution and no amount the
    /// statement asks for nothing (check says so) rather than for a made-up refund.
    asked: bool,
}

#[derive(Serialize)]
struct ExhibitLine {
    id: String,
    kind: &'static str,
    description: String,
    /// The copy in the bundle is cut short or broken; the line says so.
    damaged: bool,
    /// A capture that shows a sign-in or error page instead; the line says so.
    shows_instead: Option<String>,
    /// What the picture's Content Credentials say AI did to it: a reviewer who
    /// checks them must not find it was passed off as a photo.
    ai: Option<&'static str>,
}

/// One sentence (or list item) of the statement.
#[derive(Debug, Clone)]
struct Sentence {
    priority: u8,
    text: String,
    list_item: bool,
    paragraph: usize,
}

use facts::one_line;

fn resolution_view(case: &Case) -> ResolutionView {
    let request = case.request.as_ref();
    let amount = request
        .and_then(|r| r.amount.as_ref())
        .or(case.order.total.as_ref());
    let partial_amount = match (
        request.and_then(|r| r.amount.as_ref()),
        case.order.total.as_ref(),
    ) {
        (Some(asked), Some(total)) => asked.compare(total) == Some(std::cmp::Ordering::Less),
        _ => false,
    };
    let kind = match request.and_then(|r| r.resolution) {
        Some(Resolution::PartialRefund) => "partial",
        Some(Resolution::ReturnAndRefund) => "return",
        Some(Resolution::Replacement) => "replacement",
        Some(Resolution::RefundOnly) | None if partial_amount => "partial",
        _ => "full",
    };
    // A partial refund without an amount cannot be stated; consistency reports it,
    // and the statement asks for the full refund rather than an unnamed sum.
    let kind = if kind == "partial" && request.and_then(|r| r.amount.as_ref()).is_none() {
        "full"
    } else {
        kind
    };
    ResolutionView {
        kind,
        asked: request.is_some_and(|r| r.resolution.is_some() || r.amount.is_some()),
        amount: amount.map(ToString::to_string),
        refund_only: request.and_then(|r| r.resolution) == Some(Resolution::RefundOnly),
    }
}

/// "2 October 2026".
fn long_date(value: String) -> Result<String, minijinja::Error> {
    let date: jiff::civil::Date = value.parse().map_err(|e| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("\"{value}\" is not a date: {e}"),
        )
    })?;
    Ok(date.strftime("%-d %B %Y").to_string())
}

/// "Exhibit E01", "Exhibits E01 and E02", "Exhibits E01, E02 and E03"; three or
/// more in a row become a range: "Exhibits E01 to E05 and E07".
fn cite(ids: Vec<String>) -> String {
    let number = |id: &String| id.strip_prefix('E').and_then(|n| n.parse::<u32>().ok());
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let mut j = i;
        while j + 1 < ids.len()
            && matches!((number(&ids[j]), number(&ids[j + 1])), (Some(a), Some(b)) if b == a + 1)
        {
            j += 1;
        }
        if j - i >= 2 {
            parts.push(format!("{} to {}", ids[i], ids[j]));
            i = j + 1;
        } else {
            parts.push(ids[i].clone());
            i += 1;
        }
    }
    let single = ids.len() == 1;
    match parts.as_slice() {
        [] => "no exhibit".to_owned(),
        [one] if single => format!("Exhibit {one}"),
        [one] => format!("Exhibits {one}"),
        [rest @ .., last] => format!("Exhibits {} and {last}", rest.join(", ")),
    }
}

/// "Visa 13.1 Merchandise/Services Not Received; Mastercard 4855 Goods or Services
/// Not Provided" → "Visa 13.1 or Mastercard 4855": the codes a bank files under.
/// The names are left out: they quote other reasons' words ("Not as Described").
fn network_codes(reasons: &str) -> String {
    let codes: Vec<String> = reasons
        .split(';')
        .filter_map(|part| {
            let mut words = part.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .collect();
    codes.join(" and ")
}

/// Renders the statement for a case.
pub fn render(templates: &Templates, inputs: &Inputs) -> Result<Statement, RenderError> {
    let case = inputs.case;
    let name = format!("summary/{}.txt.j2", case.reason.slug());
    let template_error = |name: &str| {
        let name = name.to_owned();
        move |source| RenderError::Template { name, source }
    };
    let foreign = language::foreign_fields(case);
    let marks: BTreeMap<String, String> = foreign
        .iter()
        .map(|f| (one_line(&f.text), f.language.clone()))
        .collect();
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            // Partials end in a newline; without it their last line would run into
            // the next template line.
            .keep_trailing_newline(true)
            .build()
            .map_err(template_error(&name))?,
    );
    // A missing value is a bug in the template, never a silent "None" in a claim.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_filter("date", long_date);
    env.add_filter("cite", cite);
    // `"text"`, marked "(in Russian)" when the buyer wrote it in another language.
    let quote_marks = marks.clone();
    // An exhibit citation may follow in the same brackets: (in Russian; Exhibit E01).
    env.add_filter("quote", move |text: String, cited: Option<String>| {
        let text = one_line(&text);
        let notes: Vec<String> = quote_marks
            .get(&text)
            .map(|language| format!("in {language}"))
            .into_iter()
            .chain(cited.filter(|c| !c.is_empty()))
            .collect();
        if notes.is_empty() {
            format!("\"{text}\"")
        } else {
            format!("\"{text}\" ({})", notes.join("; "))
        }
    });
    // The buyer's own sentence, quoted and marked only when it is not English.
    let own_marks = marks.clone();
    env.add_filter("own", move |text: String| {
        let text = one_line(&text);
        match own_marks.get(&text) {
            Some(language) => format!("In my words (in {language}): \"{text}\""),
            None => text,
        }
    });
    for template in Templates::names_under("summary/") {
        let text = templates.get(template)?;
        env.add_template_owned(template, text.into_owned())
            .map_err(template_error(template))?;
    }
    // Twice when needed: the second time with a sentence naming the exhibits the
    // first left uncited, so that every attached file is referred to.
    let render_with =
        |case: &Case, evidence: &[EvidenceRef]| -> Result<Vec<Sentence>, RenderError> {
            let mut context = context(case, inputs, evidence, &foreign, &marks);
            let once = |context: &Context| -> Result<Vec<Sentence>, RenderError> {
                let rendered = env
                    .get_template(&name)
                    .and_then(|t| t.render(Serde(context)))
                    .map_err(template_error(&name))?;
                parse_sentences(&name, &rendered)
            };
            let first = once(&context)?;
            match also_attached(&first, evidence) {
                Some(also) => {
                    context.also = Some(also);
                    once(&context)
                }
                None => Ok(first),
            }
        };

    let sentences = render_with(case, inputs.evidence)?;
    let full = assemble(&sentences);
    // A form in English characters only cannot carry Cyrillic or Chinese: rather
    // than transliterate it into nonsense, such fields are left out of the form.
    let ascii_only = inputs.profile.text.ascii_only.get() == Some(&true);
    let non_latin: Vec<&language::Foreign> = foreign.iter().filter(|f| !f.latin).collect();
    // The place tracking names is quoted as written in the full statement; a form in
    // English characters gives its English name instead, and loses it only when none
    // was found.
    let place_found = inputs
        .assessment
        .places
        .as_ref()
        .is_some_and(|p| p.delivered_to.place().is_some());
    let place_in_other_script = case
        .shipping
        .delivered_to
        .as_deref()
        .is_some_and(language::has_non_latin);
    let place_lost = place_in_other_script && !place_found;
    let mut form = if ascii_only && (!non_latin.is_empty() || place_in_other_script) {
        let latin_case = without_non_latin(case);
        let latin_evidence: Vec<EvidenceRef> = inputs
            .evidence
            .iter()
            .map(|e| EvidenceRef {
                caption: e.caption.filter(|c| !language::has_non_latin(c)),
                ..e.clone()
            })
            .collect();
        fit_form(&render_with(&latin_case, &latin_evidence)?, inputs.profile)?
    } else {
        fit_form(&sentences, inputs.profile)?
    };
    if ascii_only {
        form.left_out = non_latin
            .iter()
            .map(|f| format!("{} (in {})", f.field, f.language))
            .collect();
        if place_lost && case.reason.delivered_elsewhere() {
            form.left_out.push(
                "shipping.delivered_to (not in Latin letters, and no place found)".to_owned(),
            );
        }
    }
    Ok(Statement { full, form })
}

/// The case with every free-text field in a non-Latin script removed, for a form
/// that takes English characters only; the sentences then say less, but nothing
/// unreadable.
fn without_non_latin(case: &Case) -> Case {
    let keep = |value: &Option<String>| value.clone().filter(|v| !language::has_non_latin(v));
    let mut latin = case.clone();
    latin.order.item = keep(&case.order.item);
    latin.order.seller = keep(&case.order.seller);
    latin.shipping.carrier = keep(&case.shipping.carrier);
    latin.shipping.tracking_shows = keep(&case.shipping.tracking_shows);
    latin.shipping.return_reason = keep(&case.shipping.return_reason);
    latin.shipping.delivered_to = keep(&case.shipping.delivered_to);
    latin.received.problem = keep(&case.received.problem);
    latin.received.listing_says = keep(&case.received.listing_says);
    latin.received.actual = keep(&case.received.actual);
    for contact in &mut latin.contacts {
        contact.channel = keep(&contact.channel);
        contact.summary = keep(&contact.summary);
    }
    for note in &mut latin.evidence_notes {
        note.caption = keep(&note.caption);
    }
    latin
}

/// Everything the templates see, for one case (the buyer's, or its Latin-only copy).
fn context<'a>(
    case: &'a Case,
    inputs: &'a Inputs,
    evidence: &[EvidenceRef],
    foreign: &[language::Foreign],
    marks: &BTreeMap<String, String>,
) -> Context<'a> {
    let mut ev: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in &inputs.assessment.checklist.items {
        ev.insert(
            item.id.clone(),
            item.exhibits
                .iter()
                .filter(|m| m.proof)
                .map(|m| m.id.to_string())
                .collect(),
        );
    }
    let mut kinds: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for kind in EvidenceKind::ALL {
        kinds.insert(kind.slug(), Vec::new());
    }
    for e in evidence {
        kinds
            .entry(e.kind.slug())
            .or_default()
            .push(e.id.to_string());
    }
    let chat: Vec<String> = kinds.get("chat").cloned().unwrap_or_default();
    let chat_cite = (!chat.is_empty()).then(|| cite(chat));
    let card = case.platform == crate::model::Platform::Card;
    Context {
        platform: &inputs.profile.name,
        opening: facts::opening(case),
        reason: case.reason.slug(),
        card,
        card_reason: card
            .then(|| {
                inputs
                    .assessment
                    .platform_reason
                    .get()
                    .map(|r| network_codes(r))
            })
            .flatten(),
        in_hand: case.reason.item_in_hand(),
        has_item: case.reason.item_in_hand() && case.reason != crate::model::Reason::EmptyPackage,
        case,
        negotiation: facts::negotiation(case, chat_cite.as_deref(), foreign),
        proposal: facts::proposal(case, case.request.as_ref().and_then(|r| r.resolution)),
        missing_items: facts::missing_items(case),
        customs: facts::customs(case),
        problem: case.received.problem.as_deref().map(one_line),
        agreed_on: case
            .contacts
            .iter()
            .filter(|c| {
                c.with == crate::model::Party::Seller
                    && c.answer == Some(crate::model::Answer::Agreed)
            })
            .map(|c| c.date.to_string())
            .max(),
        delivery: facts::delivery(case, inputs.assessment.places.as_ref()),
        ev,
        kinds,
        tracking: &inputs.assessment.tracking,
        invalid_tracking: inputs.assessment.invalid_tracking().collect(),
        resolution: resolution_view(case),
        zip_accepted: inputs.profile.evidence.zip.get() == Some(&true),
        also: None,
        credentials: evidence
            .iter()
            .filter(|e| e.damaged.is_none())
            .filter_map(|e| {
                facts::credentials_sentence(
                    &e.id.to_string(),
                    e.kind,
                    e.credentials?,
                    inputs.profile.evidence.zip.get() == Some(&true),
                    case.order.placed,
                )
            })
            .collect(),
        exhibits: evidence
            .iter()
            .map(|e| ExhibitLine {
                id: e.id.to_string(),
                kind: e.kind.slug(),
                damaged: e.damaged.is_some(),
                shows_instead: e.not_the_page.map(str::to_owned),
                ai: e.credentials.and_then(|c| c.ai).map(|ai| match ai {
                    crate::model::AiUse::Generated => {
                        "its Content Credentials say it was generated by AI"
                    }
                    crate::model::AiUse::Edited => {
                        "its Content Credentials say it was edited with AI"
                    }
                }),
                description: match e.caption {
                    Some(caption) => {
                        let caption = one_line(caption);
                        match marks.get(&caption) {
                            Some(language) => format!("{caption} (in {language})"),
                            None => caption,
                        }
                    }
                    None if language::has_non_latin(e.source_name) => "a file".to_owned(),
                    None => format!(
                        "the file \"{}\"",
                        crate::sanitize::visible(&one_line(e.source_name))
                    ),
                },
            })
            .collect(),
    }
}

/// The exhibit ids a text cites: "Exhibit E03", "Exhibits E01 and E02", and the
/// ranges `cite` writes ("Exhibits E01 to E05").
fn cited_ids(text: &str) -> std::collections::BTreeSet<u32> {
    let number = |word: &str| -> Option<u32> {
        word.strip_prefix('E')
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse().ok())
    };
    let words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut ids = std::collections::BTreeSet::new();
    for (i, word) in words.iter().enumerate() {
        let Some(n) = number(word) else { continue };
        ids.insert(n);
        if words.get(i + 1) == Some(&"to")
            && let Some(end) = words.get(i + 2).and_then(|w| number(w))
        {
            ids.extend(n..=end);
        }
    }
    ids
}

/// One sentence naming, by kind, the exhibits that no other sentence cites (the
/// exhibit list aside): a reviewer should meet every attached file in the text.
fn also_attached(sentences: &[Sentence], evidence: &[EvidenceRef]) -> Option<String> {
    let mut cited = std::collections::BTreeSet::new();
    for s in sentences.iter().filter(|s| !s.list_item) {
        cited.extend(cited_ids(&s.text));
    }
    let mut groups: Vec<(EvidenceKind, Vec<String>)> = Vec::new();
    // A damaged copy is listed with the exhibits, and said to be damaged there.
    for e in evidence
        .iter()
        .filter(|e| !cited.contains(&e.id.0) && e.damaged.is_none() && e.not_the_page.is_none())
    {
        match groups.iter_mut().find(|(kind, _)| *kind == e.kind) {
            Some((_, ids)) => ids.push(e.id.to_string()),
            None => groups.push((e.kind, vec![e.id.to_string()])),
        }
    }
    if groups.is_empty() {
        return None;
    }
    let parts: Vec<String> = groups
        .into_iter()
        .map(|(kind, ids)| {
            let (one, many) = match kind {
                EvidenceKind::Photo => ("a photo", "photos"),
                EvidenceKind::Screenshot => ("a screenshot", "screenshots"),
                EvidenceKind::Video => ("a video", "videos"),
                EvidenceKind::Chat => {
                    ("my messages with the seller", "my messages with the seller")
                }
                EvidenceKind::Tracking => ("the tracking page", "tracking pages"),
                EvidenceKind::Listing => ("the listing", "listing pages"),
                EvidenceKind::Order => ("the order page", "order pages"),
                EvidenceKind::Document => ("a document", "documents"),
                EvidenceKind::Other => ("another file", "other files"),
            };
            let noun = if ids.len() == 1 { one } else { many };
            format!("{noun} ({})", cite(ids))
        })
        .collect();
    // "I attach" when this sentence names every exhibit; "I also attach" when
    // other sentences already cited some.
    let also = if cited.is_empty() { "" } else { " also" };
    Some(format!("I{also} attach {}.", facts::and_list(&parts)))
}

/// Splits rendered template output into prioritised sentences.
fn parse_sentences(name: &str, rendered: &str) -> Result<Vec<Sentence>, RenderError> {
    let mut sentences = Vec::new();
    let mut paragraph = 0;
    for (n, line) in rendered.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            paragraph += 1;
            continue;
        }
        let marked = line
            .split_once('|')
            .and_then(|(p, text)| Some((p.trim().parse::<u8>().ok()?, text)))
            .filter(|(p, _)| (1..=LOWEST_PRIORITY).contains(p));
        let Some((priority, text)) = marked else {
            return Err(RenderError::Unmarked {
                name: name.to_owned(),
                line: n + 1,
                text: line.chars().take(60).collect(),
            });
        };
        let (list_item, text) = match text.strip_prefix('-') {
            Some(item) => (true, item.trim()),
            None => (false, text.trim()),
        };
        if text.is_empty() {
            continue;
        }
        sentences.push(Sentence {
            priority,
            text: with_full_stop(text),
            list_item,
            paragraph,
        });
    }
    Ok(sentences)
}

/// Ends a sentence with punctuation, so that no text ends mid-sentence. A colon is a
/// list's lead-in; it never stands without its items.
fn with_full_stop(text: &str) -> String {
    let last = text
        .trim_end_matches(['"', '\'', ')', '”', '’'])
        .chars()
        .last();
    if matches!(last, Some('.' | '!' | '?' | ':')) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// Joins sentences: prose runs on in a paragraph, list items get their own lines.
fn assemble(sentences: &[Sentence]) -> String {
    let mut out = String::new();
    let mut previous: Option<&Sentence> = None;
    for s in sentences {
        if let Some(p) = previous {
            if p.paragraph != s.paragraph {
                out.push_str("\n\n");
            } else if s.list_item || p.list_item {
                out.push('\n');
            } else {
                out.push(' ');
            }
        }
        if s.list_item {
            out.push_str("- ");
        }
        out.push_str(&s.text);
        previous = Some(s);
    }
    out.push('\n');
    out
}

/// A list's lead-in ("I contacted the seller:") means nothing without its items.
fn drop_orphan_lead_ins(sentences: &mut Vec<Sentence>) -> Vec<String> {
    let mut dropped = Vec::new();
    let mut i = 0;
    while i < sentences.len() {
        let lead_in = sentences[i].text.ends_with(':') && !sentences[i].list_item;
        let followed_by_item = sentences
            .get(i + 1)
            .is_some_and(|next| next.list_item && next.paragraph == sentences[i].paragraph);
        if lead_in && !followed_by_item {
            dropped.push(sentences.remove(i).text);
        } else {
            i += 1;
        }
    }
    dropped
}

fn char_count(text: &str) -> usize {
    text.trim_end().chars().count()
}

/// Drops sentences, lowest priority and last first, until the text fits the box.
fn fit_form(sentences: &[Sentence], profile: &Profile) -> Result<Form, RenderError> {
    let ascii_only = profile.text.ascii_only.get() == Some(&true);
    let (limit, limit_known, limit_source) = match profile.text.limit.get() {
        Some(&limit) => (limit, true, profile.text.limit.source.clone()),
        None => (
            UNKNOWN_LIMIT_FALLBACK,
            false,
            format!(
                "{} publishes no limit for this box, so claimpack keeps the form text to {UNKNOWN_LIMIT_FALLBACK} characters",
                profile.name
            ),
        ),
    };
    let prepare = |s: &Sentence| -> Sentence {
        let mut s = s.clone();
        if ascii_only {
            s.text = to_ascii(&s.text);
        }
        s
    };
    // What the sealed bundle guarantees (priority 5) is for the full statement and
    // the report; a text box is for the facts.
    let mut dropped: Vec<String> = sentences
        .iter()
        .filter(|s| s.priority >= 5)
        .map(|s| s.text.clone())
        .collect();
    let mut kept: Vec<Sentence> = sentences
        .iter()
        .filter(|s| s.priority < 5)
        .map(prepare)
        .collect();
    loop {
        let text = assemble(&kept);
        if char_count(&text) <= limit as usize {
            return Ok(Form {
                chars: char_count(&text),
                text: text.trim_end().to_owned() + "\n",
                limit,
                limit_known,
                limit_source,
                ascii_only,
                dropped,
                left_out: Vec::new(),
            });
        }
        // Priority 1 (the reason, the order, the request) always stays.
        let candidate = kept
            .iter()
            .enumerate()
            .filter(|(_, s)| s.priority > 1)
            .max_by_key(|(i, s)| (s.priority, *i))
            .map(|(i, _)| i);
        let Some(index) = candidate else {
            return Err(RenderError::FormTooShort {
                limit,
                needed: char_count(&text),
            });
        };
        // A list goes whole: half a list of exhibits reads as if the rest did not exist.
        let chosen = kept.remove(index);
        if chosen.list_item {
            let same_list = |s: &Sentence| {
                s.list_item && s.paragraph == chosen.paragraph && s.priority == chosen.priority
            };
            dropped.extend(kept.iter().filter(|s| same_list(s)).map(|s| s.text.clone()));
            kept.retain(|s| !same_list(s));
        }
        dropped.push(chosen.text);
        dropped.extend(drop_orphan_lead_ins(&mut kept));
    }
}

/// The key phrases of other reasons that a statement contains: a "damaged" in a
/// not-received statement makes a reviewer doubt which claim is made.
pub fn other_reason_phrases(
    text: &str,
    requirements: &crate::analysis::checklist::Requirements,
    reason: crate::model::Reason,
) -> Vec<(crate::model::Reason, String)> {
    let lower = text.to_lowercase();
    crate::model::Reason::ALL
        .into_iter()
        .filter(|&other| other != reason)
        .flat_map(|other| {
            requirements
                .for_reason(other)
                .key_phrases
                .iter()
                .filter(|phrase| lower.contains(&phrase.to_lowercase()))
                .map(move |phrase| (other, phrase.clone()))
        })
        .collect()
}

/// Transliterates to plain ASCII ("Müller" → "Muller", "×" → "x"), for forms that
/// accept English characters only.
pub fn to_ascii(text: &str) -> String {
    deunicode::deunicode_with_tofu(text, "?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_read_as_english() {
        assert_eq!(cite(vec!["E01".into()]), "Exhibit E01");
        assert_eq!(
            cite(vec!["E01".into(), "E02".into()]),
            "Exhibits E01 and E02"
        );
        assert_eq!(
            cite(vec!["E01".into(), "E03".into(), "E04".into()]),
            "Exhibits E01, E03 and E04"
        );
        let run: Vec<String> = ["E01", "E02", "E03", "E04", "E05", "E07"]
            .map(String::from)
            .to_vec();
        assert_eq!(cite(run), "Exhibits E01 to E05 and E07");
        assert_eq!(
            cite(["E02", "E03", "E04"].map(String::from).to_vec()),
            "Exhibits E02 to E04"
        );
    }

    #[test]
    fn dates_are_written_out() {
        assert_eq!(long_date("2026-10-02".into()).unwrap(), "2 October 2026");
    }

    #[test]
    fn unmarked_template_lines_are_errors() {
        let err = parse_sentences("t", "1| Fine.\nnot marked\n").unwrap_err();
        assert!(
            matches!(err, RenderError::Unmarked { line: 2, .. }),
            "{err}"
        );
    }

    #[test]
    fn sentences_get_a_full_stop_and_lists_their_own_lines() {
        let sentences = parse_sentences("t", "1| One\n1| Two.\n3| Lead:\n3|- item\n").unwrap();
        assert_eq!(assemble(&sentences), "One. Two. Lead:\n- item.\n");
    }

    #[test]
    fn ascii_folding_keeps_meaning() {
        assert_eq!(to_ascii("Müller — 2 × “box”"), "Muller -- 2 x \"box\"");
    }
}
