//! The timeline: the case's own dates (order, shipping, delivery, contacts, protection
//! end) and every exhibit's capture time in one ordered list, with the contradictions
//! a claims reviewer would spot flagged before they do.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use serde::Serialize;

use crate::model::{Case, CredentialStatus, EvidenceKind, Exhibit};

/// One dated event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// A date (`2026-10-28`) or a capture time as the exhibit states it.
    pub date: String,
    pub event: String,
    /// Where the date comes from: `case.toml`, or `E03 (exif:DateTimeOriginal)`.
    pub source: String,
}

/// The timeline and what looks wrong in it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timeline {
    pub events: Vec<Event>,
    pub warnings: Vec<String>,
}

/// Builds the timeline of a case, its exhibits and the bundle time.
pub fn build(case: &Case, exhibits: &[Exhibit], created_at: Timestamp) -> Timeline {
    // (sort key, order of the story on the same day, event)
    let mut dated: Vec<(DateTime, usize, Event)> = Vec::new();
    let mut case_event = |date: Date, rank: usize, event: String| {
        dated.push((
            date.to_datetime(jiff::civil::Time::midnight()),
            rank,
            Event {
                date: date.to_string(),
                event,
                source: "case.toml".to_owned(),
            },
        ));
    };
    let order = &case.order;
    let shipping = &case.shipping;
    if let Some(date) = order.placed {
        case_event(date, 0, format!("Order {} placed", order.id));
    }
    if let Some(date) = shipping.shipped {
        let tracking = if shipping.tracking.is_empty() {
            String::new()
        } else {
            format!(" (tracking {})", shipping.tracking.join(", "))
        };
        case_event(date, 1, format!("Shipped{tracking}"));
    }
    if let Some(date) = shipping.expected_by {
        case_event(date, 2, "Latest promised delivery date".to_owned());
    }
    if let Some(date) = shipping.delivered {
        case_event(date, 2, "Delivered".to_owned());
    }
    if let Some(date) = shipping.marked_delivered {
        let place = shipping
            .delivered_to
            .as_deref()
            .map(|place| format!(" at \u{201c}{}\u{201d}", super::facts::one_line(place)))
            .unwrap_or_default();
        case_event(
            date,
            2,
            format!("Tracking shows the parcel as delivered{place} (the buyer did not receive it)"),
        );
    }
    if let Some(date) = case.dispute.opened {
        case_event(date, 4, "Dispute opened".to_owned());
    }
    if let Some(date) = case.dispute.escalated {
        case_event(date, 4, "Dispute escalated to the platform".to_owned());
    }
    let foreign = crate::analysis::language::foreign_fields(case);
    for contact in &case.contacts {
        let line = super::facts::contact_line(case, contact, &foreign);
        case_event(contact.date, 4, format!("Contact with {line}"));
    }
    if let Some(date) = shipping.protection_ends {
        case_event(date, 5, "Buyer protection ends".to_owned());
    }

    let mut warnings = Vec::new();
    let bundle_day = created_at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    for exhibit in exhibits {
        if let Some((signed, event)) = signed_event(exhibit) {
            warnings.extend(signed_time_warning(exhibit, signed, created_at));
            dated.push((
                signed.to_zoned_datetime(jiff::tz::TimeZone::UTC).datetime(),
                3,
                event,
            ));
        }
        let (Some(time), Some(source)) = (
            exhibit.capture.captured_at,
            exhibit.capture.captured_at_source,
        ) else {
            continue;
        };
        let what = exhibit
            .caption
            .clone()
            .unwrap_or_else(|| exhibit.source_name.clone());
        let verb = if source == crate::model::TimeSource::FileModified {
            "file last modified"
        } else {
            "captured"
        };
        dated.push((
            time.local,
            3,
            Event {
                date: time.to_string(),
                event: format!("{} {} {verb}: {what}", exhibit.id, exhibit.kind),
                source: format!("{} ({source})", exhibit.id),
            },
        ));
        let in_hand = matches!(exhibit.kind, EvidenceKind::Photo | EvidenceKind::Video);
        let long_before_order = case.order.placed.filter(|placed| {
            in_hand
                && source != crate::model::TimeSource::FileModified
                && time.local.date() < placed.saturating_sub(jiff::Span::new().days(30))
        });
        if let Some(placed) = long_before_order {
            // A clock reset to its factory date, or a file from another purchase:
            // either way it cannot show this order's item.
            warnings.push(format!(
                "{} was captured on {}, {} before the order ({placed}): it cannot show the item of this order; check the camera clock, or whether it is the right file",
                exhibit.id,
                time.local.date(),
                how_long(time.local.date(), placed)
            ));
        } else if let Some(delivered) = shipping.delivered
            && case.reason.item_in_hand()
            && in_hand
            && source != crate::model::TimeSource::FileModified
            && time.local.date() < delivered
        {
            warnings.push(format!(
                "{} was captured on {}, before the delivery date {delivered} in case.toml; a reviewer will ask how the item was photographed before it arrived (check the camera clock or the delivery date)",
                exhibit.id,
                time.local.date()
            ));
        }
        let after_bundle = match time.instant() {
            Some(instant) => instant > created_at,
            // Without an offset the local time may be up to 14 hours off UTC.
            None => time.local.date() > bundle_day,
        };
        if after_bundle {
            warnings.push(format!(
                "{} is dated {time}, after the bundle was made ({created_at}); the device clock or the bundle time is wrong",
                exhibit.id
            ));
        }
        if time.offset.is_none() && source != crate::model::TimeSource::FileModified {
            warnings.push(format!(
                "{}'s capture time {time} has no time zone: the device did not record one, so it is the device's local time",
                exhibit.id
            ));
        }
    }
    dated.sort_by_key(|(at, rank, _)| (at.date(), *rank, *at));
    Timeline {
        events: dated.into_iter().map(|(_, _, event)| event).collect(),
        warnings,
    }
}

