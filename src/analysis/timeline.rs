//! The case's dates as one ordered list: order, shipping, delivery, protection end and
//! every attempt to settle with the seller.

use jiff::civil::Date;
use serde::Serialize;

use crate::model::Case;

/// One dated event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub date: String,
    pub event: String,
    /// Where the date comes from: `case.toml` or an exhibit id.
    pub source: String,
}

/// The case's events in date order; events on the same day keep the order of the
/// story (placed, shipped, delivered, contacts, protection end).
pub fn from_case(case: &Case) -> Vec<Event> {
    let mut dated: Vec<(Date, String)> = Vec::new();
    let order = &case.order;
    let shipping = &case.shipping;
    if let Some(date) = order.placed {
        dated.push((date, format!("Order {} placed", order.id)));
    }
    if let Some(date) = shipping.shipped {
        let tracking = if shipping.tracking.is_empty() {
            String::new()
        } else {
            format!(" (tracking {})", shipping.tracking.join(", "))
        };
        dated.push((date, format!("Shipped{tracking}")));
    }
    if let Some(date) = shipping.delivered {
        dated.push((date, "Delivered".to_owned()));
    }
    for contact in &case.contacts {
        dated.push((
            contact.date,
            format!(
                "Contacted the seller ({}): {}",
                contact.channel, contact.summary
            ),
        ));
    }
    if let Some(date) = shipping.protection_ends {
        dated.push((date, "Buyer protection ends".to_owned()));
    }
    // Stable sort: same-day events keep the story order above.
    dated.sort_by_key(|(date, _)| *date);
    dated
        .into_iter()
        .map(|(date, event)| Event {
            date: date.to_string(),
            event,
            source: "case.toml".to_owned(),
        })
        .collect()
}
