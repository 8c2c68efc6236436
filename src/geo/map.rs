//! A small map of two places — the buyer's and the one tracking names — with the line
//! between them and the distance, drawn from Natural Earth's 1:110m country outlines
//! (public domain) compiled into the binary.
//!
//! The map is a description in picture units (`Picture`) that the report writes as SVG
//! and the exhibit book draws as PDF paths: the same map in both. Nothing here loads
//! anything or carries a script; every name written into the SVG is escaped.

use super::distance;

static OUTLINES: &str = include_str!("../../data/natural_earth/countries-110m.tsv");

/// The credit the map carries.
pub const CREDIT: &str = "Map outline: Natural Earth 1:110m (public domain)";

/// Width and height of every map, in picture units (pixels in the report, points / 1.3
/// in the book).
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 320.0;

/// Which of the two places a pin or a country is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Where the buyer lives.
    Buyer,
    /// Where tracking says the parcel was delivered.
    Delivered,
}

/// A place to pin on the map.
#[derive(Debug, Clone)]
pub struct Pin {
    pub latitude: f64,
    pub longitude: f64,
    /// ISO 3166-1 alpha-2, for shading the country.
    pub country: String,
    /// "Porto (your address)".
    pub label: String,
    pub role: Role,
}

/// A country's outline, projected.
#[derive(Debug, Clone)]
pub struct Shape {
    pub rings: Vec<Vec<(f64, f64)>>,
    /// Shaded as the buyer's or the delivery's country.
    pub role: Option<Role>,
}

/// A pin, projected, with where its label goes.
#[derive(Debug, Clone)]
pub struct PinAt {
    pub x: f64,
    pub y: f64,
    pub label: String,
    pub role: Role,
    /// The label's anchor point and whether it reads leftwards from there.
    pub label_x: f64,
    pub label_y: f64,
    pub label_leftwards: bool,
}

/// The map, ready to draw: `WIDTH` × `HEIGHT` units, y downwards.
#[derive(Debug, Clone)]
pub struct Picture {
    pub shapes: Vec<Shape>,
    /// The shortest path between the two places.
    pub path: Vec<(f64, f64)>,
    pub pins: Vec<PinAt>,
    /// "about 10,690 km".
    pub distance: String,
    /// One sentence saying what the map shows, for readers who cannot see it.
    pub title: String,
}

/// A window on the world in projected degrees.
struct Window {
    centre_lon: f64,
    /// Degrees of longitude are drawn this much narrower than degrees of latitude
    /// (the cosine of the middle latitude), so that shapes keep their look.
    squeeze: f64,
    left: f64,
    top: f64,
    /// Picture units per projected degree.
    scale: f64,
}

impl Window {
    fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            ((lon - self.centre_lon) * self.squeeze - self.left) * self.scale,
            (self.top - lat) * self.scale,
        )
    }

    /// The longitudes the window spans.
    fn lon_range(&self) -> (f64, f64) {
        (
            self.centre_lon + self.left / self.squeeze,
            self.centre_lon + (self.left + WIDTH / self.scale) / self.squeeze,
        )
    }
}

/// The window that shows the path with room for the labels, 2:1 like the picture.
fn window(path: &[(f64, f64)]) -> Window {
    let lats = path.iter().map(|p| p.0);
    let lons = path.iter().map(|p| p.1);
    let (south, north) = (
        lats.clone().fold(f64::MAX, f64::min),
        lats.fold(f64::MIN, f64::max),
    );
    let (west, east) = (
        lons.clone().fold(f64::MAX, f64::min),
        lons.fold(f64::MIN, f64::max),
    );
    // Degrees of longitude shrink towards the poles; on a map of a third of the world
    // or more they are drawn as they are, as world maps do.
    let squeeze = if east - west > 120.0 {
        1.0
    } else {
        ((south + north) / 2.0)
            .clamp(-70.0, 70.0)
            .to_radians()
            .cos()
    };
    // Projected extent with a margin for pins and labels, at least 4 degrees.
    let wide = (((east - west) * squeeze).max(4.0) * 1.35 + 2.0).min(340.0);
    let tall = ((north - south).max(4.0) * 1.35 + 2.0).min(170.0);
    let (wide, tall) = if wide / tall > WIDTH / HEIGHT {
        (wide, wide * HEIGHT / WIDTH)
    } else {
        (tall * WIDTH / HEIGHT, tall)
    };
    let top = ((north + south) / 2.0 + tall / 2.0)
        .min(85.0)
        .max(-85.0 + tall);
    Window {
        centre_lon: (west + east) / 2.0,
        squeeze,
        left: -wide / 2.0,
        top,
        scale: WIDTH / wide,
    }
}

