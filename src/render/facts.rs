//! The case's structured facts as English: dates, what the buyer asked for, how the
//! seller answered, where the dispute stands, and the sums involved. The statement
//! templates place these sentences; they are built here so that each is true by
//! construction: a sentence exists only when the fields it states exist, and nothing
//! here reads meaning into free text (a buyer's summary is only ever quoted).

use jiff::civil::Date;

use serde::Serialize;

use crate::analysis::language::Foreign;
use crate::analysis::places::{Places, Relation};
use crate::geo::{How, Resolution, gazetteer};
use crate::model::{Answer, Ask, Case, Contact, Party, Platform, Proposal, Reason};

/// "2 October 2026".
pub fn long_date(date: Date) -> String {
    date.strftime("%-d %B %Y").to_string()
}

/// Several dates as one phrase: "29 October 2026", "20 and 25 November 2026",
/// "28 October and 6 November 2026", "2, 6 and 9 November 2026".
pub fn dates_phrase(dates: &[Date]) -> String {
    let mut dates = dates.to_vec();
    dates.sort();
    dates.dedup();
    let Some(last) = dates.last().copied() else {
        return String::new();
    };
    let same_month = dates
        .iter()
        .all(|d| d.year() == last.year() && d.month() == last.month());
    let same_year = dates.iter().all(|d| d.year() == last.year());
    let short: Vec<String> = dates
        .iter()
        .map(|d| {
            if same_month {
                d.strftime("%-d").to_string()
            } else if same_year {
                d.strftime("%-d %B").to_string()
            } else {
                long_date(*d)
            }
        })
        .collect();
    let joined = and_list(&short);
    if same_month {
        format!("{joined} {}", last.strftime("%B %Y"))
    } else if same_year {
        format!("{joined} {}", last.year())
    } else {
        joined
    }
}

pub use crate::text::and_list;

/// "The original file of Exhibit E02 carries Content Credentials signed by Google LLC
/// (Pixel Camera 10.2), which show it was taken on 28 October 2026 and has not been
/// edited since. Upload copies lose them; I can provide the original file on request."
///
/// Only for a credential that checks, whose signer chains to the C2PA trust list,
/// and that records a capture by the device with nothing done to the file since; the
/// date only when a trusted time-stamp gives it. Anything less is told in the report,
/// never in a sentence a reviewer would read as proof. The sentence speaks of the
/// original because a re-encoded upload copy carries no credential: a reviewer who
/// checks the copy must not find the statement wrong.
pub fn credentials_sentence(
    id: &str,
    kind: crate::model::EvidenceKind,
    credentials: &crate::model::ContentCredentials,
    original_attached: bool,
    ordered: Option<Date>,
) -> Option<String> {
    if credentials.status != crate::model::CredentialStatus::Trusted
        || !credentials.captured_and_unedited()
    {
        return None;
    }
    let signed = credentials
        .signed_at
        .as_deref()
        .filter(|_| credentials.signed_at_trusted)
        .and_then(|at| at.parse::<jiff::Timestamp>().ok())
        .map(|at| at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
    // Signed before the order: it cannot show this order's item, and the timeline
    // tells the buyer so; the statement does not put it forward.
    if let (Some(signed), Some(ordered)) = (signed, ordered)
        && signed < ordered.saturating_sub(jiff::Span::new().days(1))
    {
        return None;
    }
    let signer = match (
        &credentials.signer_organization,
        &credentials.claim_generator,
    ) {
        (Some(org), Some(generator)) => format!(" signed by {org} ({generator})"),
        (Some(org), None) => format!(" signed by {org}"),
        (None, _) => String::new(),
    };
    let verb = if kind == crate::model::EvidenceKind::Video {
        "recorded"
    } else {
        "taken"
    };
    let when = signed
        .map(|date| format!(" on {}", long_date(date)))
        .unwrap_or_default();
    let by = if when.is_empty() {
        " by the camera that signed it"
    } else {
        ""
    };
    let (whose, after) = if original_attached {
        (
            format!("The original file of Exhibit {id}, in the attached evidence bundle,"),
            "",
        )
    } else {
        (
            format!("The original file of Exhibit {id}"),
            " Upload copies lose them; I can provide the original file on request.",
        )
    };
    Some(format!(
        "{whose} carries Content Credentials{signer}, which show it was {verb}{when}{by} and has not been edited since.{after}"
    ))
}

/// How a request for tracking reads in this case: the buyer who has a number asks
/// for news of the parcel, not for "a tracking number".
pub fn tracking_noun(case: &Case) -> &'static str {
    if case.reason == Reason::NoTracking {
        "a working tracking number"
    } else if case.shipping.tracking.is_empty() {
        "a tracking number"
    } else {
        "news of the parcel"
    }
}

