//! Scaffolding: new case folders. `init` writes an empty, commented case; `demo` (in
//! `demo`) writes a sample one. Neither ever deletes or overwrites evidence: `--force`
//! replaces only the files this module itself writes.

pub mod add;
pub mod demo;

use std::collections::BTreeMap;
use std::fs;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use crate::intake::CASE_FILE;
use crate::model::{EvidenceKind, Platform, Reason};

/// Why a case folder could not be created.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{} already has a case.toml; pass --force to replace it (evidence files are kept)", .0.display())]
    Exists(PathBuf),
    #[error("{} exists and is not empty; pass --force to write the demo into it anyway, or --out to choose another folder", .0.display())]
    NotEmpty(PathBuf),
    #[error("{}: cannot write", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("case.toml template failed")]
    Template(#[source] minijinja::Error),
    #[error(transparent)]
    Templates(#[from] crate::templates::TemplateError),
    #[error("could not read the answer from the terminal")]
    Prompt(#[source] std::io::Error),
}

/// Checked settings for `init`.
#[derive(Debug, Clone)]
pub struct InitConfig {
    pub dir: PathBuf,
    pub platform: Option<Platform>,
    pub reason: Option<Reason>,
    pub order: Option<String>,
    /// Whether an existing case.toml may be replaced (`--force`).
    pub existing: crate::output::Existing,
    pub prompt: Prompt,
    pub templates: crate::templates::Templates,
}

/// Whether `init` asks for what the command line did not give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// On a terminal, without `--quiet`.
    Ask,
    DoNotAsk,
}

/// What `init` wrote.
#[derive(Debug, Clone)]
pub struct Created {
    pub dir: PathBuf,
    pub missing: Vec<&'static str>,
}

/// Creates the case folder, its evidence subfolders and a commented case.toml.
pub fn init(config: &InitConfig) -> Result<Created, ScaffoldError> {
    let case_path = config.dir.join(CASE_FILE);
    if case_path.symlink_metadata().is_ok() && config.existing == crate::output::Existing::Refuse {
        return Err(ScaffoldError::Exists(config.dir.clone()));
    }
    let mut platform = config.platform;
    let mut reason = config.reason;
    let mut order = config.order.clone().filter(|o| !o.trim().is_empty());
    let mut facts = BTreeMap::new();
    if config.prompt == Prompt::Ask {
        // Ctrl-C at a question ends init at once: nothing is written until the
        // last answer, and a blocked read would otherwise wait for Enter.
        let _at_prompt = crate::interrupt::AtPrompt::enter();
        let mut stdin = std::io::stdin().lock();
        if platform.is_none() {
            platform = ask_choice(
                &mut stdin,
                "Platform",
                &Platform::SLUGS,
                Platform::from_slug,
            )?;
        }
        if reason.is_none() {
            reason = ask_choice(&mut stdin, "Reason", &Reason::SLUGS, Reason::from_slug)?;
        }
        if order.is_none() {
            order = ask(&mut stdin, "Order number (from the order page)")?;
        }
        if let Some(reason) = reason {
            facts = ask_facts(&mut stdin, reason)?;
        }
    }
    let mut missing = Vec::new();
    let quoted = |value: Option<&str>, field: &'static str, missing: &mut Vec<&'static str>| {
        if value.is_none() {
            missing.push(field);
        }
        toml_string(value.unwrap_or(""))
    };
    let text = render_case(
        &config.templates,
        &config.dir,
        &quoted(platform.map(Platform::slug), "platform", &mut missing),
        &quoted(reason.map(Reason::slug), "reason", &mut missing),
        &quoted(order.as_deref().map(str::trim), "order.id", &mut missing),
        &facts,
    )?;

    let write_error = |path: &Path| {
        let path = path.to_owned();
        move |source| ScaffoldError::Write { path, source }
    };
    for (folder, _) in EvidenceKind::FOLDERS {
        let path = config.dir.join(folder);
        fs::create_dir_all(&path).map_err(write_error(&path))?;
    }
    write_atomically(&case_path, text.as_bytes())?;
    Ok(Created {
        dir: config.dir.clone(),
        missing,
    })
}

fn render_case(
    templates: &crate::templates::Templates,
    dir: &Path,
    platform: &str,
    reason: &str,
    order: &str,
    facts: &BTreeMap<&'static str, String>,
) -> Result<String, ScaffoldError> {
    let mut env = minijinja::Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .map_err(ScaffoldError::Template)?,
    );
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_template_owned("case.toml.j2", templates.get("case.toml.j2")?.into_owned())
        .map_err(ScaffoldError::Template)?;
    let dir = crate::text::shell_quote(&dir.display().to_string());
    env.get_template("case.toml.j2")
        .and_then(|t| t.render(minijinja::context! { dir, platform, reason, order, facts }))
        .map_err(ScaffoldError::Template)
}

