//! Bands of text added to a kit picture: a video still's exhibit and time in the
//! video, a captured page's address and capture time. A band is added above or below
//! the picture, never drawn over it, so no pixel of the evidence is hidden.
//!
//! Glyph outlines come from skrifa (the book's font reader) and are filled by
//! ab_glyph_rasterizer, in the built-in Noto Sans; characters the font lacks show
//! as `?`.

use ab_glyph_rasterizer::{Rasterizer, point};
use image::{DynamicImage, Rgb, RgbImage};
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, MetadataProvider};

/// Where the band goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Top,
    Bottom,
}

const INK: [u8; 3] = [255, 255, 255];
const PAPER: [u8; 3] = [32, 32, 32];

/// The picture with a band of `lines` added at `edge`, as RGB.
pub fn band(picture: &DynamicImage, lines: &[String], edge: Edge) -> DynamicImage {
    let width = picture.width().max(1);
    let Ok(font) = FontRef::new(notosans::REGULAR_TTF) else {
        // The built-in font is part of the binary; without it the picture stays as it is.
        return picture.clone();
    };
    // About 40 characters across, within what stays legible and tidy.
    let px = (width as f32 / 40.0).clamp(14.0, 40.0);
    let line_height = (px * 1.35).ceil() as u32;
    let padding = (px * 0.4).ceil() as u32;
    let height = line_height * lines.len() as u32 + 2 * padding;
    let mut strip = RgbImage::from_pixel(width, height, Rgb(PAPER));
    for (i, line) in lines.iter().enumerate() {
        let top = padding + line_height * i as u32;
        let baseline = top as f32 + px * 1.05;
        draw_line(&mut strip, &font, px, padding as f32, baseline, line);
    }
    let body = picture.to_rgb8();
    let mut out = RgbImage::from_pixel(width, body.height() + height, Rgb(PAPER));
    let (body_y, strip_y) = match edge {
        Edge::Top => (height, 0),
        Edge::Bottom => (0, body.height()),
    };
    image::imageops::replace(&mut out, &body, 0, i64::from(body_y));
    image::imageops::replace(&mut out, &strip, 0, i64::from(strip_y));
    DynamicImage::ImageRgb8(out)
}

/// Draws one line from `left` at `baseline`, cut with "…" where it would run off.
fn draw_line(strip: &mut RgbImage, font: &FontRef, px: f32, left: f32, baseline: f32, text: &str) {
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(px), LocationRef::default());
    let outlines = font.outline_glyphs();
    let room = strip.width() as f32 - 2.0 * left;
    let glyph = |c: char| {
        charmap
            .map(c)
            .or_else(|| charmap.map('?'))
            .unwrap_or_default()
    };
    let advance = |c: char| metrics.advance_width(glyph(c)).unwrap_or(px * 0.5);
    let ellipsis = advance('…');
    let mut shown = Vec::new();
    let mut used = 0.0;
    let total: f32 = text.chars().map(advance).sum();
    for c in text.chars().filter(|c| !c.is_control()) {
        let width = advance(c);
        let reserve = if total > room { ellipsis } else { 0.0 };
        if used + width + reserve > room {
            shown.push('…');
            break;
        }
        shown.push(c);
        used += width;
    }
    let mut raster = Rasterizer::new(strip.width() as usize, strip.height() as usize);
    let mut x = left;
    for c in shown {
        let id = glyph(c);
        if let Some(outline) = outlines.get(id) {
            let mut pen = Pen {
                raster: &mut raster,
                x,
                baseline,
                last: point(0.0, 0.0),
                start: point(0.0, 0.0),
            };
            let settings = DrawSettings::unhinted(Size::new(px), LocationRef::default());
            // A glyph that cannot be drawn leaves a gap; the text stays in the book.
            let _ = outline.draw(settings, &mut pen);
        }
        x += metrics.advance_width(id).unwrap_or(px * 0.5);
    }
    raster.for_each_pixel_2d(|gx, gy, coverage| {
        if coverage <= 0.0 {
            return;
        }
        let coverage = coverage.min(1.0);
        let pixel = strip.get_pixel_mut(gx, gy);
        for (channel, (ink, paper)) in pixel.0.iter_mut().zip(INK.iter().zip(PAPER)) {
            *channel =
                (f32::from(*ink) * coverage + f32::from(paper) * (1.0 - coverage)).round() as u8;
        }
    });
}

/// Feeds a glyph's outline, in pixels with y up, to the rasterizer, y down.
struct Pen<'a> {
    raster: &'a mut Rasterizer,
    x: f32,
    baseline: f32,
    last: ab_glyph_rasterizer::Point,
    start: ab_glyph_rasterizer::Point,
}

impl Pen<'_> {
    fn at(&self, x: f32, y: f32) -> ab_glyph_rasterizer::Point {
        point(self.x + x, self.baseline - y)
    }
}

impl OutlinePen for Pen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.last = self.at(x, y);
        self.start = self.last;
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let to = self.at(x, y);
        self.raster.draw_line(self.last, to);
        self.last = to;
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let (control, to) = (self.at(cx0, cy0), self.at(x, y));
        self.raster.draw_quad(self.last, control, to);
        self.last = to;
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let (c0, c1, to) = (self.at(cx0, cy0), self.at(cx1, cy1), self.at(x, y));
        self.raster.draw_cubic(self.last, c0, c1, to);
        self.last = to;
    }

    fn close(&mut self) {
        if self.last != self.start {
            self.raster.draw_line(self.last, self.start);
        }
        self.last = self.start;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_band_adds_rows_and_draws_text_without_touching_the_picture() {
        let picture = DynamicImage::ImageRgb8(RgbImage::from_pixel(400, 300, Rgb([10, 200, 10])));
        let lines = ["E03 · unboxing.mov · 0:12 of 0:20".to_owned()];
        let banded = band(&picture, &lines, Edge::Bottom).to_rgb8();
        assert_eq!(banded.width(), 400);
        assert!(banded.height() > 300);
        // The picture's rows are untouched.
        assert!((0..300).all(|y| banded.get_pixel(200, y).0 == [10, 200, 10]));
        // The band has ink on it.
        let inked = (300..banded.height())
            .flat_map(|y| (0..400).map(move |x| (x, y)))
            .filter(|&(x, y)| banded.get_pixel(x, y).0[0] > 200)
            .count();
        assert!(inked > 100, "{inked} inked pixels");

        let top = band(&picture, &lines, Edge::Top).to_rgb8();
        let last = top.height() - 1;
        assert_eq!(top.get_pixel(0, last).0, [10, 200, 10]);
    }

    #[test]
    fn a_line_too_long_is_cut_inside_the_band() {
        let picture = DynamicImage::ImageRgb8(RgbImage::from_pixel(120, 40, Rgb([0, 0, 0])));
        let long =
            ["https://tracking.example/very/long/address?with=parameters&and=more".to_owned()];
        let banded = band(&picture, &long, Edge::Top).to_rgb8();
        // The right margin stays paper: the text was cut before it.
        let margin = banded.width() - 2;
        assert!((0..banded.height() - 40).all(|y| banded.get_pixel(margin, y).0 == PAPER));
    }
}
