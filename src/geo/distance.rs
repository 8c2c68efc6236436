//! The distance between two places and how it is said: on the WGS84 ellipsoid
//! (Karney's geodesic, as GeographicLib computes it), between the places' GeoNames
//! coordinates — their centres, not the buyer's door or the carrier's depot — and
//! rounded so that it claims no more precision than that.

use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};

/// Kilometres between two points given in degrees.
pub fn kilometres(from: (f64, f64), to: (f64, f64)) -> f64 {
    let metres: f64 = Geodesic::wgs84().inverse(from.0, from.1, to.0, to.1);
    metres / 1000.0
}

/// Points along the shortest path between two points, both ends included: the line
/// a map draws between them.
pub fn path(from: (f64, f64), to: (f64, f64), points: usize) -> Vec<(f64, f64)> {
    let geodesic = Geodesic::wgs84();
    let (metres, azimuth, _, _): (f64, f64, f64, f64) =
        geodesic.inverse(from.0, from.1, to.0, to.1);
    let steps = points.max(2) - 1;
    (0..=steps)
        .map(|i| {
            if i == 0 {
                return from;
            }
            if i == steps {
                return to;
            }
            let along = metres * i as f64 / steps as f64;
            geodesic.direct(from.0, from.1, azimuth, along)
        })
        .collect()
}

/// The distance rounded as a person would say it: to the kilometre under 50 km, to
/// 5 km under 500 km, to 10 km beyond.
pub fn rounded_km(km: f64) -> u64 {
    let step = match km {
        k if k < 50.0 => 1.0,
        k if k < 500.0 => 5.0,
        _ => 10.0,
    };
    ((km / step).round() * step) as u64
}

/// "about 10,690 km", "about 12 km", "less than 1 km".
pub fn about(km: f64) -> String {
    if km < 1.0 {
        return "less than 1 km".to_owned();
    }
    format!("about {} km", thousands(rounded_km(km)))
}

/// 10690 → "10,690".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_said_as_a_person_would() {
        assert_eq!(about(10_693.4), "about 10,690 km");
        assert_eq!(about(12.4), "about 12 km");
        assert_eq!(about(49.6), "about 50 km");
        assert_eq!(about(123.0), "about 125 km");
        assert_eq!(about(0.4), "less than 1 km");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn the_path_runs_from_one_place_to_the_other() {
        let porto = (41.1485, -8.61097);
        let guangzhou = (23.11667, 113.25);
        let line = path(porto, guangzhou, 20);
        assert_eq!(line.len(), 20);
        assert_eq!(line[0], porto);
        assert_eq!(line[19], guangzhou);
        // The great circle from Porto to Guangzhou passes north of both ends.
        assert!(line[10].0 > 45.0, "{:?}", line[10]);
    }
}
