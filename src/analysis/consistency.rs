//! Consistency checks: mistakes in the case that a platform's reviewer would catch
//! and hold against the buyer, caught first. Each finding names the case.toml field
//! to fix. Nothing here changes the case; the buyer decides.

use std::cmp::Ordering;

use jiff::civil::Date;
use serde::Serialize;

use crate::model::{Case, Reason, Resolution};

/// One problem found in the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// The case.toml field it is about.
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The claim contradicts itself or asks for something impossible.
    Error,
    /// Likely to weaken the claim.
    Warning,
    /// A fact the statement would state if it were given: for the buyer, not the
    /// reviewer (the report leaves notes out).
    Note,
}

/// Checks the case against itself and against today.
pub fn check(case: &Case, today: Date) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut add = |severity, field: &str, message: String| {
        findings.push(Finding {
            severity,
            field: field.to_owned(),
            message,
        })
    };
    let reason = case.reason;
    let shipping = &case.shipping;

    if case.request.as_ref().and_then(|r| r.resolution).is_none() {
        add(
            Severity::Warning,
            "request.resolution",
            "is not set, so the statement asks for nothing; set refund-only, partial-refund, return-and-refund or replacement (and amount for a partial refund)".to_owned(),
        );
    }
    if let Some(request) = &case.request {
        if let (Some(asked), Some(total)) = (&request.amount, &case.order.total) {
            match asked.compare(total) {
                Some(Ordering::Greater) => add(
                    Severity::Error,
                    "request.amount",
                    format!(
                        "asks for {asked}, more than the order total of {total}: a platform refunds at most what you paid"
                    ),
                ),
                None => add(
                    Severity::Warning,
                    "request.amount",
                    format!(
                        "is in {} but the order total is in {}: state the refund in the currency you paid",
                        asked.currency.code(),
                        total.currency.code()
                    ),
                ),
                _ => {}
            }
        }
        if request.resolution == Some(Resolution::PartialRefund) {
            match (&request.amount, &case.order.total) {
                (None, _) => add(
                    Severity::Error,
                    "request.amount",
                    "is missing: a partial refund needs the amount you ask for, like amount = \"10.00 USD\"".to_owned(),
                ),
                (Some(asked), Some(total))
                    if asked.compare(total) == Some(Ordering::Equal) =>
                {
                    add(
                        Severity::Warning,
                        "request.resolution",
                        format!(
                            "is partial-refund, but {asked} is the whole order total: use refund-only for a full refund"
                        ),
                    )
                }
                _ => {}
            }
        }
        // Missing items: a partial refund above what the missing ones cost reads as
        // asking for more than was lost.
        if reason == Reason::MissingItems
            && request.resolution == Some(Resolution::PartialRefund)
            && let (Some(asked), Some(total), Some(ordered), Some(arrived)) = (
                &request.amount,
                &case.order.total,
                case.order.quantity,
                case.received.quantity,
            )
            && arrived < ordered
            && let Some(each) = total.divided_exactly(ordered)
            && let Some(worth) = each.times(ordered - arrived)
            && asked.compare(&worth) == Some(Ordering::Greater)
        {
            add(
                Severity::Warning,
                "request.amount",
                format!(
                    "asks for {asked}, but the {} missing item{} cost {worth} ({each} each): a reviewer reads that as asking for more than you lost; ask for {worth}, or say in a contact summary why more is due",
                    ordered - arrived,
                    if ordered - arrived == 1 { "" } else { "s" }
                ),
            );
        }
    }

    if reason.item_in_hand() && shipping.delivered.is_none() {
        add(
            Severity::Warning,
            "shipping.delivered",
            format!(
                "is missing: the reason {reason} means the parcel reached you; add the day it arrived"
            ),
        );
    }
    if reason.parcel_not_in_hand()
        && let Some(delivered) = shipping.delivered
    {
        let hint = if reason == Reason::DeliveredNotReceived {
            "; put the date tracking claims in shipping.marked_delivered instead"
        } else {
            ""
        };
        add(
            Severity::Error,
            "shipping.delivered",
            format!(
                "says the parcel reached you on {delivered}, but the reason {reason} says it did not{hint}"
            ),
        );
    }
    if reason == Reason::DeliveredNotReceived && shipping.marked_delivered.is_none() {
        add(
            Severity::Warning,
            "shipping.marked_delivered",
            "is missing: add the date tracking shows the parcel as delivered".to_owned(),
        );
    }
    if reason == Reason::NotShipped && shipping.shipped.is_some() {
        add(
            Severity::Error,
            "shipping.shipped",
            "gives a shipping date, but the reason not-shipped says the seller never shipped"
                .to_owned(),
        );
    }
    if matches!(reason, Reason::NoTracking | Reason::DeliveredNotReceived)
        && shipping.tracking.is_empty()
    {
        add(
            Severity::Warning,
            "shipping.tracking",
            format!("is empty: the reason {reason} is about the tracking number; add it"),
        );
    }

    // Only for a parcel that never came and no dispute yet: with the item in hand
    // the platforms count from delivery or allow days after protection ends, and
    // check's deadlines say so.
    if let Some(ends) = shipping.protection_ends
        && ends < today
        && reason.parcel_not_in_hand()
        && case.dispute.opened.is_none()
    {
        add(
            Severity::Warning,
            "shipping.protection_ends",
            format!(
                "buyer protection ended on {ends}: the platform may refuse a new dispute; check the order page, and file with your card issuer if it does"
            ),
        );
    }

    // Dates out of order are typing mistakes a reviewer would notice.
    let order_of_events: [(&str, Option<Date>); 4] = [
        ("order.placed", case.order.placed),
        ("shipping.shipped", shipping.shipped),
        ("shipping.delivered", shipping.delivered),
        ("shipping.marked_delivered", shipping.marked_delivered),
    ];
    for (i, (field, date)) in order_of_events.iter().enumerate() {
        let Some(date) = date else { continue };
        if let Some((earlier_field, earlier)) = order_of_events[..i]
            .iter()
            .filter_map(|(f, d)| d.map(|d| (f, d)))
            .find(|(_, d)| d > date)
        {
            add(
                Severity::Error,
                field,
                format!("({date}) is before {earlier_field} ({earlier})"),
            );
        }
        if *date > today {
            add(
                Severity::Error,
                field,
                format!("({date}) is in the future (today is {today})"),
            );
        }
    }
    for (n, contact) in case.contacts.iter().enumerate() {
        if let Some(placed) = case.order.placed
            && contact.date < placed
        {
            add(
                Severity::Error,
                &format!("contact[{}].date", n + 1),
                format!(
                    "({}) is before the order was placed ({placed})",
                    contact.date
                ),
            );
        }
        if contact.date > today {
            add(
                Severity::Error,
                &format!("contact[{}].date", n + 1),
                format!("({}) is in the future (today is {today})", contact.date),
            );
        }
    }
    facts_the_statement_needs(case, &mut add);
    findings.sort_by_key(|f| f.severity);
    findings
}