/// The time a photo's or video's Content Credentials were signed, as an event.
fn signed_event(exhibit: &Exhibit) -> Option<(Timestamp, Event)> {
    let credentials = exhibit.content_credentials.as_ref()?;
    let signed: Timestamp = credentials.signed_at.as_deref()?.parse().ok()?;
    let how = match credentials.status {
        CredentialStatus::Trusted if credentials.signed_at_trusted => "trusted time-stamp",
        CredentialStatus::Trusted | CredentialStatus::Untrusted => {
            "time-stamp authority not verified"
        }
        _ => "credentials that do not check",
    };
    Some((
        signed,
        Event {
            date: signed.to_string(),
            event: format!(
                "{} {} signed with Content Credentials ({how})",
                exhibit.id, exhibit.kind
            ),
            source: format!("{} (C2PA time-stamp)", exhibit.id),
        },
    ))
}

/// Signing happens when the device saves the file: minutes after the capture time
/// at most. Further apart, one of the two clocks, or the file, is not what it seems.
const SIGNED_APART_SECONDS: i64 = 3600;

/// When a credential's signed time disagrees with the capture time the file records,
/// or is after the bundle was made.
fn signed_time_warning(exhibit: &Exhibit, signed: Timestamp, created_at: Timestamp) -> Vec<String> {
    let mut warnings = Vec::new();
    if signed > created_at {
        warnings.push(format!(
            "{}'s Content Credentials were signed at {signed}, after the bundle was made ({created_at}); the bundle time is wrong",
            exhibit.id
        ));
    }
    let (Some(time), Some(source)) = (
        exhibit.capture.captured_at,
        exhibit.capture.captured_at_source,
    ) else {
        return warnings;
    };
    if source == crate::model::TimeSource::FileModified {
        return warnings;
    }
    let apart = match time.instant() {
        Some(instant) => (signed.as_second() - instant.as_second()).abs() > SIGNED_APART_SECONDS,
        // A local time without an offset is within 14 hours of UTC either way.
        None => {
            let signed_utc = signed.to_zoned_datetime(jiff::tz::TimeZone::UTC).datetime();
            signed_utc.duration_since(time.local).as_secs().abs() > SIGNED_APART_SECONDS + 14 * 3600
        }
    };
    if apart {
        warnings.push(format!(
            "{}'s Content Credentials were signed at {signed}, but its {source} says {time}: a device signs when it saves the file, so it was signed later (by an editor or an app) or a clock is wrong",
            exhibit.id
        ));
    }
    warnings
}

/// "3 years", "5 months", "40 days": how long before `later` `earlier` is.
fn how_long(earlier: jiff::civil::Date, later: jiff::civil::Date) -> String {
    let days = (later - earlier).get_days();
    let plural = |n: i32, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if days >= 365 * 2 {
        plural(days / 365, "year")
    } else if days >= 60 {
        plural(days / 30, "month")
    } else {
        plural(days, "day")
    }
}
