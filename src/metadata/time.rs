//! Capture times as files write them, turned into checked values.
//!
//! A clock that was never set writes `0000:00:00 00:00:00`, 1904-01-01 (the QuickTime
//! epoch) or 1970-01-01 (the Unix epoch). Those are not dates and must never be
//! printed as one, so anything before 1971 is "unknown".

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;

use crate::model::CaptureTime;

/// The earliest capture time believed: no digital camera wrote anything earlier.
const EARLIEST_YEAR: i16 = 1971;

/// Why a time field was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    /// All zeros, an epoch or an impossible calendar date.
    NotADate(String),
}

/// Parses EXIF's `YYYY:MM:DD HH:MM:SS` (also accepting `-` as the date separator),
/// with optional sub-seconds (`SubSecTime…`, digits) and offset (`OffsetTime…`,
/// `+01:00`).
pub fn exif(
    text: &str,
    subsec: Option<&str>,
    offset: Option<&str>,
) -> Result<CaptureTime, Rejected> {
    let text = text.trim().trim_end_matches('\0');
    let not_a_date = || Rejected::NotADate(text.to_owned());
    let (date, time) = text.split_once(' ').ok_or_else(not_a_date)?;
    let mut d = date.split([':', '-']).map(|p| p.parse::<i64>());
    let mut t = time.split(':').map(|p| p.parse::<i64>());
    let next = |it: &mut dyn Iterator<Item = Result<i64, _>>| it.next().and_then(Result::ok);
    let (Some(y), Some(mo), Some(da)) = (next(&mut d), next(&mut d), next(&mut d)) else {
        return Err(not_a_date());
    };
    let (Some(h), Some(mi), Some(s)) = (next(&mut t), next(&mut t), next(&mut t)) else {
        return Err(not_a_date());
    };
    let nanos = subsec
        .map(|s| s.trim().trim_end_matches('\0'))
        .filter(|s| !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| format!("{s:0<9}").parse::<i32>().ok())
        .unwrap_or(0);
    let local = civil(y, mo, da, h, mi, s, nanos).ok_or_else(not_a_date)?;
    Ok(CaptureTime {
        local,
        offset: offset.and_then(parse_offset),
    })
}

/// The UTC offset of a local clock that read `local` when a GPS clock read `utc`:
/// the difference rounded to the quarter hour time zones use, when it is within two
/// minutes of one (the GPS fix may lag the shutter) and within ±14 hours.
pub fn offset_between(local: DateTime, utc: DateTime) -> Option<Offset> {
    let difference = local.duration_since(utc).as_secs();
    let quarter = 15 * 60;
    let rounded = (difference as f64 / quarter as f64).round() as i64 * quarter;
    if (difference - rounded).abs() > 120 || rounded.abs() > 14 * 3600 {
        return None;
    }
    Offset::from_seconds(i32::try_from(rounded).ok()?).ok()
}

/// Builds a civil date-time, refusing impossible and placeholder values.
pub fn civil(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64, nanos: i32) -> Option<DateTime> {
    let y = i16::try_from(y)
        .ok()
        .filter(|y| *y >= EARLIEST_YEAR && *y <= 2200)?;
    let date = Date::new(y, i8::try_from(mo).ok()?, i8::try_from(d).ok()?).ok()?;
    let time = Time::new(
        i8::try_from(h).ok()?,
        i8::try_from(mi).ok()?,
        i8::try_from(s).ok()?,
        nanos,
    )
    .ok()?;
    Some(date.to_datetime(time))
}

