//! `data/report.html`: one self-contained page a claims agent can read on a phone or
//! print: the statement, the case, the timeline, every exhibit with its preview, and
//! how to check the bundle.
//!
//! Everything shown comes from the buyer or from files, so all of it is untrusted: the
//! template escapes every value as HTML, the page carries no scripts, and its
//! Content-Security-Policy forbids them and any outside load (images are inline).

use std::sync::Arc;

use base64::Engine;
use minijinja::value::{Object, ObjectRepr, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use super::RenderError;
use super::timeline::{Event, Timeline};
use crate::analysis::places::{Located, Places};
use crate::geo::map;
use crate::metadata::previews::{PreviewStore, Shape};
use crate::metadata::thumbnail::Preview;
use crate::model::{Case, Exhibit, exhibit_ids};
use crate::sanitize::visible;
use crate::templates::Templates;

/// The report's template, built in or from `--templates DIR`.
const TEMPLATE: &str = "report.html.j2";

/// Everything the report shows.
pub struct Inputs<'a> {
    pub case: &'a Case,
    /// Shared with the page's exhibit cards, which are made one at a time.
    pub exhibits: &'a Arc<Vec<Exhibit>>,
    /// One per exhibit; read back one at a time while the page is written.
    pub previews: &'a Arc<PreviewStore>,
    pub timeline: &'a Timeline,
    pub statement: &'a super::summary::Statement,
    pub assessment: &'a crate::analysis::Assessment,
    pub created_at: jiff::Timestamp,
    pub bundle_name: &'a str,
    /// The time-stamping authorities the build will ask, after this report is sealed.
    pub tsa: &'a [String],
}

#[derive(Serialize)]
struct Context<'a> {
    platform: &'static str,
    reason: &'static str,
    reason_meaning: &'static str,
    case: &'a Case,
    statement: &'a str,
    form: &'a super::summary::Form,
    /// The parts of the assessment a reviewer reads: what the exhibits show and the
    /// tracking checks. (Findings, advice and the kit plan are the buyer's, in the
    /// notes beside the bundle; one finding per exhibit would also grow the page's
    /// context with the case.)
    check: ReportCheck<'a>,
    created_at: String,
    /// The timeline's events, one per exhibit and case date, given to the template
    /// one at a time (a [`Rows`] sequence).
    timeline: Value,
    warnings: Vec<String>,
    /// A sequence whose cards are made as the template reaches them.
    exhibits: Value,
    bundle_name: &'a str,
    tsa: &'a [String],
    privacy: Option<String>,
    /// Whether any photo or video was searched for Content Credentials.
    credentials_searched: bool,
    /// Where tracking says the parcel was delivered, against the buyer's city.
    delivery: Option<DeliveryView>,
    version: &'static str,
}

#[derive(Serialize)]
struct ReportCheck<'a> {
    checklist: &'a crate::analysis::checklist::Checklist,
    tracking: &'a [crate::analysis::tracking::TrackingCheck],
}

/// The places section: each place as read, the distance and the map.
#[derive(Serialize)]
struct DeliveryView {
    /// "\"GUANGZHOU, CN\" → Guangzhou, Guangdong, China (23.11667, 113.25000)".
    delivered: String,
    buyer: Option<String>,
    /// "about 10,710 km (10,711.0 km on the WGS84 ellipsoid)".
    distance: Option<String>,
    /// The map as an SVG element, made and escaped by `geo::map`.
    map_svg: Option<String>,
    credit: String,
}

#[derive(Serialize)]
struct ExhibitView<'a> {
    id: String,
    kind: &'static str,
    caption: Option<&'a str>,
    source_name: String,
    path: &'a str,
    media_type: &'a str,
    size: String,
    sha256: &'a str,
    captured_at: Option<String>,
    captured_at_source: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    duration_s: Option<f64>,
    camera: Option<&'a str>,
    location: Option<String>,
    /// The Content Credentials line, for a photo or video.
    credentials: Option<String>,
    page: Option<&'a crate::model::PageInfo>,
    warnings: &'a [String],
    /// The thumbnail as a `data:` URI, made only when the page is written.
    thumbnail_data: Option<Value>,
    thumbnail_width: Option<u32>,
    thumbnail_height: Option<u32>,
    placeholder: Option<String>,
    /// A text exhibit's beginning (made only when the page is written), and whether
    /// it goes on.
    text_excerpt: Option<Value>,
    text_more: bool,
    /// Whether the card spans the width: a captured page's screenshot, a text.
    wide: bool,
    /// The capture's other files sealed under this number.
    attachments: &'a [crate::model::Attachment],
}