/// Longitudes made continuous along a path (no jump of 360 at the date line).
fn unwrap(path: &mut [(f64, f64)]) {
    for i in 1..path.len() {
        let previous = path[i - 1].1;
        let mut lon = path[i].1;
        while lon - previous > 180.0 {
            lon -= 360.0;
        }
        while previous - lon > 180.0 {
            lon += 360.0;
        }
        path[i].1 = lon;
    }
}

/// Draws the map of two places.
pub fn draw(from: &Pin, to: &Pin) -> Picture {
    let km = distance::kilometres((from.latitude, from.longitude), (to.latitude, to.longitude));
    let mut path = distance::path(
        (from.latitude, from.longitude),
        (to.latitude, to.longitude),
        64,
    );
    unwrap(&mut path);
    let window = window(&path);
    let (lon_min, lon_max) = window.lon_range();

    let mut shapes: Vec<Shape> = Vec::new();
    for line in OUTLINES.lines().filter(|l| !l.starts_with('#')) {
        let Some((country, ring)) = line.split_once('\t') else {
            continue;
        };
        let points: Vec<(f64, f64)> = ring
            .split(' ')
            .filter_map(|p| {
                let (lon, lat) = p.split_once(',')?;
                Some((lon.parse().ok()?, lat.parse().ok()?))
            })
            .collect();
        let (west, east) = points
            .iter()
            .fold((f64::MAX, f64::MIN), |(w, e), p| (w.min(p.0), e.max(p.0)));
        let role = if country == to.country {
            Some(Role::Delivered)
        } else if country == from.country {
            Some(Role::Buyer)
        } else {
            None
        };
        // The same outline a world to the left or right, where the window wraps.
        for shift in [-360.0, 0.0, 360.0] {
            if east + shift < lon_min || west + shift > lon_max {
                continue;
            }
            let mut projected: Vec<(f64, f64)> = Vec::with_capacity(points.len());
            for &(lon, lat) in &points {
                let p = window.project(lon + shift, lat);
                // Points closer than half a unit add bytes, not shape.
                if projected
                    .last()
                    .is_none_or(|q| (p.0 - q.0).abs() + (p.1 - q.1).abs() >= 0.5)
                {
                    projected.push(p);
                }
            }
            if projected.len() < 3 {
                continue;
            }
            match shapes.iter_mut().find(|s| s.role == role) {
                Some(shape) => shape.rings.push(projected),
                None => shapes.push(Shape {
                    rings: vec![projected],
                    role,
                }),
            }
        }
    }
    // Unshaded land first, the two countries over it.
    shapes.sort_by_key(|s| s.role.is_some());

    let line: Vec<(f64, f64)> = path
        .iter()
        .map(|&(lat, lon)| window.project(lon, lat))
        .collect();
    let first = line[0];
    let last = line[line.len() - 1];
    let mut pins = vec![place_pin(from, first), place_pin(to, last)];
    // Labels of pins at about the same height go one above, one below.
    if (pins[0].y - pins[1].y).abs() < 18.0 && (pins[0].x - pins[1].x).abs() < 260.0 {
        let (upper, lower) = if pins[0].y <= pins[1].y {
            (0, 1)
        } else {
            (1, 0)
        };
        pins[upper].label_y = pins[upper].y - 10.0;
        pins[lower].label_y = pins[lower].y + 20.0;
    }
    let distance = distance::about(km);
    let title = format!(
        "Map: {} and {}, {distance} apart in a straight line",
        from.label, to.label
    );
    Picture {
        shapes,
        path: line,
        pins,
        distance,
        title,
    }
}

fn place_pin(pin: &Pin, (x, y): (f64, f64)) -> PinAt {
    let leftwards = x > WIDTH * 0.62;
    PinAt {
        x,
        y,
        label: pin.label.clone(),
        role: pin.role,
        label_x: if leftwards { x - 9.0 } else { x + 9.0 },
        label_y: y + 4.5,
        label_leftwards: leftwards,
    }
}

