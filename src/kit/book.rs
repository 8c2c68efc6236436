//! `exhibit-book.pdf`: the whole case on A4 pages a card issuer or a reviewer can
//! read without opening anything else — a cover with the case facts and the seal, the
//! statement, the timeline, one exhibit per page, the hash table and how to verify.
//!
//! Pages are laid out first as a list of placed items, then drawn with krilla, so
//! the page count is known before drawing (for "page 3 of 12") and a book over the
//! form's page cap can be laid out again, more compactly. Text is real text in an
//! embedded, subsetted Noto Sans; user text goes in as text, never as markup.
//! Pictures are the kit's own copies, embedded as they are (a JPEG is not encoded
//! again), so `pdfimages -all` gives back the file `kit.json` lists.

use krilla::Document;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineJoin, Stroke, StrokeDash};
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size as FontSize};

use crate::geo::map;

/// A4 portrait, in points.
const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BODY: f32 = 11.0;
const LEADING: f32 = 1.4;

/// A picture of an exhibit, as the kit made it.
#[derive(Debug, Clone)]
pub struct Picture {
    pub name: String,
    /// Shared with the kit's file of the same picture, not copied.
    pub bytes: std::sync::Arc<Vec<u8>>,
    pub jpeg: bool,
    pub width: u32,
    pub height: u32,
    /// "The video at 0:12", "Part 2 of 3".
    pub label: Option<String>,
    /// A part of a tall picture: as large as a page allows, for its text.
    pub part: bool,
}

/// One exhibit's page.
#[derive(Debug, Clone)]
pub struct Exhibit {
    pub id: String,
    pub kind: String,
    pub caption: Option<String>,
    pub source_name: String,
    pub sha256: String,
    pub captured: Option<String>,
    /// The Content Credentials line, when the original carries them.
    pub credentials: Option<String>,
    pub pictures: Vec<Picture>,
    /// The text of a chat export or a saved page, when it has no picture.
    pub text: Option<String>,
    /// Why neither a picture nor text is shown.
    pub note: Option<String>,
}

/// Everything the book shows.
#[derive(Debug, Clone)]
pub struct Book {
    pub title: String,
    /// (label, value) lines of the cover.
    pub facts: Vec<(String, String)>,
    pub statement: String,
    /// (date, event, source)
    pub timeline: Vec<(String, String, String)>,
    pub exhibits: Vec<Exhibit>,
    pub bundle: String,
    pub seal: String,
    /// The bundle's `manifest-sha256.txt`, attached inside the PDF.
    pub manifest: Vec<u8>,
    /// The bundle's trusted timestamps (`timestamps/1.tsr`, …), attached too.
    pub timestamps: Vec<(String, Vec<u8>)>,
    /// The bundle time, as the PDF's creation date (the same bundle, the same book).
    pub created: jiff::Timestamp,
    /// Where tracking says the parcel was delivered, when the case names a place.
    pub delivery: Option<Delivery>,
}

/// The page on where tracking says the parcel was delivered.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// (label, value): the place tracking names, the buyer's town, the distance.
    pub lines: Vec<(String, String)>,
    /// The map of both places, when both were found and differ.
    pub map: Option<map::Picture>,
    /// What the places are and where they come from.
    pub note: String,
}

/// How tightly exhibits are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Density {
    /// One exhibit per page, pictures as large as the page allows.
    Roomy,
    /// Exhibits follow each other; pictures at most a third of a page tall.
    Compact,
}

/// A rendered book.
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Characters the font cannot draw were shown as `?`.
    pub missing_glyphs: bool,
}

/// Lays the book out and draws it.
pub fn render(book: &Book, density: Density) -> Result<Rendered, String> {
    let fonts = Fonts::new()?;
    let mut layout = Layout::new(&fonts);
    layout.contents(book, density);
    let pages = layout.pages.len();
    let missing_glyphs = layout.missing;
    let pdf = draw(book, &layout.pages)?;
    Ok(Rendered {
        pdf,
        pages,
        missing_glyphs,
    })
}

