//! Deadlines: the platform's time windows (from its profile) applied to the case's
//! dates, counted from a given "today".
//!
//! A window whose starting date the case does not give is reported as unknown, with
//! the case.toml field that would settle it: a made-up deadline is worse than none.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::Serialize;

use crate::model::Case;
use crate::model::{Answer, Party};
use crate::profile::{Actor, Anchor, Bound, Pick, Profile};

/// Fewer days left than this is urgent.
pub const URGENT_DAYS: i64 = 5;

/// One window applied to the case.
#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    pub id: String,
    pub what: String,
    /// First day it is possible, when the window has a start.
    pub opens: Option<String>,
    /// Last day it is possible, when the window has an end.
    pub closes: Option<String>,
    /// Days from today to `closes` (negative once past).
    pub days_left: Option<i64>,
    /// Days from today to `opens`, while it is still ahead.
    pub days_until_open: Option<i64>,
    pub status: Status,
    /// How the dates were counted: "15 days after the end of buyer protection (2026-12-01)".
    pub basis: Vec<String>,
    /// case.toml fields that would date it, when it could not be dated.
    pub needs: Vec<&'static str>,
    pub source: String,
    pub note: Option<String>,
    /// Whose time it is; the seller's windows are shown without alarm.
    pub actor: Actor,
    /// What the buyer may do once it has closed.
    pub after_close: Option<String>,
    /// For the seller's time to answer in the dispute: the day the seller last
    /// answered since the dispute opened.
    pub answered: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Not possible yet.
    NotYet,
    Open,
    /// Open, fewer than [`URGENT_DAYS`] left.
    Urgent,
    Closed,
    /// The case lacks the date it counts from.
    Unknown,
}

fn anchor_date(case: &Case, anchor: Anchor) -> Option<Date> {
    match anchor {
        Anchor::Placed => case.order.placed,
        Anchor::Shipped => case.shipping.shipped,
        Anchor::ExpectedBy => case.shipping.expected_by,
        Anchor::Delivered => case.shipping.delivered,
        Anchor::MarkedDelivered => case.shipping.marked_delivered,
        Anchor::ProtectionEnds => case.shipping.protection_ends,
        Anchor::Opened => case.dispute.opened,
        Anchor::FirstContact => case.contacts.iter().map(|c| c.date).min(),
    }
}

/// Adds Monday-to-Friday days.
fn add_business_days(mut date: Date, days: u32) -> Option<Date> {
    let mut left = days;
    while left > 0 {
        date = date.checked_add(1.day()).ok()?;
        if !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    Some(date)
}

/// The date a bound falls on, and the words for how it was counted; or the fields
/// that are missing.
fn resolve(case: &Case, bound: &Bound) -> Result<(Date, String), Vec<&'static str>> {
    let known: Vec<(Anchor, Date)> = bound
        .after
        .iter()
        .filter_map(|&a| anchor_date(case, a).map(|d| (a, d)))
        .collect();
    let chosen = match bound.pick {
        Pick::First => known.first().copied(),
        Pick::Earliest => known.iter().copied().min_by_key(|(_, d)| *d),
        Pick::Latest => known.iter().copied().max_by_key(|(_, d)| *d),
    };
    let Some((anchor, start)) = chosen else {
        return Err(bound.after.iter().map(|a| a.field()).collect());
    };
    let date = start
        .checked_add((bound.days as i64).days())
        .ok()
        .and_then(|d| add_business_days(d, bound.business_days))
        .ok_or_else(|| vec![anchor.field()])?;
    let amount = match (bound.days, bound.business_days) {
        (0, 0) => "on".to_owned(),
        (d, 0) => format!("{d} day{} after", if d == 1 { "" } else { "s" }),
        (0, b) => format!("{b} business day{} after", if b == 1 { "" } else { "s" }),
        (d, b) => format!("{d} days and {b} business days after"),
    };
    Ok((date, format!("{amount} {} ({start})", anchor.describe())))
}