/// What an ask is, as the object of "asked for": `None` for `other`.
fn ask_noun(ask: Ask, tracking: &'static str) -> Option<&'static str> {
    Some(match ask {
        Ask::Refund => "a refund",
        Ask::PartialRefund => "a partial refund",
        Ask::Replacement => "a replacement",
        Ask::ExtendProtection => "an extension of buyer protection",
        Ask::Tracking => tracking,
        Ask::Ship => "the order to be shipped",
        Ask::Other => return None,
    })
}

/// "a refund and an extension of buyer protection", or `None` when nothing specific
/// was asked.
pub fn asks_phrase(asks: &[Ask], tracking: &'static str) -> Option<String> {
    let mut nouns: Vec<String> = Vec::new();
    for noun in asks.iter().copied().filter_map(|a| ask_noun(a, tracking)) {
        if !nouns.iter().any(|n| n == noun) {
            nouns.push(noun.to_owned());
        }
    }
    (!nouns.is_empty()).then(|| and_list(&nouns))
}

/// What the other side did, after "the seller": "did not answer", "offered 2.00 USD".
fn answer_clause(
    contact: &Contact,
    dispute_open_then: bool,
    tracking: &'static str,
) -> Option<String> {
    // With several things asked, a promise or an agreement is not said to be about
    // any one of them: the buyer did not say which.
    let specific: Vec<Ask> = contact
        .asked
        .iter()
        .copied()
        .filter(|a| ask_noun(*a, tracking).is_some())
        .collect();
    let what = |verb: &str| -> String {
        // A note of the buyer's own may say the promise was about something else.
        match (specific.len() == 1 && contact.summary.is_none()).then(|| specific[0]) {
            Some(Ask::Ship) => format!("{verb} to ship the order"),
            Some(Ask::ExtendProtection) => format!("{verb} to extend buyer protection"),
            Some(ask) => format!(
                "{verb}{} {}",
                if verb == "agreed" { " to" } else { "" },
                ask_noun(ask, tracking).unwrap_or_default()
            ),
            None if verb == "agreed" => "agreed".to_owned(),
            None => "made a promise".to_owned(),
        }
    };
    Some(match contact.answer? {
        Answer::None => "did not answer".to_owned(),
        Answer::Refused => "refused".to_owned(),
        Answer::Offered => match &contact.offer {
            Some(offer) => format!("offered {offer}"),
            None => "made an offer".to_owned(),
        },
        Answer::Promised => what("promised"),
        Answer::AskedToClose if dispute_open_then => "asked me to close the dispute".to_owned(),
        Answer::AskedToClose => "asked me to drop the matter".to_owned(),
        Answer::Agreed => what("agreed"),
    })
}

/// Who a contact was with, as the object of "I contacted".
fn party_name(party: Party, platform: Platform) -> String {
    match party {
        Party::Seller => "the seller".to_owned(),
        Party::Carrier => "the carrier".to_owned(),
        Party::Platform if platform == Platform::Card || platform == Platform::Other => {
            "the marketplace's customer service".to_owned()
        }
        // The statement is read by that platform: "your customer service".
        Party::Platform => "your customer service".to_owned(),
        Party::Bank => "my bank".to_owned(),
    }
}

/// The contacts as the statement tells them.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Negotiation {
    /// One or two sentences, kept in every form: what was asked of the seller, when,
    /// and what the seller did.
    pub outcome: Option<String>,
    /// "My messages with the seller are in Exhibit E04."
    pub messages: Option<String>,
    /// "I could not settle this with the seller.", when that is what the answers say.
    pub unsettled: Option<String>,
    /// Contacts with the carrier, the platform or the bank, one sentence each party.
    pub others: Vec<String>,
    /// Every contact, oldest first, for the detailed list.
    pub items: Vec<String>,
}