struct Fonts {
    regular: skrifa::FontRef<'static>,
    bold: skrifa::FontRef<'static>,
}

impl Fonts {
    fn new() -> Result<Fonts, String> {
        let open = |bytes: &'static [u8]| {
            skrifa::FontRef::new(bytes).map_err(|e| format!("the built-in font is unreadable: {e}"))
        };
        Ok(Fonts {
            regular: open(notosans::REGULAR_TTF)?,
            bold: open(notosans::BOLD_TTF)?,
        })
    }

    fn font(&self, bold: bool) -> &skrifa::FontRef<'static> {
        if bold { &self.bold } else { &self.regular }
    }

    /// The text as the font can draw it: unmapped characters become `?`.
    fn drawable(&self, text: &str, bold: bool) -> (String, bool) {
        let charmap = self.font(bold).charmap();
        let mut missing = false;
        let shown = text
            .chars()
            .map(|c| {
                if c == ' ' || charmap.map(c).is_some() {
                    c
                } else {
                    missing = true;
                    '?'
                }
            })
            .collect();
        (shown, missing)
    }

    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let font = self.font(bold);
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(FontSize::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                let glyph = charmap.map(c).unwrap_or_default();
                metrics.advance_width(glyph).unwrap_or(size * 0.5)
            })
            .sum()
    }
}

#[derive(Debug, Clone)]
enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Picture {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        picture: usize,
        exhibit: usize,
    },
    /// The delivery map, `scale` points per map unit, its top left at `x`, `y`.
    Map { x: f32, y: f32, scale: f32 },
}

struct Layout<'a> {
    fonts: &'a Fonts,
    pages: Vec<Vec<Item>>,
    /// The baseline of the next line on the last page, from the top.
    y: f32,
    missing: bool,
}

impl<'a> Layout<'a> {
    fn new(fonts: &'a Fonts) -> Self {
        Layout {
            fonts,
            pages: vec![Vec::new()],
            y: MARGIN,
            missing: false,
        }
    }

    fn bottom() -> f32 {
        PAGE_HEIGHT - MARGIN - 20.0
    }

    fn new_page(&mut self) {
        if !self.pages.last().is_some_and(Vec::is_empty) {
            self.pages.push(Vec::new());
        }
        self.y = MARGIN;
    }

    fn space(&mut self, points: f32) {
        self.y += points;
    }

    /// A paragraph wrapped to the text width, breaking pages as it goes. Lines in
    /// the text stay lines.
    fn paragraph(&mut self, text: &str, size: f32, bold: bool, indent: f32) {
        let width = PAGE_WIDTH - 2.0 * MARGIN - indent;
        for source_line in text.lines() {
            let (shown, missing) = self.fonts.drawable(source_line, bold);
            self.missing |= missing;
            for line in wrap(&shown, |s| self.fonts.width(s, size, bold), width) {
                self.line(&line, size, bold, indent);
            }
            if source_line.trim().is_empty() {
                self.space(size * 0.5);
            }
        }
    }

    fn line(&mut self, text: &str, size: f32, bold: bool, indent: f32) {
        if self.y + size * LEADING > Self::bottom() {
            self.new_page();
        }
        self.y += size;
        if let Some(page) = self.pages.last_mut() {
            page.push(Item::Text {
                x: MARGIN + indent,
                y: self.y,
                size,
                bold,
                text: text.to_owned(),
            });
        }
        self.y += size * (LEADING - 1.0);
    }

    fn heading(&mut self, text: &str) {
        if self.y + 60.0 > Self::bottom() {
            self.new_page();
        }
        self.space(6.0);
        self.paragraph(text, 15.0, true, 0.0);
        self.space(4.0);
    }