/// The exhibits as the template sees them: each card (an [`ExhibitView`]) is made
/// when the template reaches it and dropped after, so the page's context does not
/// grow with the case.
#[derive(Debug)]
struct ExhibitCards {
    exhibits: Arc<Vec<Exhibit>>,
    previews: Arc<PreviewStore>,
}

impl Object for ExhibitCards {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let index = key.as_usize()?;
        let exhibit = self.exhibits.get(index)?;
        Some(Value::from(minijinja::value::Serde(exhibit_view(
            exhibit,
            &self.previews,
            index,
        ))))
    }

    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Seq(self.exhibits.len())
    }
}

/// Rows the template loops over, each turned into a template value only when the
/// loop reaches it: a `Vec` in the page's context would be converted whole, at a
/// few hundred bytes per row more than the rows themselves.
#[derive(Debug)]
struct Rows<T>(Vec<T>);

impl<T: Serialize + std::fmt::Debug + Send + Sync + 'static> Rows<T> {
    fn value(rows: Vec<T>) -> Value {
        Value::from_object(Rows(rows))
    }
}

impl<T: Serialize + std::fmt::Debug + Send + Sync + 'static> Object for Rows<T> {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let row = self.0.get(key.as_usize()?)?;
        Some(Value::from(minijinja::value::Serde(row)))
    }

    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Seq(self.0.len())
    }
}

/// A preview as the page shows it, read from the store only when the template
/// writes it: the whole page is never more than one preview in memory.
#[derive(Debug)]
struct LazyPreview {
    store: Arc<PreviewStore>,
    index: usize,
}

impl Object for LazyPreview {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.store.get(self.index) {
            Preview::Image { jpeg, .. } => write!(
                f,
                "data:image/jpeg;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(jpeg)
            ),
            Preview::Text { excerpt, .. } => f.write_str(&visible_text(&excerpt)),
            Preview::Placeholder(text) => f.write_str(&text),
        }
    }
}

/// Renders the report into `out` (a temporary file: a page with thousands of
/// previews is tens of megabytes).
pub fn render(
    templates: &Templates,
    inputs: &Inputs,
    out: &mut impl std::io::Write,
) -> Result<(), RenderError> {
    let template_error = |source| RenderError::Template {
        name: TEMPLATE.to_owned(),
        source,
    };
    let source = templates.get(TEMPLATE)?;
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(template_error)?,
    );
    // Whatever the template is called, everything is escaped as HTML.
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_template(TEMPLATE, &source)
        .map_err(template_error)?;

    assert_eq!(
        inputs.exhibits.len(),
        inputs.previews.len(),
        "one preview each"
    );
    let exhibits = Value::from_object(ExhibitCards {
        exhibits: Arc::clone(inputs.exhibits),
        previews: Arc::clone(inputs.previews),
    });
    let with_gps = exhibit_ids(inputs.exhibits, |e| e.capture.gps_present);
    let with_serial = exhibit_ids(inputs.exhibits, |e| e.capture.serial_present);
    let mut privacy = Vec::new();
    if !with_gps.is_empty() {
        privacy.push(format!(
            "{}; the originals keep those coordinates.",
            crate::text::exhibits_that(
                &with_gps,
                "records where it was taken (GPS)",
                "record where they were taken (GPS)"
            )
        ));
    }
    if !with_serial.is_empty() {
        privacy.push(format!(
            "{}.",
            crate::text::exhibits_that(
                &with_serial,
                "carries a camera or lens serial number",
                "carry a camera or lens serial number"
            )
        ));
    }
    let context = Context {
        platform: inputs.case.platform.display_name(),
        reason: inputs.case.reason.slug(),
        reason_meaning: inputs.case.reason.meaning(),
        case: inputs.case,
        statement: &inputs.statement.full,
        form: &inputs.statement.form,
        check: ReportCheck {
            checklist: &inputs.assessment.checklist,
            tracking: &inputs.assessment.tracking,
        },
        created_at: inputs.created_at.to_string(),
        // File names reach the timeline; their hidden characters are shown.
        timeline: Rows::value(
            inputs
                .timeline
                .events
                .iter()
                .map(|e| Event {
                    date: e.date.clone(),
                    event: visible(&e.event),
                    source: visible(&e.source),
                })
                .collect(),
        ),
        warnings: inputs
            .timeline
            .warnings
            .iter()
            .map(|w| visible(w))
            .collect(),
        exhibits,
        bundle_name: inputs.bundle_name,
        tsa: inputs.tsa,
        privacy: (!privacy.is_empty()).then(|| privacy.join(" ")),
        credentials_searched: inputs
            .exhibits
            .iter()
            .any(|e| e.content_credentials.is_some()),
        delivery: inputs.assessment.places.as_ref().map(delivery_view),
        version: env!("CARGO_PKG_VERSION"),
    };
    env.get_template(TEMPLATE)
        .and_then(|t| t.render_captured_to(Value::from(minijinja::value::Serde(&context)), out))
        .map(|_| ())
        .map_err(template_error)
}