/// One step with the seller: what I asked and how the seller answered, on one day,
/// or on several days when the same request went unanswered each time.
struct Step {
    dates: Vec<Date>,
    asks: Vec<Ask>,
    answer: Option<Answer>,
    clause: Option<String>,
    /// The buyer's note, which says what a promise or an agreement was about.
    note: Option<String>,
}

fn steps(
    seller: &[&Contact],
    open_then: impl Fn(&Contact) -> bool,
    tracking: &'static str,
) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for contact in seller {
        if contact.answer == Some(Answer::None)
            && let Some(last) = steps.last_mut()
            && last.answer == Some(Answer::None)
            && last.asks == contact.asked
        {
            last.dates.push(contact.date);
            continue;
        }
        steps.push(Step {
            dates: vec![contact.date],
            asks: contact.asked.clone(),
            answer: contact.answer,
            clause: answer_clause(contact, open_then(contact), tracking),
            note: contact.summary.as_deref().map(one_line),
        });
    }
    steps
}

/// The buyer's note when it says what a promise or an agreement was about (and is in
/// English, so it can be quoted in the outcome).
fn explaining_note(answer: Option<Answer>, note: Option<&str>) -> Option<&str> {
    let note = note?;
    (matches!(answer, Some(Answer::Promised | Answer::Agreed))
        && crate::analysis::language::detect(note).is_none())
    .then_some(note)
}

/// The buyer's note on a contact on one line, without its full stop, marked
/// "(in Russian)" when it is not in English.
fn note_text(summary: &str, foreign: &[Foreign]) -> String {
    let summary = one_line(summary);
    let mut text = summary.trim_end_matches('.').to_owned();
    if let Some(f) = foreign.iter().find(|f| one_line(&f.text) == summary) {
        text.push_str(&format!(" (in {})", f.language));
    }
    text
}

/// "On 30 October 2026 I asked the seller for a refund, and the seller offered 3.00
/// USD." Only what the contact records is said.
fn step_sentence(step: &Step, tracking: &'static str) -> String {
    let when = dates_phrase(&step.dates);
    let asked = asks_phrase(&step.asks, tracking);
    // "made a promise" says nothing without what was promised: the buyer's note
    // (in English) says it.
    let clause = match (
        &step.clause,
        explaining_note(step.answer, step.note.as_deref()),
    ) {
        (Some(clause), Some(note)) => Some(format!(
            "{clause} (my note: \"{}\")",
            note.trim_end_matches('.')
        )),
        (clause, _) => clause.clone(),
    };
    match (asked, step.answer, &clause) {
        (Some(a), Some(Answer::None), _) => {
            format!("On {when} I asked the seller for {a}; the seller did not answer.")
        }
        (Some(a), Some(_), Some(clause)) => {
            format!("On {when} I asked the seller for {a}, and the seller {clause}.")
        }
        (Some(a), _, _) => format!("On {when} I asked the seller for {a}."),
        (None, Some(Answer::None), _) => {
            format!("On {when} I wrote to the seller; the seller did not answer.")
        }
        (None, Some(_), Some(clause)) => format!("On {when} the seller {clause}."),
        (None, _, _) => format!("On {when} I wrote to the seller."),
    }
}