    fn label(&mut self, label: &str, value: &str) {
        self.paragraph(&format!("{label}: {value}"), BODY, false, 0.0);
    }

    fn picture(&mut self, exhibit: usize, index: usize, picture: &Picture, max_height: f32) {
        let max_width = PAGE_WIDTH - 2.0 * MARGIN;
        let (w, h) = (picture.width.max(1) as f32, picture.height.max(1) as f32);
        let scale = (max_width / w).min(max_height / h).min(1.0);
        let (width, height) = (w * scale, h * scale);
        // A still's label stays on the page of its picture.
        let label_height = if picture.label.is_some() {
            9.0 * LEADING
        } else {
            0.0
        };
        if self.y + label_height + height > Self::bottom() {
            self.new_page();
        }
        if let Some(label) = &picture.label {
            self.paragraph(label, 9.0, false, 0.0);
        }
        if let Some(page) = self.pages.last_mut() {
            page.push(Item::Picture {
                x: MARGIN + (max_width - width) / 2.0,
                y: self.y,
                width,
                height,
                picture: index,
                exhibit,
            });
        }
        self.y += height + 6.0;
    }

    fn contents(&mut self, book: &Book, density: Density) {
        self.paragraph(&book.title, 20.0, true, 0.0);
        self.space(10.0);
        for (label, value) in &book.facts {
            self.label(label, value);
        }
        self.space(10.0);
        self.paragraph(
            "Every picture in this book is a copy made for upload: turned upright, without location or camera data. The original files, bit for bit, are in the sealed bundle named above; the seal is the SHA-256 of its manifest-sha256.txt, which is attached to this PDF.",
            BODY,
            false,
            0.0,
        );

        self.new_page();
        self.heading("Statement");
        self.paragraph(&book.statement, BODY, false, 0.0);

        if !book.timeline.is_empty() {
            self.heading("Timeline");
            for (date, event, source) in &book.timeline {
                self.paragraph(&format!("{date}  {event} ({source})"), 10.0, false, 0.0);
            }
        }

        if let Some(delivery) = &book.delivery {
            self.new_page();
            self.heading("Where tracking says the parcel was delivered");
            for (label, value) in &delivery.lines {
                self.label(label, value);
            }
            if delivery.map.is_some() {
                self.space(8.0);
                let width = PAGE_WIDTH - 2.0 * MARGIN;
                let scale = width / map::WIDTH as f32;
                if let Some(page) = self.pages.last_mut() {
                    page.push(Item::Map {
                        x: MARGIN,
                        y: self.y,
                        scale,
                    });
                }
                self.space(map::HEIGHT as f32 * scale + 8.0);
            }
            self.paragraph(&delivery.note, 9.0, false, 0.0);
        }

        let room = Self::bottom() - MARGIN;
        for (e, exhibit) in book.exhibits.iter().enumerate() {
            if density == Density::Roomy || self.y + 200.0 > Self::bottom() {
                self.new_page();
            } else {
                self.space(14.0);
            }
            self.heading(&format!("Exhibit {} — {}", exhibit.id, exhibit.kind));
            if let Some(caption) = &exhibit.caption {
                self.paragraph(caption, BODY, true, 0.0);
            }
            self.label("Original file", &exhibit.source_name);
            if let Some(captured) = &exhibit.captured {
                self.label("Captured", captured);
            }
            if let Some(credentials) = &exhibit.credentials {
                self.label("Content Credentials", credentials);
            }
            self.label("SHA-256 of the original", &exhibit.sha256);
            self.space(6.0);
            let stills = exhibit.pictures.len() > 1;
            for (p, picture) in exhibit.pictures.iter().enumerate() {
                // The parts of a tall page each fill a page of their own, past the
                // exhibit's heading; stills share pages.
                if picture.part && p > 0 && density == Density::Roomy {
                    self.new_page();
                    self.paragraph(
                        &format!("Exhibit {}, continued", exhibit.id),
                        BODY,
                        true,
                        0.0,
                    );
                }
                let max_height = match (density, stills, picture.part) {
                    (Density::Roomy, false, _) | (Density::Roomy, true, true) => {
                        Self::bottom() - self.y - 10.0 - 9.0 * LEADING
                    }
                    (Density::Roomy, true, false) => room / 3.0,
                    (Density::Compact, _, true) => room / 2.0,
                    (Density::Compact, _, false) => room / 3.5,
                };
                self.picture(e, p, picture, max_height.max(120.0));
            }
            if let Some(text) = &exhibit.text {
                self.paragraph(text, 9.5, false, 0.0);
            }
            if let Some(note) = &exhibit.note {
                self.paragraph(note, BODY, false, 0.0);
            }
        }

        self.new_page();
        self.heading("Hashes of the originals");
        for exhibit in &book.exhibits {
            self.paragraph(
                &format!(
                    "{}  {}  {}",
                    exhibit.id, exhibit.sha256, exhibit.source_name
                ),
                8.0,
                false,
                0.0,
            );
        }
        self.heading("How to check the bundle");
        self.paragraph(
            &format!(
                "With claimpack: claimpack verify {}.zip --seal {} (exit 0: intact and the same bundle; anything changed is named).\nWithout it: unzip the bundle, then in its folder run sha256sum -c manifest-sha256.txt, or bagit.py --validate . (bagit-python). The SHA-256 of manifest-sha256.txt must be the seal: {}.",
                book.bundle, book.seal, book.seal
            ),
            BODY,
            false,
            0.0,
        );
    }
}

