//! What the buyer probably meant: the nearest valid word for a typo, a date written in
//! any common order, an amount written with a currency sign.
//!
//! Used wherever case.toml and the command line are read, so that a mistake is
//! answered with "did you mean …" and the exact text to write, rather than with a
//! parser's message. Nothing here accepts a guess silently: callers still refuse the
//! input and print the advice.

use jiff::civil::Date;

/// `text` folded for comparing names: lower case, `_` and spaces as `-`.
pub fn fold(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '_' | ' ' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The candidate the buyer most likely meant by `input`, if one stands out.
///
/// A candidate that `input` begins (`refund` → `refund-only`) wins; otherwise the
/// one at the smallest edit distance, when that distance is small for the word's
/// length and no other candidate is as close.
pub fn nearest<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let input = fold(input);
    // Edit distance costs length × length; no real typo is this long.
    if input.is_empty() || input.len() > 64 {
        return None;
    }
    let begun: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|c| c.starts_with(&format!("{input}-")))
        .collect();
    if let [only] = begun[..] {
        return Some(only);
    }
    let limit = match input.chars().count() {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(&input, c), *c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    match scored[..] {
        [(best, c), (next, _), ..] if best < next => Some(c),
        [(_, c)] => Some(c),
        _ => None,
    }
}

/// The serde message for an unknown enum value or key, with the nearest expected
/// word added: "unknown variant `not-recieved`, expected one of …" becomes
/// "\"not-recieved\" is not one of …; did you mean not-received?". Other messages
/// pass through unchanged.
pub fn improve_serde_message(message: &str) -> String {
    let (what, rest) = if let Some(rest) = message.strip_prefix("unknown variant `") {
        ("value", rest)
    } else if let Some(rest) = message.strip_prefix("unknown field `") {
        ("key", rest)
    } else {
        return message.to_owned();
    };
    let Some((input, expected)) = rest.split_once('`') else {
        return message.to_owned();
    };
    let candidates: Vec<&str> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|c| !c.is_empty())
        .collect();
    let list = candidates.join(", ");
    let near = nearest(input, &candidates);
    // The input is the buyer's own text and may be a megabyte long.
    let input = match input.char_indices().nth(100) {
        Some((at, _)) => format!("{}…", &input[..at]),
        None => input.to_owned(),
    };
    let allowed = if candidates.is_empty() {
        "no keys are allowed here".to_owned()
    } else if what == "key" {
        format!("the keys here are {list}")
    } else {
        format!("write one of {list}")
    };
    match near {
        Some(near) => format!("unknown {what} \"{input}\"; did you mean {near}? ({allowed})"),
        None => format!("unknown {what} \"{input}\"; {allowed}"),
    }
}

/// A date read from the ways people write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LooseDate {
    One(Date),
    /// `04/05/2026`: 4 May or 5 April.
    Either(Date, Date),
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// 1–12 for a month's English name or its abbreviation of three letters or more.
fn month_named(word: &str) -> Option<i8> {
    let word = word.to_ascii_lowercase();
    let word = word.trim_end_matches('.');
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|month| month.starts_with(word))
        .map(|i| i as i8 + 1)
}

/// `18th` → `18`; any other word as it is.
fn without_ordinal(word: &str) -> &str {
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(digits) = word.strip_suffix(suffix)
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            return digits;
        }
    }
    word
}