/// Builds the negotiation sentences; `cite` names the messages ("Exhibit E04");
/// `foreign` is the case's fields not in English, for marking the buyer's notes.
pub fn negotiation(case: &Case, cite: Option<&str>, foreign: &[Foreign]) -> Negotiation {
    let mut contacts: Vec<&Contact> = case.contacts.iter().collect();
    contacts.sort_by_key(|c| c.date);
    let open_then = |c: &Contact| case.dispute.opened.is_some_and(|opened| c.date >= opened);
    let seller: Vec<&Contact> = contacts
        .iter()
        .copied()
        .filter(|c| c.with == Party::Seller)
        .collect();
    let mut out = Negotiation::default();

    let tracking = tracking_noun(case);
    if !seller.is_empty() {
        let steps = steps(&seller, open_then, tracking);
        let mut sentences: Vec<String> = Vec::new();
        // What a reviewer acts on is the last few steps; the rest is counted.
        const TOLD: usize = 3;
        if steps.len() > TOLD {
            let earlier: Vec<Date> = steps[..steps.len() - TOLD]
                .iter()
                .flat_map(|s| s.dates.iter().copied())
                .collect();
            sentences.push(format!(
                "Before that I wrote to the seller {} {} between {} and {}.",
                earlier.len(),
                if earlier.len() == 1 { "time" } else { "times" },
                long_date(earlier[0]),
                long_date(earlier[earlier.len() - 1])
            ));
        }
        for step in steps.iter().skip(steps.len().saturating_sub(TOLD)) {
            sentences.push(step_sentence(step, tracking));
        }
        if steps.len() > TOLD {
            // "Before that" reads after the steps it refers to.
            let first = sentences.remove(0);
            sentences.push(first);
        }
        out.outcome = Some(sentences.join(" "));
        // A chat screenshot is cited as the messages, not as any one day's.
        if let Some(cite) = cite {
            out.messages = Some(format!("My messages with the seller are in {cite}."));
        }
        let last = seller.iter().rev().find_map(|c| c.answer);
        let unsettled = matches!(
            last,
            Some(Answer::None | Answer::Refused | Answer::Offered | Answer::AskedToClose)
        );
        if unsettled && case.reason != Reason::RefundNotReceived {
            out.unsettled = Some("I could not settle this with the seller.".to_owned());
        }
    }

    for party in [Party::Carrier, Party::Platform, Party::Bank] {
        let dates: Vec<Date> = contacts
            .iter()
            .filter(|c| c.with == party)
            .map(|c| c.date)
            .collect();
        if !dates.is_empty() {
            let also = if seller.is_empty() && out.others.is_empty() {
                ""
            } else {
                " also"
            };
            out.others.push(format!(
                "I{also} contacted {} on {}.",
                party_name(party, case.platform),
                dates_phrase(&dates)
            ));
        }
    }

    // The buyer's own notes on each contact; the sentences above already say what
    // was asked and answered, and quote a note that explains a promise.
    for contact in contacts.iter().filter(|c| c.summary.is_some()) {
        let summary = contact.summary.as_deref().unwrap_or_default();
        if contact.with == Party::Seller
            && explaining_note(contact.answer, Some(&one_line(summary))).is_some()
        {
            continue;
        }
        let mut line = format!(
            "{}, {}",
            long_date(contact.date),
            party_name(contact.with, case.platform)
        );
        if let Some(channel) = &contact.channel {
            line.push_str(&format!(
                " ({})",
                one_line(channel).replace(['-', '_'], " ")
            ));
        }
        line.push_str(&format!(": {}", note_text(summary, foreign)));
        out.items.push(line);
    }
    out
}