/// The colours of the map: sea, land, its borders, the two countries, the two pins.
pub mod colour {
    pub const SEA: (u8, u8, u8) = (0xdc, 0xea, 0xf5);
    pub const LAND: (u8, u8, u8) = (0xf3, 0xf0, 0xe8);
    pub const BORDER: (u8, u8, u8) = (0xb4, 0xab, 0x9b);
    pub const BUYER_LAND: (u8, u8, u8) = (0xdd, 0xec, 0xcf);
    pub const DELIVERED_LAND: (u8, u8, u8) = (0xf7, 0xdd, 0xd2);
    pub const BUYER: (u8, u8, u8) = (0x1f, 0x5f, 0xa8);
    pub const DELIVERED: (u8, u8, u8) = (0xc0, 0x39, 0x2b);
    pub const INK: (u8, u8, u8) = (0x22, 0x22, 0x22);
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Escapes text for SVG (which is XML).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The map as a self-contained SVG element: no script, no link, no outside font.
pub fn to_svg(picture: &Picture) -> String {
    use std::fmt::Write;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-label="{}" class="map">"#,
        escape(&picture.title)
    );
    let _ = write!(svg, "<title>{}</title>", escape(&picture.title));
    let _ = write!(
        svg,
        r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="{}"/>"#,
        hex(colour::SEA)
    );
    for shape in &picture.shapes {
        let fill = match shape.role {
            None => colour::LAND,
            Some(Role::Buyer) => colour::BUYER_LAND,
            Some(Role::Delivered) => colour::DELIVERED_LAND,
        };
        let mut d = String::new();
        for ring in &shape.rings {
            for (i, (x, y)) in ring.iter().enumerate() {
                let _ = write!(d, "{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, x, y);
            }
            d.push('Z');
        }
        let _ = write!(
            svg,
            r#"<path d="{d}" fill="{}" fill-rule="evenodd" stroke="{}" stroke-width="0.6" stroke-linejoin="round"/>"#,
            hex(fill),
            hex(colour::BORDER)
        );
    }
    let points: Vec<String> = picture
        .path
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = write!(
        svg,
        r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="1.6" stroke-dasharray="6 4"/>"#,
        points.join(" "),
        hex(colour::INK)
    );
    for pin in &picture.pins {
        let colour = match pin.role {
            Role::Buyer => colour::BUYER,
            Role::Delivered => colour::DELIVERED,
        };
        let _ = write!(
            svg,
            r##"<circle cx="{:.1}" cy="{:.1}" r="5.5" fill="{}" stroke="#ffffff" stroke-width="1.5"/>"##,
            pin.x,
            pin.y,
            hex(colour)
        );
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="{}" font-family="'Noto Sans', 'Helvetica Neue', Arial, sans-serif" font-size="14" font-weight="600" fill="{}" stroke="#ffffff" stroke-width="3.5" paint-order="stroke" stroke-linejoin="round">{}</text>"##,
            pin.label_x,
            pin.label_y,
            if pin.label_leftwards { "end" } else { "start" },
            hex(colour::INK),
            escape(&pin.label)
        );
    }
    let _ = write!(
        svg,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-family="'Noto Sans', Arial, sans-serif" font-size="13" font-weight="600" fill="{}" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>"##,
        WIDTH - 8.0,
        HEIGHT - 10.0,
        hex(colour::INK),
        escape(&format!("{} in a straight line", picture.distance))
    );
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(latitude: f64, longitude: f64, country: &str, label: &str, role: Role) -> Pin {
        Pin {
            latitude,
            longitude,
            country: country.to_owned(),
            label: label.to_owned(),
            role,
        }
    }

    #[test]
    fn both_places_are_on_the_map() {
        for (from, to) in [
            // Porto → Guangzhou: half the world; Tokyo → Los Angeles: over the date line;
            // Porto → Vila Nova de Gaia: next door.
            ((41.1485, -8.61097, "PT"), (23.11667, 113.25, "CN")),
            ((35.6895, 139.69171, "JP"), (34.05223, -118.24368, "US")),
            ((41.1485, -8.61097, "PT"), (41.13363, -8.61742, "PT")),
        ] {
            let picture = draw(
                &pin(from.0, from.1, from.2, "A <home>", Role::Buyer),
                &pin(to.0, to.1, to.2, "B", Role::Delivered),
            );
            for p in &picture.pins {
                assert!(
                    (0.0..=WIDTH).contains(&p.x) && (0.0..=HEIGHT).contains(&p.y),
                    "{from:?} {to:?}: {p:?}"
                );
            }
            assert!(picture.shapes.iter().any(|s| s.role.is_none()));
            let svg = to_svg(&picture);
            assert!(svg.contains("A &lt;home&gt;") && !svg.contains("<home>"));
            assert!(!svg.contains("<script") && !svg.contains("href"));
        }
    }
}