/// Reads `10/18/2026`, `18.10.2026`, `2026/10/18`, `Oct 18 2026`, `18 October 2026`,
/// `20261018`: the date, or both dates when day and month could be either way round.
pub fn loose_date(text: &str) -> Option<LooseDate> {
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'');
    let words: Vec<&str> = text
        .split(|c: char| "/.-, ".contains(c))
        .filter(|w| !w.is_empty())
        .map(without_ordinal)
        .collect();
    let number = |w: &str| -> Option<i32> {
        (w.bytes().all(|b| b.is_ascii_digit()) && w.len() <= 4)
            .then(|| w.parse().ok())
            .flatten()
    };
    let date = |y: i32, m: i32, d: i32| -> Option<Date> {
        Date::new(
            i16::try_from(y).ok()?,
            i8::try_from(m).ok()?,
            i8::try_from(d).ok()?,
        )
        .ok()
        .filter(|_| (1900..=2200).contains(&y))
    };
    if let [one] = words[..] {
        if one.len() == 8 && one.bytes().all(|b| b.is_ascii_digit()) {
            let (y, m, d) = (&one[..4], &one[4..6], &one[6..]);
            return date(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).map(LooseDate::One);
        }
        return None;
    }
    let [a, b, c] = words[..] else {
        return None;
    };
    // A month written as a word, anywhere among the three.
    if let Some(at) = [a, b, c].iter().position(|w| month_named(w).is_some()) {
        let month = month_named([a, b, c][at])? as i32;
        let others: Vec<i32> = [a, b, c]
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != at)
            .map(|(_, w)| number(w))
            .collect::<Option<_>>()?;
        let (year, day) = match others[..] {
            [x, y] if x > 31 => (x, y),
            [x, y] if y > 31 => (y, x),
            _ => return None,
        };
        return date(year, month, day).map(LooseDate::One);
    }
    let (x, y, z) = (number(a)?, number(b)?, number(c)?);
    if a.len() == 4 {
        return date(x, y, z).map(LooseDate::One);
    }
    if c.len() != 4 {
        return None;
    }
    let month_first = date(z, x, y);
    let day_first = date(z, y, x);
    match (month_first, day_first) {
        (Some(m), Some(d)) if m != d => Some(LooseDate::Either(m, d)),
        (Some(one), _) | (None, Some(one)) => Some(LooseDate::One(one)),
        (None, None) => None,
    }
}

/// "18 October 2026".
pub fn spoken(date: Date) -> String {
    date.strftime("%-d %B %Y").to_string()
}

/// What to write instead of a date that is not `2026-10-18`.
pub fn date_advice(text: &str) -> String {
    match loose_date(text) {
        Some(LooseDate::One(date)) => format!("write dates as {date}, without quotes"),
        Some(LooseDate::Either(a, b)) => format!(
            "write dates as year-month-day, without quotes: {a} for {}, or {b} for {}",
            spoken(a),
            spoken(b)
        ),
        None => "write dates as year-month-day, like 2026-10-18, without quotes".to_owned(),
    }
}

/// What to write instead of a date on the command line (`--today 12/04/2026`).
pub fn flag_date_advice(text: &str) -> String {
    match loose_date(text) {
        Some(LooseDate::One(date)) => format!("write it as {date}"),
        Some(LooseDate::Either(a, b)) => format!(
            "write it as year-month-day: {a} for {}, or {b} for {}",
            spoken(a),
            spoken(b)
        ),
        None => "write it as year-month-day, like 2026-11-23".to_owned(),
    }
}

/// Currency signs and the ISO 4217 code each most often means.
const SIGNS: [(&str, &str, &str); 14] = [
    ("US$", "USD", ""),
    ("R$", "BRL", ""),
    ("C$", "CAD", ""),
    ("A$", "AUD", ""),
    ("zł", "PLN", ""),
    (
        "$",
        "USD",
        " (or CAD, AUD… if the price was in another dollar)",
    ),
    ("€", "EUR", ""),
    ("£", "GBP", ""),
    ("¥", "CNY", " (or JPY for Japanese yen)"),
    ("₹", "INR", ""),
    ("₽", "RUB", ""),
    ("₩", "KRW", ""),
    ("₺", "TRY", ""),
    ("₴", "UAH", ""),
];

/// The amount as `34.99 USD` when `text` is a recognisable price written otherwise
/// (`$34.99`, `34,99 €`, `usd 34.99`), and any doubt about the currency. The code is
/// not checked against ISO 4217 here; callers parse the result.
pub fn money_advice(text: &str) -> Option<(String, &'static str)> {
    let text = text.trim();
    let (amount, code, doubt) = if let Some((sign, code, doubt)) = SIGNS
        .iter()
        .find(|(sign, ..)| text.starts_with(sign) || text.ends_with(sign))
    {
        let amount = text
            .strip_prefix(sign)
            .or_else(|| text.strip_suffix(sign))?
            .trim();
        (amount.to_owned(), code.to_string(), *doubt)
    } else {
        let words: Vec<&str> = text.split_whitespace().collect();
        let [x, y] = words[..] else {
            return None;
        };
        let is_code = |w: &str| w.len() == 3 && w.chars().all(|c| c.is_ascii_alphabetic());
        match (is_code(x), is_code(y)) {
            (true, false) => (y.to_owned(), x.to_ascii_uppercase(), ""),
            (false, true) => (x.to_owned(), y.to_ascii_uppercase(), ""),
            _ => return None,
        }
    };
    let amount = plain_amount(&amount)?;
    Some((format!("{amount} {code}"), doubt))
}