/// One contact without its date: "the seller (aliexpress-chat): I asked for a
/// partial refund; the seller offered 2.00 USD. Sent photos of the crushed box".
pub fn contact_line(case: &Case, contact: &Contact, foreign: &[Foreign]) -> String {
    let open_then = case
        .dispute
        .opened
        .is_some_and(|opened| contact.date >= opened);
    let mut line = party_name(contact.with, case.platform);
    if let Some(channel) = &contact.channel {
        line.push_str(&format!(" ({})", one_line(channel)));
    }
    let mut parts: Vec<String> = Vec::new();
    let tracking = tracking_noun(case);
    if let Some(asked) = asks_phrase(&contact.asked, tracking) {
        parts.push(format!("I asked for {asked}"));
    }
    if contact.with == Party::Seller
        && let Some(clause) = answer_clause(contact, open_then, tracking)
    {
        parts.push(format!("the seller {clause}"));
    }
    if !parts.is_empty() {
        line.push_str(&format!(": {}", parts.join("; ")));
    }
    if let Some(summary) = &contact.summary {
        line.push_str(if parts.is_empty() { ": " } else { ". " });
        line.push_str(&note_text(summary, foreign));
    }
    line
}

/// Text from the buyer on one line: a statement line must not be split by it.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How the statement begins, before the reason: it tells where the dispute stands.
pub fn opening(case: &Case) -> String {
    let d = &case.dispute;
    if case.platform == Platform::Card {
        return match d.opened {
            Some(opened) => format!(
                "I opened this dispute with you on {} because",
                long_date(opened)
            ),
            None => "I dispute this card payment because".to_owned(),
        };
    }
    match (d.opened, d.escalated) {
        (Some(opened), Some(escalated)) => format!(
            "I opened this dispute on {} and escalated it to {} on {} because",
            long_date(opened),
            platform_name(case.platform),
            long_date(escalated)
        ),
        (Some(opened), None) => format!("I opened this dispute on {} because", long_date(opened)),
        (None, Some(escalated)) => format!(
            "I escalated this dispute to {} on {} because",
            platform_name(case.platform),
            long_date(escalated)
        ),
        (None, None) => "I am opening this dispute because".to_owned(),
    }
}

fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Other | Platform::Card => "the platform",
        other => other.display_name(),
    }
}

/// The seller's proposal inside the dispute and the buyer's answer to it: the
/// buyer does not accept a proposal that differs from what they ask for (writing
/// this statement is that answer).
pub fn proposal(case: &Case, asked: Option<crate::model::Resolution>) -> Option<String> {
    use crate::model::Resolution;
    let offer = case.dispute.seller_offer.as_ref();
    let (what, same_as_asked) = match case.dispute.seller_proposal? {
        Proposal::None => return None,
        Proposal::NoReturnNoRefund => ("\"no return, no refund\"".to_owned(), false),
        Proposal::PartialRefund => (
            match offer {
                Some(offer) => format!("a partial refund of {offer}"),
                None => "a partial refund".to_owned(),
            },
            asked == Some(Resolution::PartialRefund)
                && offer.is_some_and(|o| {
                    case.request
                        .as_ref()
                        .and_then(|r| r.amount.as_ref())
                        .is_some_and(|a| a.compare(o) != Some(std::cmp::Ordering::Greater))
                }),
        ),
        Proposal::Replacement => (
            "to send a replacement".to_owned(),
            asked == Some(Resolution::Replacement),
        ),
        Proposal::ReturnAndRefund => (
            "that I return the item for a refund".to_owned(),
            asked == Some(Resolution::ReturnAndRefund),
        ),
    };
    // A request to close the dispute is told with the contacts, once.
    let mut text = format!("In the dispute, the seller proposed {what}");
    if same_as_asked {
        text.push('.');
    } else {
        text.push_str("; I do not accept this proposal.");
    }
    Some(text)
}