/// `+01:00`, `-0530`, `Z`.
pub fn parse_offset(text: &str) -> Option<Offset> {
    let text = text.trim().trim_end_matches('\0');
    if text == "Z" {
        return Some(Offset::UTC);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// An instant (UTC) as a capture time with offset zero.
pub fn utc(instant: jiff::Timestamp) -> Option<CaptureTime> {
    let local = Offset::UTC.to_datetime(instant);
    (local.year() >= EARLIEST_YEAR).then_some(CaptureTime {
        local,
        offset: Some(Offset::UTC),
    })
}

/// A free-text date as screenshot tools write it in PNG text chunks:
/// `Wed 09 Oct 2019 09:25:02 BST`, `2019-10-09T09:27:52+01:00`, RFC 2822.
pub fn free_text(text: &str) -> Option<CaptureTime> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        // RFC 3339 with an offset: keep the offset the tool wrote.
        let offset = text
            .get(19..)
            .and_then(|rest| rest.find(['+', '-', 'Z']).map(|i| &rest[i..]))
            .and_then(parse_offset)
            .unwrap_or(Offset::UTC);
        return (offset.to_datetime(ts).year() >= EARLIEST_YEAR).then_some(CaptureTime {
            local: offset.to_datetime(ts),
            offset: Some(offset),
        });
    }
    // "Wed 09 Oct 2019 09:25:02 BST" / "Wed, 09 Oct 2019 09:25:02 +0100"
    let words: Vec<&str> = text.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let start = usize::from(words.first()?.chars().all(char::is_alphabetic));
    let [day, month, year, time, zone @ ..] = &words[start..] else {
        return None;
    };
    let month = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| month.to_ascii_lowercase().starts_with(m))? as i64
        + 1;
    let mut hms = time.split(':').map(|p| p.parse::<i64>().ok());
    let (Some(Some(h)), Some(Some(mi)), s) = (hms.next(), hms.next(), hms.next()) else {
        return None;
    };
    let local = civil(
        year.parse().ok()?,
        month,
        day.parse().ok()?,
        h,
        mi,
        s.flatten().unwrap_or(0),
        0,
    )?;
    let offset = zone
        .first()
        .and_then(|z| parse_offset(z).or_else(|| zone_abbreviation(z)));
    Some(CaptureTime { local, offset })
}

/// The few zone abbreviations screenshot tools write. Ambiguous ones (IST, CST) are
/// left unknown rather than guessed.
fn zone_abbreviation(name: &str) -> Option<Offset> {
    let hours = match name.to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "Z" => 0,
        "BST" | "CET" | "WAT" => 1,
        "CEST" | "EET" | "SAST" => 2,
        "EEST" | "MSK" => 3,
        "EST" => -5,
        "EDT" => -4,
        "PST" => -8,
        "PDT" => -7,
        "MST" => -7,
        "MDT" => -6,
        "JST" | "KST" => 9,
        _ => return None,
    };
    Offset::from_hours(hours).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gps_clock_gives_the_time_zone_when_it_agrees_to_the_quarter_hour() {
        let at = |s: &str| s.parse::<DateTime>().unwrap();
        let offset = |l, u| offset_between(at(l), at(u)).map(|o| o.seconds());
        assert_eq!(
            offset("2018-07-25T16:34:23", "2018-07-25T14:34:23"),
            Some(7200)
        );
        // India, a fix 40 s after the shutter.
        assert_eq!(
            offset("2026-01-01T10:00:00", "2026-01-01T04:29:20"),
            Some(19800)
        );
        assert_eq!(
            offset("2026-01-01T00:10:00", "2026-01-01T10:10:00"),
            Some(-36000)
        );
        // Clocks that disagree by more than a rounding: no offset, not a guess.
        assert_eq!(offset("2026-01-01T10:00:00", "2026-01-01T09:52:00"), None);
        assert_eq!(offset("2026-01-03T10:00:00", "2026-01-01T10:00:00"), None);
    }

    #[test]
    fn exif_times_keep_offset_and_subseconds() {
        let t = exif("2024:01:07 11:02:59", Some("177"), Some("+01:00")).unwrap();
        assert_eq!(t.to_string(), "2024-01-07T11:02:59.177+01:00");
        let t = exif("2016:04:23 00:34:28", None, None).unwrap();
        assert_eq!(t.to_string(), "2016-04-23T00:34:28");
        assert_eq!(t.instant(), None);
    }

    #[test]
    fn clock_defaults_are_not_dates() {
        for text in [
            "0000:00:00 00:00:00",
            "1970:01:01 00:00:00",
            "1904:01:01 00:00:00",
            "2019:02:30 10:00:00",
            "    :  :     :  :  ",
            "",
        ] {
            assert!(exif(text, None, None).is_err(), "{text}");
        }
    }

    #[test]
    fn screenshot_tool_dates_parse() {
        let t = free_text("Wed 09 Oct 2019 09:25:02 BST").unwrap();
        assert_eq!(t.to_string(), "2019-10-09T09:25:02+01:00");
        let t = free_text("2019-10-09T09:27:52+01:00").unwrap();
        assert_eq!(t.to_string(), "2019-10-09T09:27:52+01:00");
        let t = free_text("Wed, 09 Oct 2019 09:25:02 IST").unwrap();
        assert_eq!(t.offset, None, "ambiguous zones stay unknown");
        assert!(free_text("yesterday").is_none());
    }
}