/// Applies every window of the profile that concerns this case.
pub fn compute(case: &Case, profile: &Profile, today: Date) -> Vec<Deadline> {
    let mut out = Vec::new();
    for window in profile
        .windows
        .iter()
        .filter(|w| w.applies.matches(case.reason))
    {
        let mut basis = Vec::new();
        let mut needs = Vec::new();
        let mut date_of = |bound: &Option<Bound>| match bound {
            None => None,
            Some(bound) => match resolve(case, bound) {
                Ok((date, words)) => {
                    basis.push(words);
                    Some(date)
                }
                Err(fields) => {
                    needs.extend(fields);
                    None
                }
            },
        };
        let opens = date_of(&window.opens);
        let closes = date_of(&window.closes);
        let days = |date: Date| (date - today).get_days() as i64;
        let days_left = closes.map(days);
        let days_until_open = opens.map(days).filter(|&n| n > 0);
        let seller = window.actor == Actor::Seller;
        let status = match (opens, closes) {
            (_, Some(c)) if today > c => Status::Closed,
            (Some(o), _) if today < o => Status::NotYet,
            // The seller's deadline is never the buyer's emergency.
            (_, Some(_)) if !seller && days_left.is_some_and(|n| n < URGENT_DAYS) => Status::Urgent,
            (Some(_), _) | (_, Some(_)) => Status::Open,
            (None, None) => Status::Unknown,
        };
        out.push(Deadline {
            id: window.id.clone(),
            what: window.what.clone(),
            opens: opens.map(|d| d.to_string()),
            closes: closes.map(|d| d.to_string()),
            days_left,
            days_until_open,
            status,
            basis,
            needs,
            source: window.source.clone(),
            note: window.note.clone(),
            actor: window.actor,
            after_close: window.after_close.clone(),
            answered: seller
                .then(|| {
                    case.contacts
                        .iter()
                        .filter(|c| {
                            c.with == Party::Seller
                                && c.answer.is_some_and(|a| a != Answer::None)
                                && case.dispute.opened.is_some_and(|o| c.date >= o)
                        })
                        .map(|c| c.date.to_string())
                        .max()
                })
                .flatten(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_days_skip_weekends() {
        // Friday 2026-11-20 + 3 business days = Wednesday 2026-11-25.
        let friday: Date = "2026-11-20".parse().unwrap();
        assert_eq!(
            add_business_days(friday, 3).unwrap().to_string(),
            "2026-11-25"
        );
        assert_eq!(add_business_days(friday, 0).unwrap(), friday);
    }

    #[test]
    fn an_ebay_seller_window_counts_business_days_from_the_opening() {
        let templates = crate::templates::Templates::builtin();
        let profile = Profile::load(&templates, crate::model::Platform::Ebay).unwrap();
        let toml = "platform = \"ebay\"\nreason = \"not-received\"\n[order]\nid = \"1\"\n[shipping]\nexpected_by = 2026-11-01\n[dispute]\nopened = 2026-11-20\n";
        let case =
            crate::intake::case_file::parse(std::path::Path::new("c"), toml.as_bytes().to_vec())
                .unwrap()
                .case;
        let today: Date = "2026-11-23".parse().unwrap();
        let all = compute(&case, &profile, today);
        let seller = all.iter().find(|d| d.id == "seller-response").unwrap();
        assert_eq!(seller.opens.as_deref(), Some("2026-11-25"));
        assert_eq!(seller.status, Status::NotYet);
        assert_eq!(seller.days_until_open, Some(2));
        let report = all.iter().find(|d| d.id == "report-latest").unwrap();
        assert_eq!(
            report.closes.as_deref(),
            Some("2026-12-01"),
            "30 days after the promised date"
        );
        assert_eq!(report.days_left, Some(8));
        assert_eq!(
            report.basis,
            ["30 days after the latest promised delivery date (2026-11-01)"]
        );
    }
}