/// For missing items: how many arrived, and what the missing ones are worth when the
/// order total splits exactly by the quantity.
pub fn missing_items(case: &Case) -> Option<String> {
    let ordered = case.order.quantity?;
    let arrived = case.received.quantity?;
    if arrived >= ordered {
        return None;
    }
    let missing = ordered - arrived;
    let mut text = if arrived == 0 {
        format!("None of the {ordered} items I ordered arrived.")
    } else {
        format!(
            "Only {arrived} of the {ordered} items I ordered arrived; {missing} {} missing.",
            if missing == 1 { "is" } else { "are" }
        )
    };
    if let Some(total) = &case.order.total
        && let Some(each) = total.divided_exactly(ordered)
        && let Some(worth) = each.times(missing)
    {
        text.push_str(&format!(
            " At {each} each ({total} for {ordered}), the missing {} worth {worth}.",
            if missing == 1 { "item is" } else { "items are" }
        ));
    }
    Some(text)
}

/// The customs charge and the seller's promise about it.
pub fn customs(case: &Case) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(fee) = &case.customs.fee {
        out.push(format!(
            "Customs asks for {fee} before releasing the parcel."
        ));
    }
    if case.customs.seller_promised_to_pay == Some(true) {
        out.push(match &case.customs.fee {
            Some(_) => "The seller promised to pay these charges.".to_owned(),
            None => "The seller promised to pay the customs charges.".to_owned(),
        });
    }
    out
}

/// Where tracking says the parcel was delivered, in words the statement can state:
/// the tracking's own words, the place as the gazetteer reads them, and how that place
/// stands to the town of the buyer's shipping address. The template joins them as
/// "The tracking shows the delivery as "LYON CEDEX 07": Lyon, France, about 395 km
/// from Paris, where my shipping address is."
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    /// The parcel counts as delivered in the case (delivered-not-received): "the
    /// delivery"; otherwise the tracking shows only "the parcel" there.
    pub delivered: bool,
    /// The tracking's words, quoted unless they are the place's own name and at most
    /// its country: a reviewer compares them with the exhibit, and what surrounds the
    /// town ("Packstation 123", "Front Door/Porch", "已签收") is theirs to read. `None`
    /// in a form in English characters when they are in another script, and when the
    /// sentence before already quotes them (`tracking_shows`).
    pub quoted: Option<String>,
    /// "Guangzhou, China", "a parcel locker in Munich, Germany", or "China" when the
    /// words name only a country; `None` when no single place was found, or when the
    /// place is only a guess from the buyer's country (the words name none).
    pub reading: Option<String>,
    /// After the place: "about 10,690 km from Porto, Portugal, where my shipping
    /// address is", "where my shipping address is, but the parcel did not reach me",
    /// "with no country".
    pub tail: Option<String>,
    /// Before a reading that is not quoted: "in Guangzhou, China", "at a carrier's
    /// sorting centre in …".
    pub preposition: &'static str,
    /// A sentence part after a semicolon: "my shipping address is in Lisbon,
    /// Portugal", for the reviewer to compare with words no place was found for.
    pub home: Option<String>,
}

