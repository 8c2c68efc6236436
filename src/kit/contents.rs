//! The exhibit book's contents, from the bundle's own files and the kit's pictures,
//! and the book rendered to fit the platform's caps.

use std::collections::BTreeMap;

use super::manifest::Manifest;
use super::{KitError, book};
use crate::analysis::places::{Located, Places};
use crate::analysis::upload::{Limits, MAX_TEXT_BYTES};
use crate::layout;
use crate::profile::Profile;
use crate::verify::VerifiedBundle;

/// The book as made, and what the buyer should know about it.
pub struct BookNotes {
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub warnings: Vec<String>,
}

/// The book's contents, from the bundle's own files and the kit's pictures.
pub fn exhibit_book(
    bundle: &VerifiedBundle,
    manifest: &Manifest,
    profile: &Profile,
    bundle_name: &str,
    seal: &str,
    mut pictures: BTreeMap<String, Vec<book::Picture>>,
) -> Result<book::Book, KitError> {
    let case = &manifest.case;
    let order = &case.order;
    let mut facts = vec![
        ("Dispute".to_owned(), profile.name.clone()),
        ("Reason".to_owned(), case.reason.meaning().to_owned()),
        ("Order".to_owned(), order.id.clone()),
    ];
    let mut fact = |label: &str, value: Option<&String>| {
        if let Some(value) = value {
            facts.push((label.to_owned(), value.clone()));
        }
    };
    fact("Item", order.item.as_ref());
    fact("Seller", order.seller.as_ref());
    fact("Order total", order.total.as_ref());
    fact("Ordered", order.placed.as_ref());
    if let Some(shipping) = &case.shipping {
        if !shipping.tracking.is_empty() {
            fact("Tracking", Some(&shipping.tracking.join(", ")));
        }
        fact("Shipped", shipping.shipped.as_ref());
        fact("Delivered", shipping.delivered.as_ref());
    }
    if let Some(request) = &case.request {
        fact("Resolution asked", request.resolution.as_ref());
        fact("Amount asked", request.amount.as_ref());
    }
    facts.push(("Bundle".to_owned(), bundle_name.to_owned()));
    facts.push(("Seal".to_owned(), seal.to_owned()));
    let stamps: Vec<String> = bundle
        .report
        .timestamps
        .iter()
        .map(|t| format!("{} from {}", t.time, t.authority))
        .collect();
    facts.push((
        "Trusted timestamp".to_owned(),
        if stamps.is_empty() {
            "none (the bundle's own time is the builder's clock)".to_owned()
        } else {
            stamps.join("; ")
        },
    ));
    let statement = String::from_utf8_lossy(&bundle.read(layout::SUMMARY, 4 << 20)?).into_owned();
    let manifest_text = bundle.read(crate::formats::bagit::MANIFEST_NAME, 32 << 20)?;
    let mut timestamps = Vec::new();
    for path in bundle.sealed_paths() {
        if path.starts_with(layout::TIMESTAMPS_DIR) {
            timestamps.push((path.to_owned(), bundle.read(path, 1 << 20)?));
        }
    }
    let mut exhibits = Vec::new();
    for item in &manifest.items {
        let pictures = pictures.remove(&item.id).unwrap_or_default();
        let mut text = None;
        let mut note = None;
        // A damaged file or a capture of another page: the book says so, as the
        // report does, instead of "no picture".
        let flagged = match (&item.damaged, &item.not_the_page) {
            (Some(why), _) => Some(format!("This file is damaged: {why}.")),
            (None, Some(instead)) => Some(format!(
                "This capture shows {instead}, not the {} page; it is in the bundle as it is.",
                item.kind
            )),
            (None, None) => None,
        };
        if flagged.is_some() {
            note = flagged;
        } else if pictures.is_empty() {
            match item.media_type.as_str() {
                "text/plain" | "text/html" if item.bytes <= MAX_TEXT_BYTES => {
                    let bytes = bundle.read(&item.path, 1 << 20)?;
                    let decoded = crate::capture::text::decode(&bytes, None);
                    let body = if item.media_type == "text/html" {
                        crate::capture::text::visible_text(&decoded)
                    } else {
                        decoded
                    };
                    text = Some(shorten(&body, 6000));
                }
                _ => {
                    note = Some(format!(
                        "No picture of this {} ({}) is in the book; the original is in the bundle.",
                        item.kind, item.media_type
                    ));
                }
            }
        }
        if !item.attachments.is_empty() {
            let listed: Vec<String> = item
                .attachments
                .iter()
                .map(|a| format!("{} ({}), SHA-256 {}", a.path, a.part, a.sha256))
                .collect();
            let sealed_with = format!("Sealed with it: {}.", listed.join("; "));
            note = Some(match note {
                Some(note) => format!("{note} {sealed_with}"),
                None => sealed_with,
            });
        }
        exhibits.push(book::Exhibit {
            id: item.id.clone(),
            kind: item.kind.clone(),
            caption: item.caption.clone(),
            source_name: crate::sanitize::visible(&item.source_name),
            sha256: item.sha256.clone(),
            credentials: item
                .content_credentials
                .as_ref()
                .filter(|_| item.carries_credentials())
                .map(|c| {
                    format!(
                        "{}. The picture in this book is a copy without them; the sealed original keeps them.",
                        c.summary()
                    )
                }),
            captured: item
                .captured_at
                .as_ref()
                .map(|at| match &item.captured_at_source {
                    Some(source) => format!("{at} ({source})"),
                    None => at.clone(),
                }),
            pictures,
            text,
            note,
        });
    }
    Ok(book::Book {
        title: format!(
            "Evidence for a dispute on {}: order {}",
            profile.name, order.id
        ),
        facts,
        statement,
        timeline: manifest
            .timeline
            .iter()
            .map(|e| (e.date.clone(), e.event.clone(), e.source.clone()))
            .collect(),
        exhibits,
        bundle: bundle_name.to_owned(),
        seal: seal.to_owned(),
        manifest: manifest_text,
        timestamps,
        created: manifest.created_at.parse().unwrap_or_default(),
        delivery: manifest
            .checklist
            .as_ref()
            .and_then(|c| c.places.as_ref())
            .map(delivery_page),
    })
}