/// Facts the statement would state if they were given, and facts that point to
/// another reason. A reason is suggested only from structured fields, never from
/// words in free text ("missing mail search" is no sign of missing items).
fn facts_the_statement_needs(case: &Case, add: &mut impl FnMut(Severity, &str, String)) {
    let reason = case.reason;
    let received = &case.received;
    let gave_received = received.problem.is_some()
        || received.listing_says.is_some()
        || received.actual.is_some()
        || received.quantity.is_some();
    if reason.parcel_not_in_hand() && gave_received {
        add(
            Severity::Warning,
            "received",
            format!(
                "describes what arrived, but the reason {reason} says nothing did; the statement leaves it out"
            ),
        );
    }
    if let (Some(ordered), Some(arrived)) = (case.order.quantity, received.quantity) {
        if arrived > ordered {
            add(
                Severity::Error,
                "received.quantity",
                format!("is {arrived}, more than the {ordered} of order.quantity"),
            );
        } else if arrived < ordered && reason != Reason::MissingItems && reason.item_in_hand() {
            add(
                Severity::Warning,
                "received.quantity",
                format!(
                    "says {arrived} of the {ordered} items arrived: if that is the problem, the reason missing-items states it"
                ),
            );
        }
    }
    let missing = |field: &str, what: &str| (field.to_owned(), what.to_owned());
    let wanted: Vec<(String, String)> = match reason {
        Reason::Damaged | Reason::Defective | Reason::EmptyPackage
            if received.problem.is_none() =>
        {
            vec![missing(
                "received.problem",
                "say in one English sentence what is wrong (\"The lamp base is cracked right through.\"); the statement then states it",
            )]
        }
        Reason::NotAsDescribed | Reason::WrongItem | Reason::Counterfeit
            if received.listing_says.is_none() || received.actual.is_none() =>
        {
            vec![missing(
                if received.listing_says.is_none() {
                    "received.listing_says"
                } else {
                    "received.actual"
                },
                "write what the listing promised and what arrived (listing_says = \"Size L\", actual = \"Size M\"); the statement then states the difference",
            )]
        }
        Reason::MissingItems if received.quantity.is_none() || case.order.quantity.is_none() => {
            vec![missing(
                if case.order.quantity.is_none() {
                    "order.quantity"
                } else {
                    "received.quantity"
                },
                "give how many you ordered and how many arrived; the statement then states what is missing and what it is worth",
            )]
        }
        Reason::CustomsHeld if case.customs.fee.is_none() => vec![missing(
            "customs.fee",
            "give the charge customs asks for (\"142.17 BRL\"), and customs.seller_promised_to_pay if the seller said they would pay it",
        )],
        Reason::ReturnedToSender if case.shipping.return_reason.is_none() => vec![missing(
            "shipping.return_reason",
            "copy the reason the tracking gives for the return (\"storage period expired\"); the statement quotes it",
        )],
        _ => Vec::new(),
    };
    for (field, what) in wanted {
        add(Severity::Note, &field, format!("is missing: {what}"));
    }
    let seller_contacts = case
        .contacts
        .iter()
        .filter(|c| c.with == crate::model::Party::Seller)
        .count();
    if seller_contacts == 0 && case.platform != crate::model::Platform::Card {
        add(
            Severity::Note,
            "contact",
            "has no contact with the seller: platforms expect you to have asked the seller first; add a [[contact]] for each message, with what you asked and how the seller answered".to_owned(),
        );
    }
    if case.request.as_ref().and_then(|r| r.resolution) == Some(Resolution::PartialRefund) {
        add(
            Severity::Note,
            "request.amount",
            "a reviewer asks how a partial amount was reached: attach what it rests on (a repair quote, the price of the missing parts) and mention it in a [[contact]] summary".to_owned(),
        );
    }
    // Visa 13.3 (not as described, defective, damaged) asks for the return; 13.4,
    // counterfeit, does not.
    if case.platform == crate::model::Platform::Card
        && reason.item_in_hand()
        && reason != crate::model::Reason::Counterfeit
        && !matches!(
            case.request.as_ref().and_then(|r| r.resolution),
            Some(Resolution::ReturnAndRefund)
        )
    {
        add(
            Severity::Note,
            "request.resolution",
            "for an item you keep, banks under Visa 13.3 usually expect that you returned or tried to return it: ask your bank before you file".to_owned(),
        );
    }
    for (n, contact) in case.contacts.iter().enumerate() {
        if contact.with == crate::model::Party::Seller && contact.answer.is_none() {
            add(
                Severity::Note,
                &format!("contact[{}].answer", n + 1),
                "is missing: say how the seller answered (none, refused, offered, promised, asked-to-close or agreed), so the statement can state it".to_owned(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::case_file;

    fn findings(toml: &str, today: &str) -> Vec<Finding> {
        let case = case_file::parse(std::path::Path::new("case.toml"), toml.as_bytes().to_vec())
            .unwrap()
            .case;
        // Notes are hints for the buyer, tested on their own below.
        check(&case, today.parse().unwrap())
            .into_iter()
            .filter(|f| f.severity != Severity::Note)
            .collect()
    }

    #[test]
    fn facts_the_statement_would_state_are_noted() {
        let case = case_file::parse(
            std::path::Path::new("case.toml"),
            (BASE.replace("REASON", "damaged")
                + "[shipping]\ndelivered = 2026-10-20\n[[contact]]\ndate = 2026-10-21\n")
                .into_bytes(),
        )
        .unwrap()
        .case;
        let notes: Vec<String> = check(&case, "2026-11-01".parse().unwrap())
            .into_iter()
            .filter(|f| f.severity == Severity::Note)
            .map(|f| f.field)
            .collect();
        assert_eq!(notes, ["received.problem", "contact[1].answer"]);
    }

    const BASE: &str = "platform = \"aliexpress\"\nreason = \"REASON\"\n[order]\nid = \"1\"\nplaced = 2026-10-01\ntotal = \"20.00 USD\"\n";

    #[test]
    fn a_consistent_case_has_no_findings() {
        let toml = BASE.replace("REASON", "damaged")
            + "[shipping]\nshipped = 2026-10-03\ndelivered = 2026-10-20\n[received]\nproblem = \"The lid is cracked.\"\n[request]\nresolution = \"partial-refund\"\namount = \"5.00 USD\"\n";
        assert_eq!(findings(&toml, "2026-11-01"), vec![]);
    }

    #[test]
    fn a_partial_refund_above_what_the_missing_items_cost_is_flagged() {
        let case = |amount: &str| {
            BASE.replace("REASON", "missing-items")
                .replace("[order]\n", "[order]\nquantity = 5\n")
                + &format!(
                    "[shipping]\ndelivered = 2026-10-20\n[received]\nquantity = 3\n[request]\nresolution = \"partial-refund\"\namount = \"{amount}\"\n"
                )
        };
        let flagged = |amount: &str| {
            findings(&case(amount), "2026-11-01")
                .into_iter()
                .find(|f| f.field == "request.amount")
                .map(|f| f.message)
        };
        assert_eq!(
            flagged("12.00 USD").as_deref(),
            Some(
                "asks for 12.00 USD, but the 2 missing items cost 8.00 USD (4.00 USD each): a reviewer reads that as asking for more than you lost; ask for 8.00 USD, or say in a contact summary why more is due"
            )
        );
        assert_eq!(flagged("8.00 USD"), None);
    }

    /// What a damaged case states about the damage, so other findings stand alone.
    const PROBLEM: &str = "[received]\nproblem = \"The lid is cracked.\"\n";

    #[test]
    fn each_mistake_names_its_field() {
        let fields = |toml: String, today| -> Vec<String> {
            findings(&toml, today)
                .into_iter()
                .map(|f| f.field)
                .collect()
        };
        // Delivered-not-received with a real delivery date: use marked_delivered.
        let toml = BASE.replace("REASON", "delivered-not-received")
            + "[shipping]\ntracking = [\"X\"]\ndelivered = 2026-10-20\n[request]\nresolution = \"refund-only\"\n";
        let found = findings(&toml, "2026-11-01");
        assert!(
            found
                .iter()
                .any(|f| f.field == "shipping.delivered" && f.message.contains("marked_delivered")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|f| f.field == "shipping.marked_delivered"),
            "{found:?}"
        );
        // Not shipped, yet a shipping date.
        let toml = BASE.replace("REASON", "not-shipped")
            + "[shipping]\nshipped = 2026-10-03\n[request]\nresolution = \"refund-only\"\n";
        assert_eq!(fields(toml, "2026-11-01"), ["shipping.shipped"]);
        // A partial refund of the whole total is not partial.
        let toml = BASE.replace("REASON", "damaged")
            + PROBLEM
            + "[shipping]\ndelivered = 2026-10-20\n[request]\nresolution = \"partial-refund\"\namount = \"20 USD\"\n";
        assert_eq!(fields(toml, "2026-11-01"), ["request.resolution"]);
        // Another currency than the one paid.
        let toml = BASE.replace("REASON", "damaged")
            + PROBLEM
            + "[shipping]\ndelivered = 2026-10-20\n[request]\nresolution = \"refund-only\"\namount = \"20 EUR\"\n";
        assert_eq!(fields(toml, "2026-11-01"), ["request.amount"]);
        // No request at all: the statement's default is said aloud.
        let toml =
            BASE.replace("REASON", "damaged") + PROBLEM + "[shipping]\ndelivered = 2026-10-20\n";
        assert_eq!(fields(toml, "2026-11-01"), ["request.resolution"]);
        // Dates in the future, and a contact before the order.
        let toml = BASE.replace("REASON", "damaged")
            + PROBLEM
            + "[shipping]\ndelivered = 2026-12-20\n[request]\nresolution = \"refund-only\"\n[[contact]]\ndate = 2026-09-01\nchannel = \"chat\"\nsummary = \"x\"\n";
        assert_eq!(
            fields(toml, "2026-11-01"),
            ["shipping.delivered", "contact[1].date"]
        );
    }
}