/// The delivery place for the statement, when tracking names one and the reason is
/// one whose statement tells it (the parcel never reached the buyer).
pub fn delivery(case: &Case, places: Option<&Places>) -> Option<Delivery> {
    if !case.reason.delivered_elsewhere() {
        return None;
    }
    let places = places?;
    let delivered = &places.delivered_to;
    // `None` in a form that takes English characters only, when the text is in another
    // script: the place's English name, if found, still stands.
    let written = case.shipping.delivered_to.as_deref().map(one_line);
    // The sentence before quotes the tracking page already when it holds these words.
    let quoted_before = match (&case.shipping.tracking_shows, &written) {
        (Some(shows), Some(written)) => {
            crate::geo::fold::key(shows).contains(&crate::geo::fold::key(written))
        }
        _ => false,
    };
    let home = places.buyer.as_ref().and_then(|b| b.place());
    // The buyer's country, from the town or the code given: "the United States".
    let mine = home
        .map(|h| h.country.as_str())
        .or_else(|| case.buyer.as_ref()?.country.as_deref())
        .and_then(gazetteer::country)
        .map(|c| gazetteer::in_sentence(&c.name));
    let mut delivery = Delivery {
        delivered: case.reason == Reason::DeliveredNotReceived,
        quoted: written.clone().filter(|_| !quoted_before),
        reading: None,
        preposition: "in",
        tail: None,
        home: home.map(|h| format!("my shipping address is in {}", h.name_in_full())),
    };
    match &delivered.resolution {
        Resolution::Found {
            place, how, bare, ..
        } => {
            // Words that are the place's own name add nothing quoted; a choice made
            // from the buyer's country alone quotes them below.
            if *bare {
                delivery.quoted = None;
            }
            if let How::PreferredCountry { .. } = how {
                // The buyer's country was taken only because the words name none: say
                // what is certain, and let the reviewer compare.
                delivery.tail = Some("which names no country".to_owned());
                if places.relation == Some(Relation::SamePlace) {
                    delivery.home = delivery
                        .home
                        .map(|h| format!("{h}, and the parcel did not reach me"));
                }
                if delivery.quoted.is_none() {
                    delivery.quoted = written;
                }
                return delivery.quoted.is_some().then_some(delivery);
            }
            delivery.home = None;
            delivery.reading = Some(match delivered.facility {
                Some(kind) => {
                    delivery.preposition = "at";
                    format!("{} in {}", kind.describe(), place.name_in_full())
                }
                None => place.name_in_full(),
            });
            delivery.tail = match (places.relation, home, &places.distance) {
                (Some(Relation::Near | Relation::Far), Some(home), Some(distance)) => {
                    Some(format!(
                        "{distance} from {}, where my shipping address is",
                        home.name_beside(place)
                    ))
                }
                (Some(Relation::SamePlace), ..) => {
                    Some("where my shipping address is, but the parcel did not reach me".to_owned())
                }
                // The buyer's town is not known for sure, but their country is.
                (Some(Relation::OtherCountry), ..) => mine
                    .as_ref()
                    .map(|mine| format!("not in {mine}, where my shipping address is")),
                _ => None,
            };
        }
        Resolution::CountryOnly { country_name, .. } => {
            delivery.home = None;
            // "CHINA" is said as China; "GUANGDONG, CN" is quoted, then placed.
            let only_the_country = written.as_deref().is_some_and(|w| {
                gazetteer::country_by_key(&crate::geo::fold::key(w))
                    .is_some_and(|c| &c.name == country_name)
            });
            let abroad = places.relation == Some(Relation::OtherCountry);
            if only_the_country {
                delivery.quoted = None;
                delivery.reading = Some(country_name.clone());
                if let (true, Some(mine)) = (abroad, &mine) {
                    delivery.tail = Some(format!("not in {mine}, where my shipping address is"));
                }
            } else if let (true, Some(mine)) = (abroad, &mine) {
                delivery.tail = Some(format!(
                    "in {country_name}, not in {mine}, where my shipping address is"
                ));
            }
        }
        // "DELIVERED" says nothing of where: no sentence.
        Resolution::NoPlace => return None,
        Resolution::Ambiguous { .. }
        | Resolution::NotFound
        | Resolution::SmallPlaceAbroad { .. } => {}
    }
    (delivery.quoted.is_some() || delivery.reading.is_some()).then_some(delivery)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn pixel_capture() -> crate::model::ContentCredentials {
        use crate::model::{ContentCredentials, CredentialAction, CredentialStatus};
        ContentCredentials {
            signer_organization: Some("Google LLC".to_owned()),
            claim_generator: Some("Pixel Camera 10.2".to_owned()),
            signed_at: Some("2026-10-28T14:03:11Z".to_owned()),
            signed_at_trusted: true,
            actions: vec![CredentialAction {
                action: "c2pa.created".to_owned(),
                digital_source_type: Some(
                    "http://cv.iptc.org/newscodes/digitalsourcetype/computationalCapture"
                        .to_owned(),
                ),
                software_agent: None,
            }],
            ..ContentCredentials::with_status(CredentialStatus::Trusted)
        }
    }

    #[test]
    fn only_a_trusted_unedited_capture_gets_a_credentials_sentence() {
        use crate::model::{
            AiUse, CredentialAction, CredentialIngredient, CredentialStatus, EvidenceKind,
        };
        let photo = EvidenceKind::Photo;
        assert_eq!(
            credentials_sentence(
                "E02",
                photo,
                &pixel_capture(),
                false,
                Some(date("2026-10-20"))
            )
            .as_deref(),
            Some(
                "The original file of Exhibit E02 carries Content Credentials signed by Google LLC (Pixel Camera 10.2), which show it was taken on 28 October 2026 and has not been edited since. Upload copies lose them; I can provide the original file on request."
            )
        );
        // A video is recorded; a time-stamp no authority vouches for gives no date.
        let untimed = crate::model::ContentCredentials {
            signed_at_trusted: false,
            ..pixel_capture()
        };
        assert_eq!(
            credentials_sentence("E05", EvidenceKind::Video, &untimed, true, None).as_deref(),
            Some(
                "The original file of Exhibit E05, in the attached evidence bundle, carries Content Credentials signed by Google LLC (Pixel Camera 10.2), which show it was recorded by the camera that signed it and has not been edited since."
            )
        );
        // Signed (by a trusted clock) before the order: it cannot show its item.
        assert_eq!(
            credentials_sentence(
                "E02",
                photo,
                &pixel_capture(),
                false,
                Some(date("2026-11-02"))
            ),
            None
        );
        let mut cases = Vec::new();
        for status in [
            CredentialStatus::Untrusted,
            CredentialStatus::Invalid,
            CredentialStatus::None,
            CredentialStatus::NotChecked,
        ] {
            cases.push(crate::model::ContentCredentials {
                status,
                ..pixel_capture()
            });
        }
        let mut edited = pixel_capture();
        edited.actions.push(CredentialAction {
            action: "c2pa.cropped".to_owned(),
            digital_source_type: None,
            software_agent: Some("Google Photos".to_owned()),
        });
        cases.push(edited);
        cases.push(crate::model::ContentCredentials {
            ai: Some(AiUse::Edited),
            ..pixel_capture()
        });
        let mut from_another = pixel_capture();
        from_another.ingredients.push(CredentialIngredient {
            title: Some("IMG_0001.jpg".to_owned()),
            relationship: "parentOf".to_owned(),
        });
        cases.push(from_another);
        let mut screenshot = pixel_capture();
        screenshot.actions[0].digital_source_type =
            Some("http://cv.iptc.org/newscodes/digitalsourcetype/screenCapture".to_owned());
        cases.push(screenshot);
        for credentials in &cases {
            assert_eq!(
                credentials_sentence("E02", photo, credentials, false, None),
                None,
                "{credentials:?}"
            );
        }
    }

    #[test]
    fn dates_read_as_one_phrase() {
        assert_eq!(dates_phrase(&[date("2026-10-29")]), "29 October 2026");
        assert_eq!(
            dates_phrase(&[date("2026-11-25"), date("2026-11-20")]),
            "20 and 25 November 2026"
        );
        assert_eq!(
            dates_phrase(&[date("2026-10-28"), date("2026-11-06")]),
            "28 October and 6 November 2026"
        );
        assert_eq!(
            dates_phrase(&[date("2025-12-28"), date("2026-01-03"), date("2026-01-03")]),
            "28 December 2025 and 3 January 2026"
        );
        assert_eq!(
            dates_phrase(&[date("2026-11-02"), date("2026-11-06"), date("2026-11-09")]),
            "2, 6 and 9 November 2026"
        );
    }

    #[test]
    fn asks_are_named_once_and_other_is_not_named() {
        use Ask::*;
        assert_eq!(
            asks_phrase(&[Refund, ExtendProtection, Refund, Other], "news").unwrap(),
            "a refund and an extension of buyer protection"
        );
        assert_eq!(asks_phrase(&[Other], "news"), None);
    }
}
