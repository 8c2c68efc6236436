//! How a place name is folded before it is looked up: transliterated to ASCII, lower
//! case, cut into words at anything that is not a letter or a digit. "Санкт-Петербург",
//! "SANKT-PETERBURG" and "Sankt Peterburg" all become the words `sankt peterburg` and
//! the key `sanktpeterburg`; "广州市" becomes `guang zhou shi`.
//!
//! build.rs includes this file too and folds every GeoNames name with it, so that the
//! index embedded in the binary and the lookups made at run time can never fold
//! differently. It must therefore depend on nothing but `deunicode`.

/// One word of a folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lower-case ASCII letters and digits.
    pub text: String,
    /// Whether every letter was a capital as written ("CN", "IL"): a two-letter word
    /// is read as a country or region code only then.
    pub capitals: bool,
}

/// The words of `text`, folded.
pub fn words(text: &str) -> Vec<Word> {
    // Unknown characters become a space, so they split words rather than join them.
    let ascii = deunicode::deunicode_with_tofu(text, " ");
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| Word {
            text: w.to_ascii_lowercase(),
            capitals: w.bytes().any(|b| b.is_ascii_alphabetic())
                && !w.bytes().any(|b| b.is_ascii_lowercase()),
        })
        .collect()
}

/// The lookup key of a name: its folded words run together ("São Paulo" → `saopaulo`).
pub fn key(text: &str) -> String {
    words(text).into_iter().map(|w| w.text).collect()
}
