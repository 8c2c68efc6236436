//! Which free-text fields of a case are not in English, detected offline with
//! whatlang. A reviewer reads English; `check` names each such field and asks for
//! English, the full statement marks what it quotes ("(in Russian)"), and a form
//! that takes English characters only leaves a non-Latin field out rather than
//! transliterate it into nonsense ("Besprovodnye naushniki").
//!
//! Detection never decides anything about the claim: it only labels text. Short
//! Latin-script texts ("XYZ Store", "box") cannot be told apart reliably, so they
//! are only labelled when another script makes the answer certain.

use serde::Serialize;

use crate::model::Case;

/// A field whose text is not English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Foreign {
    /// The case.toml field: `received.problem`, `contact[2].summary`, or for a
    /// caption, `evidence "photos/box.jpg" caption`.
    pub field: String,
    /// The text as written.
    pub text: String,
    /// "Russian", "Portuguese", or a script ("Chinese characters") when the
    /// language itself is not certain.
    pub language: String,
    /// Whether the text is written in Latin letters (an ASCII form can still carry
    /// it, accents dropped).
    pub latin: bool,
    /// A name (a shop, a carrier), not a sentence.
    pub name: bool,
}

/// Words a Latin-script text needs before its language is trusted.
const MIN_LATIN_WORDS: usize = 4;

/// The language of `text` when it is not English; `None` for English, or when it
/// cannot be told.
pub fn detect(text: &str) -> Option<(String, bool)> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 0 {
        return None;
    }
    let non_latin = text
        .chars()
        .filter(|c| c.is_alphabetic() && !is_latin(*c))
        .count();
    if non_latin * 2 >= letters.max(2) || (non_latin > 0 && letters - non_latin < 3) {
        // The script alone says it is not English; the language is named when
        // the detector is sure of it, else the script is.
        let info = whatlang::detect(text);
        let name = match &info {
            Some(info) if info.is_reliable() => language_name(info.lang()).to_owned(),
            Some(info) => script_name(info.script()).to_owned(),
            None => "another script".to_owned(),
        };
        return Some((name, false));
    }
    if non_latin > 0 {
        // Mostly Latin with a few other letters (an English sentence quoting a
        // shop name): English enough, but the ASCII form would mangle the rest.
        return None;
    }
    let words = text.split_whitespace().count();
    if words < MIN_LATIN_WORDS {
        return None;
    }
    let info = whatlang::detect(text)?;
    (info.is_reliable() && info.lang() != whatlang::Lang::Eng)
        .then(|| (language_name(info.lang()).to_owned(), true))
}

/// The name a reader expects: whatlang says "Mandarin" for written Chinese.
fn language_name(lang: whatlang::Lang) -> &'static str {
    match lang {
        whatlang::Lang::Cmn => "Chinese",
        other => other.eng_name(),
    }
}

/// Whether a text has letters of a script other than Latin.
pub fn has_non_latin(text: &str) -> bool {
    text.chars().any(|c| c.is_alphabetic() && !is_latin(c))
}

fn is_latin(c: char) -> bool {
    // Basic Latin, Latin-1, Latin Extended A/B, IPA, Latin Extended Additional.
    c.is_ascii_alphabetic()
        || matches!(c as u32, 0x00C0..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF)
}

fn script_name(script: whatlang::Script) -> &'static str {
    use whatlang::Script::*;
    match script {
        Cyrillic => "Cyrillic script",
        Mandarin => "Chinese characters",
        Hiragana | Katakana => "Japanese script",
        Hangul => "Korean script",
        Arabic => "Arabic script",
        Hebrew => "Hebrew script",
        Greek => "Greek script",
        Thai => "Thai script",
        Devanagari => "Devanagari script",
        _ => "another script",
    }
}

/// What a free-text field holds, which decides what is judged of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    /// Words: their language is judged.
    Sentence,
    /// A shop's or carrier's name: only its script is (names are not sentences).
    Name,
}

