//! A page's title and visible text, from its HTML: what a person reads on the page,
//! without scripts, styles or markup. Used for pages saved without a browser and for
//! the DOM Chromium renders. The text is data: it is never put into a report as HTML.

use scraper::{ElementRef, Html, Node};

/// Elements whose content is never shown.
const HIDDEN: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "canvas", "iframe", "object",
];
/// Elements that start a new line of text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
    "td",
    "th",
];

/// Decodes page bytes: the charset the server declared, else the one a `<meta>` tag
/// declares, else UTF-8 (invalid bytes become U+FFFD).
pub fn decode(bytes: &[u8], declared: Option<&str>) -> String {
    let from_meta = || {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
        let at = head.find("charset=")? + "charset=".len();
        let name: String = head[at..]
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        Some(name)
    };
    let label = declared.map(str::to_owned).or_else(from_meta);
    let encoding = label
        .and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    encoding.decode(bytes).0.into_owned()
}

/// The `<title>`, trimmed, if any.
pub fn title(html: &str) -> Option<String> {
    let document = Html::parse_document(html);
    let selector = scraper::Selector::parse("title").ok()?;
    let title = document.select(&selector).next()?;
    let text = collapse(&title.text().collect::<String>());
    (!text.is_empty()).then_some(text)
}

/// The text a person sees, one block per line.
pub fn visible_text(html: &str) -> String {
    let document = Html::parse_document(html);
    let mut out = String::new();
    walk(document.root_element(), &mut out);
    out.lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn walk(element: ElementRef, out: &mut String) {
    let name = element.value().name();
    if HIDDEN.contains(&name) {
        return;
    }
    let block = BLOCKS.contains(&name);
    if block {
        out.push('\n');
    }
    for child in element.children() {
        match child.value() {
            Node::Text(text) => {
                out.push_str(text);
            }
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    walk(child, out);
                }
            }
            _ => {}
        }
    }
    if block {
        out.push('\n');
    } else if matches!(name, "span" | "a" | "td" | "th" | "label") {
        out.push(' ');
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_styles_are_not_text() {
        let html = "<html><head><title> Track  LP001 </title><style>p{}</style></head>\
                    <body><script>document.write('x')</script><h1>Status</h1>\
                    <p>In <b>transit</b></p><div>Last update: 2026-10-10</div></body></html>";
        assert_eq!(title(html).as_deref(), Some("Track LP001"));
        assert_eq!(
            visible_text(html),
            "Status\nIn transit\nLast update: 2026-10-10\n"
        );
    }

    #[test]
    fn declared_charsets_are_honoured() {
        let latin1 = b"<p>Z\xfcrich</p>";
        assert!(decode(latin1, Some("iso-8859-1")).contains("Zürich"));
        let meta = b"<meta charset=\"windows-1252\"><p>\x93quoted\x94</p>";
        assert!(decode(meta, None).contains("\u{201c}quoted\u{201d}"));
        assert!(decode("é".as_bytes(), None).contains('é'));
    }
}
