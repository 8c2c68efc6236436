//! Untrusted text made safe for a terminal.
//!
//! File names and case text come from sellers, phones and chat exports; printed as
//! they are, they could move the cursor, recolour the terminal, or make one name read
//! as another. Everything claimpack prints that it did not write itself goes through
//! here.

/// Characters that change how a terminal shows the text around them without showing
/// themselves: bidirectional overrides and isolates (which can make `evil.exe` read
/// as `exe.live`) and zero-width characters (which make two different names look
/// the same), plus the Unicode line separators.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Replaces control characters (ESC, CR, BEL, …) and invisible formatting characters
/// with `?`, keeping newlines and tabs that our own messages use for layout.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| {
            if (c.is_control() && c != '\n' && c != '\t') || is_invisible(c) {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// Like [`sanitize`], for a single-line name: newlines and tabs become `?` too.
pub fn sanitize_name(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_invisible(c) {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// Like [`sanitize_name`], for a page a person reads: each hidden character is shown
/// as its code (`[U+202E]`), so a reviewer sees that a seller's file name was built
/// to read as something else, instead of the disguise.
pub fn visible(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_invisible(c) {
            shown.push_str(&format!("[U+{:04X}]", c as u32));
        } else {
            shown.push(c);
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_in_names_are_neutralised() {
        assert_eq!(sanitize_name("evil\x1b[2J\nname"), "evil?[2J?name");
        assert_eq!(sanitize("line one\nline\x07 two"), "line one\nline? two");
        // Right-to-left override: "photo\u{202E}gpj.exe" shows as "photoexe.jpg".
        assert_eq!(sanitize_name("photo\u{202E}gpj.exe"), "photo?gpj.exe");
        assert_eq!(sanitize_name("box\u{200B}front.jpg"), "box?front.jpg");
        assert_eq!(sanitize("\u{2066}x\u{2069}\u{FEFF}"), "?x??");
        assert_eq!(sanitize_name("коробка 家居 ✨"), "коробка 家居 ✨");
    }

    #[test]
    fn hidden_characters_are_shown_by_their_codes_in_pages() {
        assert_eq!(visible("photo\u{202E}gpj.exe"), "photo[U+202E]gpj.exe");
        assert_eq!(visible("a\u{200B}b\nc"), "a[U+200B]b[U+000A]c");
        assert_eq!(visible("коробка.jpg"), "коробка.jpg");
    }
}