/// A TOML basic string with everything escaped that must be.
fn toml_string(value: &str) -> String {
    toml::Value::String(value.to_owned()).to_string()
}

/// Writes a small file through a temporary sibling and a rename.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ScaffoldError> {
    crate::output::write_whole(path, bytes, crate::output::Existing::Replace).map_err(|source| {
        ScaffoldError::Write {
            path: path.to_owned(),
            source,
        }
    })
}

fn ask(input: &mut impl BufRead, question: &str) -> Result<Option<String>, ScaffoldError> {
    eprint!("{question}: ");
    let mut line = String::new();
    input.read_line(&mut line).map_err(ScaffoldError::Prompt)?;
    let answer = line.trim();
    Ok((!answer.is_empty()).then(|| answer.to_owned()))
}

/// Asks until `read` accepts the answer (or it is empty, which skips the field);
/// `choices` are shown first and a near miss gets "did you mean".
fn ask_choice<T>(
    input: &mut impl BufRead,
    question: &str,
    choices: &[&str],
    read: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, ScaffoldError> {
    eprintln!("{question}, one of: {}", choices.join(", "));
    for _ in 0..3 {
        match ask(input, question)? {
            None => return Ok(None),
            Some(answer) => match read(&answer) {
                Some(value) => return Ok(Some(value)),
                None => match crate::suggest::nearest(&answer, choices) {
                    Some(near) => {
                        eprintln!("\"{answer}\" is not one of them; did you mean {near}?")
                    }
                    None => eprintln!("\"{answer}\" is not one of them."),
                },
            },
        }
    }
    Ok(None)
}

/// What an answer at the prompt must be.
#[derive(Debug, Clone, Copy)]
enum AnswerKind {
    Text,
    Count,
    Money,
    Date,
    YesNo,
    /// An ISO 3166-1 alpha-2 code, or a country's name in any language.
    Country,
}

/// The facts that decide a dispute for this reason, as `init` asks for them: the
/// case.toml field, the question, and what the answer must be.
fn questions(reason: Reason) -> &'static [(&'static str, &'static str, AnswerKind)] {
    use AnswerKind::*;
    match reason {
        Reason::Damaged | Reason::Defective | Reason::EmptyPackage => &[(
            "received.problem",
            "What is wrong, in one English sentence (\"The lamp base is cracked right through.\")",
            Text,
        )],
        Reason::NotAsDescribed | Reason::WrongItem | Reason::Counterfeit => &[
            (
                "received.listing_says",
                "What the listing promised (\"Size L, chest 46 in\")",
                Text,
            ),
            (
                "received.actual",
                "What arrived instead (\"Size M, chest 42 in\")",
                Text,
            ),
        ],
        Reason::MissingItems => &[
            ("order.quantity", "How many you ordered", Count),
            ("received.quantity", "How many arrived", Count),
        ],
        Reason::CustomsHeld => &[
            (
                "customs.fee",
                "What customs charges, with the currency (\"142.17 BRL\")",
                Money,
            ),
            (
                "customs.seller_promised_to_pay",
                "Did the seller promise to pay it? (y/n)",
                YesNo,
            ),
        ],
        Reason::ReturnedToSender => &[(
            "shipping.return_reason",
            "Why it went back, as the tracking page says (\"storage period expired\")",
            Text,
        )],
        Reason::DeliveredNotReceived => &[
            (
                "shipping.marked_delivered",
                "The day the tracking says it was delivered (2026-10-27)",
                Date,
            ),
            (
                "shipping.delivered_to",
                "The place the tracking page names for the delivery, as it writes it (\"GUANGZHOU, CN\")",
                Text,
            ),
            (
                "buyer.city",
                "The town or city of your shipping address (\"Porto\")",
                Text,
            ),
            ("buyer.country", "Your country (PT, or Portugal)", Country),
        ],
        _ => &[],
    }
}