/// Every free-text field of the case, with its name and what it holds.
fn fields(case: &Case) -> Vec<(String, &str, Holds)> {
    fn push<'a>(
        out: &mut Vec<(String, &'a str, Holds)>,
        name: &str,
        value: Option<&'a String>,
        holds: Holds,
    ) {
        if let Some(value) = value {
            out.push((name.to_owned(), value.as_str(), holds));
        }
    }
    let mut out = Vec::new();
    push(
        &mut out,
        "order.item",
        case.order.item.as_ref(),
        Holds::Sentence,
    );
    push(
        &mut out,
        "order.seller",
        case.order.seller.as_ref(),
        Holds::Name,
    );
    push(
        &mut out,
        "shipping.carrier",
        case.shipping.carrier.as_ref(),
        Holds::Name,
    );
    push(
        &mut out,
        "shipping.tracking_shows",
        case.shipping.tracking_shows.as_ref(),
        Holds::Sentence,
    );
    push(
        &mut out,
        "shipping.return_reason",
        case.shipping.return_reason.as_ref(),
        Holds::Sentence,
    );
    push(
        &mut out,
        "received.problem",
        case.received.problem.as_ref(),
        Holds::Sentence,
    );
    push(
        &mut out,
        "received.listing_says",
        case.received.listing_says.as_ref(),
        Holds::Sentence,
    );
    push(
        &mut out,
        "received.actual",
        case.received.actual.as_ref(),
        Holds::Sentence,
    );
    for (n, contact) in case.contacts.iter().enumerate() {
        push(
            &mut out,
            &format!("contact[{}].channel", n + 1),
            contact.channel.as_ref(),
            Holds::Name,
        );
        push(
            &mut out,
            &format!("contact[{}].summary", n + 1),
            contact.summary.as_ref(),
            Holds::Sentence,
        );
    }
    for note in &case.evidence_notes {
        let field = format!("evidence \"{}\" caption", note.path);
        push(&mut out, &field, note.caption.as_ref(), Holds::Sentence);
    }
    out
}

/// The case's fields that are not in English. A short text in another script is
/// hard to name alone (whatlang takes "Возврат отправителю" for Bulgarian), so it
/// takes the language that another field of the case in the same script was
/// reliably found to be in: a buyer writes their case in one language. When no
/// field says, it is named by its script ("Cyrillic script").
pub fn foreign_fields(case: &Case) -> Vec<Foreign> {
    let mut found: Vec<(Foreign, Option<&'static str>)> = fields(case)
        .into_iter()
        .filter_map(|(field, text, holds)| {
            let names_only = holds == Holds::Name;
            let (language, latin) = detect(text)?;
            let script = (!latin)
                .then(|| whatlang::detect_script(text).map(script_name))
                .flatten();
            (!names_only || !latin).then(|| {
                (
                    Foreign {
                        field,
                        text: text.to_owned(),
                        language,
                        latin,
                        name: names_only,
                    },
                    script,
                )
            })
        })
        .collect();
    let named: Vec<(&'static str, String)> = found
        .iter()
        .filter_map(|(f, script)| {
            let script = (*script)?;
            (f.language != script).then(|| (script, f.language.clone()))
        })
        .collect();
    for (f, script) in &mut found {
        if let Some(script) = script
            && f.language == *script
            && let Some((_, language)) = named.iter().find(|(s, _)| s == script)
        {
            f.language = language.clone();
        }
    }
    found.into_iter().map(|(f, _)| f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_told_offline() {
        assert_eq!(
            detect("Беспроводные наушники TWS, белые"),
            Some(("Russian".to_owned(), false))
        );
        assert_eq!(
            detect("Devolução ao remetente: o prazo de armazenamento expirou"),
            Some(("Portuguese".to_owned(), true))
        );
        let (shop, latin) = detect("家居灯饰店 ✨").unwrap();
        assert!(!latin, "{shop}");
        assert_eq!(
            detect("The grille is dented and the speaker rattles."),
            None
        );
        // Too short to judge in Latin letters; an English sentence quoting a name.
        assert_eq!(detect("XYZ Store"), None);
        assert_eq!(
            detect("The seller 家居灯饰店 did not answer my message."),
            None
        );
        assert_eq!(detect("2026-10-09"), None);
    }
}