/// A place as the buyer wrote it and as the gazetteer read it.
fn located_line(located: &Located) -> String {
    format!(
        "\u{201c}{}\u{201d} → {}",
        visible(&located.text),
        located.reading()
    )
}

fn delivery_view(places: &Places) -> DeliveryView {
    DeliveryView {
        delivered: located_line(&places.delivered_to),
        buyer: places.buyer.as_ref().map(located_line),
        distance: places.distance_line(),
        map_svg: places.map().as_ref().map(map::to_svg),
        credit: places.credit_line(),
    }
}

fn exhibit_view<'a>(e: &'a Exhibit, previews: &Arc<PreviewStore>, index: usize) -> ExhibitView<'a> {
    let lazy = || {
        Value::from_object(LazyPreview {
            store: Arc::clone(previews),
            index,
        })
    };
    let (thumbnail_data, thumbnail_width, thumbnail_height, placeholder) =
        match previews.shape(index) {
            Shape::Image { width, height } => (Some(lazy()), Some(width), Some(height), None),
            Shape::Placeholder => match previews.get(index) {
                Preview::Placeholder(text) => (None, None, None, Some(text)),
                _ => (None, None, None, None),
            },
            Shape::Text { .. } => (None, None, None, None),
        };
    let (text_excerpt, text_more) = match previews.shape(index) {
        Shape::Text { more } => (Some(lazy()), more),
        _ => (None, false),
    };
    // A captured page and a text are read across the card's width.
    let wide = text_excerpt.is_some() || (e.page.is_some() && thumbnail_data.is_some());
    let location = match (&e.capture.gps, e.capture.gps_present) {
        (Some(gps), _) => Some(format!("{:.5}, {:.5}", gps.latitude, gps.longitude)),
        (None, true) => Some("GPS present (not shown in this report)".to_owned()),
        (None, false) => None,
    };
    ExhibitView {
        id: e.id.to_string(),
        kind: e.kind.slug(),
        caption: e.caption.as_deref(),
        source_name: visible(&e.source_name),
        path: &e.path,
        media_type: &e.media_type,
        size: crate::text::human_bytes(e.bytes),
        sha256: &e.sha256,
        captured_at: e.capture.captured_at.map(|t| t.to_string()),
        captured_at_source: e.capture.captured_at_source.map(|source| {
            if e.capture.offset_from_gps {
                format!("{}; time zone from its GPS clock", source.as_str())
            } else {
                source.as_str().to_owned()
            }
        }),
        width: e.capture.width,
        height: e.capture.height,
        duration_s: e.capture.duration_s,
        camera: e.capture.camera.as_deref(),
        location,
        credentials: e.content_credentials.as_ref().map(|c| c.summary()),
        page: e.page.as_ref(),
        warnings: &e.warnings,
        thumbnail_data,
        thumbnail_width,
        thumbnail_height,
        placeholder,
        text_excerpt,
        text_more,
        wide,
        attachments: &e.attachments,
    }
}

/// A text exhibit's excerpt as the report shows it: line breaks and tabs kept,
/// every other hidden or control character shown by its code.
fn visible_text(text: &str) -> String {
    text.lines()
        .map(|line| visible(&line.replace('\t', "    ")))
        .collect::<Vec<_>>()
        .join("\n")
}