/// The book's page on the delivery place: the places, the distance and the map.
fn delivery_page(places: &Places) -> book::Delivery {
    let line = |located: &Located| {
        format!(
            "\u{201c}{}\u{201d}, read as: {}",
            crate::sanitize::visible(&located.text),
            located.reading()
        )
    };
    let mut lines = vec![("Tracking names".to_owned(), line(&places.delivered_to))];
    if let Some(buyer) = &places.buyer {
        lines.push(("Buyer's town".to_owned(), line(buyer)));
    }
    if let Some(distance) = places.distance_line() {
        lines.push(("Distance".to_owned(), distance));
    }
    book::Delivery {
        lines,
        map: places.map(),
        note: format!(
            "Places are read offline from a gazetteer; each is a town's centre, not an address, and a tracking page may name the carrier's depot or sorting centre rather than the door. {}",
            places.credit_line()
        ),
    }
}

/// At most `limit` characters, cut at a line, with a note that more is in the bundle.
fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let cut: String = text.chars().take(limit).collect();
    let cut = cut.rsplit_once('\n').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}\n[… the rest is in the bundle's original file]")
}

/// Renders the book, more compactly when the roomy layout is over the platform's
/// page cap, and says what still does not fit.
pub fn fit_book(
    book: &book::Book,
    profile: &Profile,
    limits: &Limits,
) -> Result<BookNotes, KitError> {
    let failed = |why: String| KitError::Book(why);
    let mut rendered = book::render(book, book::Density::Roomy).map_err(failed)?;
    let max_pages = profile.evidence.max_pages.get().copied();
    if max_pages.is_some_and(|max| rendered.pages > max as usize) {
        rendered = book::render(book, book::Density::Compact).map_err(failed)?;
    }
    let mut warnings = Vec::new();
    if let Some(max) = max_pages
        && rendered.pages > max as usize
    {
        warnings.push(format!(
            "the book has {} pages, more than the {max} {} takes ({}); upload the pages that matter most and keep the rest for later",
            rendered.pages, profile.name, profile.evidence.max_pages.source
        ));
    }
    if limits.pdf && rendered.pdf.len() as u64 > limits.rules.max_bytes {
        warnings.push(format!(
            "the book is {}, over the form's {} per file",
            crate::text::megabytes(rendered.pdf.len() as u64),
            crate::text::megabytes(limits.rules.max_bytes)
        ));
    }
    if rendered.missing_glyphs {
        warnings.push("some characters of the case text cannot be drawn in the book's font and show as ?; the bundle's summary.txt and originals have the exact text".to_owned());
    }
    Ok(BookNotes {
        pages: rendered.pages,
        pdf: rendered.pdf,
        warnings,
    })
}