/// The answer as a TOML value, or why it is not one.
fn toml_value(answer: &str, kind: AnswerKind) -> Result<String, String> {
    match kind {
        AnswerKind::Text => Ok(toml_string(answer)),
        AnswerKind::Count => answer
            .parse::<u32>()
            .map(|n| n.to_string())
            .map_err(|_| "write a whole number, like 5".to_owned()),
        AnswerKind::Money => answer
            .parse::<crate::model::Money>()
            .map(|m| toml_string(&m.to_string()))
            .map_err(|_| match crate::suggest::money_advice(answer) {
                Some((money, doubt)) => format!("write it as {money}{doubt}"),
                None => "write an amount and a currency code, like 142.17 BRL".to_owned(),
            }),
        AnswerKind::Date => answer
            .parse::<jiff::civil::Date>()
            .map(|d| d.to_string())
            .map_err(|_| crate::suggest::flag_date_advice(answer)),
        AnswerKind::YesNo => match answer.to_ascii_lowercase().as_str() {
            "y" | "yes" => Ok("true".to_owned()),
            "n" | "no" => Ok("false".to_owned()),
            _ => Err("answer y or n".to_owned()),
        },
        AnswerKind::Country => {
            use crate::geo::gazetteer;
            let country = match answer.len() {
                2 => gazetteer::country(answer),
                3 => gazetteer::country_by_code3(answer),
                _ => None,
            }
            .or_else(|| gazetteer::country_by_key(&crate::geo::fold::key(answer)));
            country
                .map(|c| toml_string(&c.iso))
                .ok_or_else(|| "write your country's two-letter code, like PT, US or DE".to_owned())
        }
    }
}

/// Asks the reason's own questions; an empty answer skips one, a wrong one is
/// asked again (three times at most).
fn ask_facts(
    input: &mut impl BufRead,
    reason: Reason,
) -> Result<BTreeMap<&'static str, String>, ScaffoldError> {
    let mut facts = BTreeMap::new();
    for &(field, question, kind) in questions(reason) {
        for _ in 0..3 {
            let Some(answer) = ask(input, question)? else {
                break;
            };
            match toml_value(&answer, kind) {
                Ok(value) => {
                    facts.insert(field, value);
                    break;
                }
                Err(why) => eprintln!("\"{answer}\": {why}."),
            }
        }
    }
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reasons_own_questions_become_case_toml_values() {
        let mut input = std::io::Cursor::new("twelve\n12\n5\n");
        let facts = ask_facts(&mut input, Reason::MissingItems).unwrap();
        assert_eq!(facts["order.quantity"], "12");
        assert_eq!(facts["received.quantity"], "5");

        let mut input = std::io::Cursor::new("142.17 BRL\nyes\n");
        let facts = ask_facts(&mut input, Reason::CustomsHeld).unwrap();
        assert_eq!(facts["customs.fee"], "\"142.17 BRL\"");
        assert_eq!(facts["customs.seller_promised_to_pay"], "true");

        // Skipped answers leave the field out.
        let mut input = std::io::Cursor::new("\n");
        assert!(ask_facts(&mut input, Reason::Damaged).unwrap().is_empty());
    }

    #[test]
    fn answers_land_in_their_tables_and_the_case_parses() {
        let templates = crate::templates::Templates::builtin();
        for reason in Reason::ALL {
            let mut facts = BTreeMap::new();
            for &(field, _, kind) in questions(reason) {
                let sample = match kind {
                    AnswerKind::Text => "A \"quoted\" answer",
                    AnswerKind::Count => "3",
                    AnswerKind::Money => "9.50 EUR",
                    AnswerKind::Date => "2026-10-27",
                    AnswerKind::YesNo => "y",
                    AnswerKind::Country => "Portugal",
                };
                facts.insert(field, toml_value(sample, kind).unwrap());
            }
            let text = render_case(
                &templates,
                Path::new("my-claim"),
                "\"ebay\"",
                &format!("\"{reason}\""),
                "\"1\"",
                &facts,
            )
            .unwrap();
            let case = crate::intake::case_file::parse(Path::new("case.toml"), text.into_bytes())
                .unwrap_or_else(|e| panic!("{reason}: {e}"))
                .case;
            match reason {
                Reason::Damaged => assert_eq!(
                    case.received.problem.as_deref(),
                    Some("A \"quoted\" answer")
                ),
                Reason::MissingItems => assert_eq!(
                    (case.order.quantity, case.received.quantity),
                    (Some(3), Some(3))
                ),
                Reason::CustomsHeld => assert_eq!(case.customs.seller_promised_to_pay, Some(true)),
                Reason::DeliveredNotReceived => {
                    assert!(case.shipping.marked_delivered.is_some());
                    let buyer = case.buyer.unwrap();
                    assert_eq!(buyer.country.as_deref(), Some("PT"));
                    assert!(buyer.city.is_some() && case.shipping.delivered_to.is_some());
                }
                _ => {}
            }
        }
    }
}