/// `1,234.56` → `1234.56`; `34,99` → `34.99`; `1.234,56` → `1234.56`.
fn plain_amount(amount: &str) -> Option<String> {
    if amount.is_empty()
        || !amount
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    let last_mark = amount.rfind([',', '.']);
    let out = match last_mark {
        // The last mark is the decimal point when two or fewer digits follow it.
        Some(at) if amount.len() - at - 1 <= 2 => {
            let whole: String = amount[..at].chars().filter(char::is_ascii_digit).collect();
            format!(
                "{}.{}",
                if whole.is_empty() { "0" } else { &whole },
                &amount[at + 1..]
            )
        }
        _ => amount.chars().filter(char::is_ascii_digit).collect(),
    };
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn typos_find_the_word_meant() {
        let reasons = [
            "not-received",
            "no-tracking",
            "damaged",
            "defective",
            "not-as-described",
        ];
        assert_eq!(nearest("not-recieved", &reasons), Some("not-received"));
        assert_eq!(nearest("Damaged", &reasons), Some("damaged"));
        assert_eq!(nearest("damged", &reasons), Some("damaged"));
        assert_eq!(nearest("broken", &reasons), None);
        let resolutions = [
            "refund-only",
            "partial-refund",
            "return-and-refund",
            "replacement",
        ];
        assert_eq!(nearest("refund", &resolutions), Some("refund-only"));
        assert_eq!(nearest("partial", &resolutions), Some("partial-refund"));
        assert_eq!(nearest("money", &resolutions), None);
    }

    #[test]
    fn serde_messages_gain_the_nearest_word() {
        assert_eq!(
            improve_serde_message(
                "unknown variant `not-recieved`, expected one of `not-received`, `damaged`"
            ),
            "unknown value \"not-recieved\"; did you mean not-received? (write one of not-received, damaged)"
        );
        assert_eq!(
            improve_serde_message("unknown field `plcaed`, expected one of `id`, `placed`"),
            "unknown key \"plcaed\"; did you mean placed? (the keys here are id, placed)"
        );
        assert_eq!(improve_serde_message("invalid type"), "invalid type");
    }

    #[test]
    fn dates_in_any_common_order() {
        assert_eq!(
            loose_date("10/18/2026"),
            Some(LooseDate::One(d("2026-10-18")))
        );
        assert_eq!(
            loose_date("18.10.2026"),
            Some(LooseDate::One(d("2026-10-18")))
        );
        assert_eq!(
            loose_date("2026/11/10"),
            Some(LooseDate::One(d("2026-11-10")))
        );
        assert_eq!(
            loose_date("Nov 10 2026"),
            Some(LooseDate::One(d("2026-11-10")))
        );
        assert_eq!(
            loose_date("November 10th, 2026"),
            Some(LooseDate::One(d("2026-11-10")))
        );
        assert_eq!(
            loose_date("10 Nov. 2026"),
            Some(LooseDate::One(d("2026-11-10")))
        );
        assert_eq!(
            loose_date("20261110"),
            Some(LooseDate::One(d("2026-11-10")))
        );
        assert_eq!(
            loose_date("04/05/2026"),
            Some(LooseDate::Either(d("2026-04-05"), d("2026-05-04")))
        );
        assert_eq!(
            loose_date("05/05/2026"),
            Some(LooseDate::One(d("2026-05-05")))
        );
        assert_eq!(loose_date("13/13/2026"), None);
        assert_eq!(loose_date("yesterday"), None);
        assert_eq!(loose_date("Mayo 3 2026"), None);
        assert_eq!(
            date_advice("04/05/2026"),
            "write dates as year-month-day, without quotes: 2026-04-05 for 5 April 2026, or 2026-05-04 for 4 May 2026"
        );
    }

    #[test]
    fn prices_with_signs_become_amount_and_code() {
        let advice = |text| money_advice(text).map(|(money, _)| money);
        assert_eq!(
            money_advice("$34.99"),
            Some((
                "34.99 USD".to_owned(),
                " (or CAD, AUD… if the price was in another dollar)"
            ))
        );
        assert_eq!(advice("34,99 €").as_deref(), Some("34.99 EUR"));
        assert_eq!(advice("£1,234.50").as_deref(), Some("1234.50 GBP"));
        assert_eq!(advice("usd 34.99").as_deref(), Some("34.99 USD"));
        assert_eq!(advice("34,99 EUR").as_deref(), Some("34.99 EUR"));
        assert_eq!(advice("R$ 1.234,56").as_deref(), Some("1234.56 BRL"));
        assert_eq!(advice("a lot"), None);
    }
}