/// Greedy line breaking on spaces; a word wider than the line is cut.
fn wrap(text: &str, measure: impl Fn(&str) -> f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if measure(&candidate) <= width || current.is_empty() && measure(word) <= width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        // A hash or a URL longer than the line: cut where it no longer fits.
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if measure(&piece) > width {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        current = piece;
    }
    lines.push(current);
    lines
}

fn draw(book: &Book, pages: &[Vec<Item>]) -> Result<Vec<u8>, String> {
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A3_B)
        .finish()
        .map_err(|e| format!("{e:?}"))?;
    let settings = krilla::SerializeSettings {
        configuration,
        ..Default::default()
    };
    let mut document = Document::new_with(settings);
    let regular = Font::new(notosans::REGULAR_TTF.into(), 0).ok_or("the built-in font")?;
    let bold = Font::new(notosans::BOLD_TTF.into(), 0).ok_or("the built-in font")?;
    let utc = book.created.to_zoned_datetime(jiff::tz::TimeZone::UTC);
    let date = DateTime::new(utc.year() as u16)
        .month(utc.month() as u8)
        .day(utc.day() as u8)
        .hour(utc.hour() as u8)
        .minute(utc.minute() as u8)
        .second(utc.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    document.set_metadata(
        Metadata::new()
            .title(book.title.clone())
            .language("en".to_owned())
            .creator(format!("claimpack {}", env!("CARGO_PKG_VERSION")))
            .creation_date(date),
    );
    document.embed_file(EmbeddedFile {
        path: "manifest-sha256.txt".to_owned(),
        mime_type: MimeType::new("text/plain"),
        description: Some(format!(
            "The payload manifest of {}; its SHA-256 is the seal {}",
            book.bundle, book.seal
        )),
        association_kind: AssociationKind::Supplement,
        data: book.manifest.clone().into(),
        modification_date: Some(date),
        compress: Some(true),
        location: None,
    });
    for (path, bytes) in &book.timestamps {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (mime, what) = match name.rsplit_once('.').map(|(_, ext)| ext) {
            Some("tsr") => (
                "application/timestamp-reply",
                "RFC 3161 timestamp token over the seal",
            ),
            Some("tsq") => ("application/timestamp-query", "RFC 3161 timestamp request"),
            _ => (
                "application/x-pem-file",
                "certificates of the timestamp authority",
            ),
        };
        document.embed_file(EmbeddedFile {
            path: format!("timestamps-{name}"),
            mime_type: MimeType::new(mime),
            description: Some(format!("{what}, from the bundle's {path}")),
            association_kind: AssociationKind::Supplement,
            data: bytes.clone().into(),
            modification_date: Some(date),
            compress: Some(false),
            location: None,
        });
    }
    let fonts = Fonts::new()?;
    let total = pages.len();
    for (n, items) in pages.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or("page size")?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for item in items {
            match item {
                Item::Text {
                    x,
                    y,
                    size,
                    bold: is_bold,
                    text,
                } => {
                    let font = if *is_bold {
                        bold.clone()
                    } else {
                        regular.clone()
                    };
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        font,
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Item::Picture {
                    x,
                    y,
                    width,
                    height,
                    picture,
                    exhibit,
                } => {
                    let picture = &book.exhibits[*exhibit].pictures[*picture];
                    let data: krilla::Data = picture.bytes.clone().into();
                    let image = if picture.jpeg {
                        Image::from_jpeg(data, false)
                    } else {
                        Image::from_png(data, false)
                    }
                    .map_err(|e| format!("{}: {e}", picture.name))?;
                    let size = Size::from_wh(*width, *height).ok_or("picture size")?;
                    surface.push_transform(&Transform::from_translate(*x, *y));
                    surface.draw_image(image, size);
                    surface.pop();
                }
                Item::Map { x, y, scale } => {
                    if let Some(picture) = book.delivery.as_ref().and_then(|d| d.map.as_ref()) {
                        draw_map(&mut surface, &fonts, &bold, picture, (*x, *y), *scale);
                    }
                }
            }
        }
        let footer = format!("{} · page {} of {total}", book.bundle, n + 1);
        surface.draw_text(
            Point::from_xy(MARGIN, PAGE_HEIGHT - MARGIN / 2.0),
            regular.clone(),
            8.0,
            &footer,
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| format!("{e:?}"))
}

fn rgb((r, g, b): (u8, u8, u8)) -> krilla::paint::Paint {
    krilla::color::rgb::Color::new(r, g, b).into()
}

fn fill(colour: (u8, u8, u8)) -> Option<Fill> {
    Some(Fill {
        paint: rgb(colour),
        rule: FillRule::EvenOdd,
        ..Fill::default()
    })
}

fn stroke(colour: (u8, u8, u8), width: f32, dash: Option<Vec<f32>>) -> Option<Stroke> {
    Some(Stroke {
        paint: rgb(colour),
        width,
        line_join: LineJoin::Round,
        dash: dash.map(|array| StrokeDash { array, offset: 0.0 }),
        ..Stroke::default()
    })
}

/// A circle as four cubic curves.
fn circle(builder: &mut PathBuilder, (cx, cy): (f32, f32), r: f32) {
    // The control distance that makes a quarter circle of a cubic curve.
    let k = 0.552_284_8 * r;
    builder.move_to(cx + r, cy);
    builder.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    builder.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    builder.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    builder.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    builder.close();
}

/// Draws the delivery map as vector paths: the same picture the report shows as SVG.
fn draw_map(
    surface: &mut krilla::surface::Surface,
    fonts: &Fonts,
    font: &Font,
    picture: &map::Picture,
    (left, top): (f32, f32),
    scale: f32,
) {
    use map::colour;
    let at = |(x, y): (f64, f64)| (left + x as f32 * scale, top + y as f32 * scale);
    let (width, height) = (map::WIDTH as f32 * scale, map::HEIGHT as f32 * scale);
    let Some(frame) = krilla::geom::Rect::from_xywh(left, top, width, height) else {
        return;
    };
    let mut builder = PathBuilder::new();
    builder.push_rect(frame);
    let Some(frame_path) = builder.finish() else {
        return;
    };
    surface.push_clip_path(&frame_path, &FillRule::NonZero);
    surface.set_stroke(None);
    surface.set_fill(fill(colour::SEA));
    surface.draw_path(&frame_path);
    for shape in &picture.shapes {
        let mut builder = PathBuilder::new();
        for ring in &shape.rings {
            for (i, &point) in ring.iter().enumerate() {
                let (x, y) = at(point);
                if i == 0 {
                    builder.move_to(x, y);
                } else {
                    builder.line_to(x, y);
                }
            }
            builder.close();
        }
        let Some(path) = builder.finish() else {
            continue;
        };
        surface.set_fill(fill(match shape.role {
            None => colour::LAND,
            Some(map::Role::Buyer) => colour::BUYER_LAND,
            Some(map::Role::Delivered) => colour::DELIVERED_LAND,
        }));
        surface.set_stroke(stroke(colour::BORDER, 0.5, None));
        surface.draw_path(&path);
    }
    let mut line = PathBuilder::new();
    for (i, &point) in picture.path.iter().enumerate() {
        let (x, y) = at(point);
        if i == 0 {
            line.move_to(x, y);
        } else {
            line.line_to(x, y);
        }
    }
    if let Some(path) = line.finish() {
        surface.set_fill(None);
        surface.set_stroke(stroke(colour::INK, 1.4, Some(vec![5.0, 3.5])));
        surface.draw_path(&path);
    }
    let size = 14.0 * scale;
    let text = |surface: &mut krilla::surface::Surface, (x, y): (f32, f32), words: &str| {
        let (shown, _) = fonts.drawable(words, true);
        // A white edge under the letters keeps them readable over borders and the line.
        let white = (0xff, 0xff, 0xff);
        for (fill_colour, edge) in [(white, stroke(white, 2.6, None)), (colour::INK, None)] {
            surface.set_fill(fill(fill_colour));
            surface.set_stroke(edge);
            surface.draw_text(
                Point::from_xy(x, y),
                font.clone(),
                size,
                &shown,
                false,
                TextDirection::Auto,
            );
        }
    };
    for pin in &picture.pins {
        let centre = at((pin.x, pin.y));
        let mut dot = PathBuilder::new();
        circle(&mut dot, centre, 5.5 * scale);
        if let Some(path) = dot.finish() {
            surface.set_fill(fill(match pin.role {
                map::Role::Buyer => colour::BUYER,
                map::Role::Delivered => colour::DELIVERED,
            }));
            surface.set_stroke(stroke((0xff, 0xff, 0xff), 1.2, None));
            surface.draw_path(&path);
        }
        let (mut x, y) = at((pin.label_x, pin.label_y));
        if pin.label_leftwards {
            x -= fonts.width(&pin.label, size, true);
        }
        text(surface, (x, y), &pin.label);
    }
    let caption = format!("{} in a straight line", picture.distance);
    let (right, bottom) = at((map::WIDTH - 8.0, map::HEIGHT - 10.0));
    text(
        surface,
        (right - fonts.width(&caption, size, true), bottom),
        &caption,
    );
    surface.pop();
    surface.set_stroke(None);
    surface.set_fill(Some(Fill::default()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_are_cut_and_lines_fill_up() {
        let measure = |s: &str| s.chars().count() as f32;
        assert_eq!(wrap("aa bb cc", measure, 5.0), ["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh", measure, 3.0), ["abc", "def", "gh"]);
        assert_eq!(wrap("", measure, 3.0), [""]);
    }

    #[test]
    fn text_the_font_cannot_draw_is_marked() {
        let fonts = Fonts::new().unwrap();
        assert_eq!(
            fonts.drawable("Возврат", false),
            ("Возврат".to_owned(), false)
        );
        assert!(!fonts.drawable("Ωmega", false).1);
        let (shown, missing) = fonts.drawable("退货", false);
        assert_eq!(shown, "??");
        assert!(missing);
    }
}
