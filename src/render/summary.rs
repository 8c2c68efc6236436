//! The English statement: facts, what the buyer tried, what they ask for, and the list
//! of exhibits. Plain text from a minijinja template, so wording can be reviewed and
//! changed without touching code.

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use super::RenderError;
use crate::model::{Case, Exhibit, Resolution};

const PLAIN: (&str, &str) = (
    "summary/plain.txt.j2",
    include_str!("../../templates/summary/plain.txt.j2"),
);

#[derive(Serialize)]
struct Context<'a> {
    platform: &'static str,
    reason: &'static str,
    reason_phrase: &'static str,
    case: &'a Case,
    resolution: Option<String>,
    exhibits: Vec<ExhibitLine>,
}

#[derive(Serialize)]
struct ExhibitLine {
    id: String,
    kind: &'static str,
    description: String,
}

/// Renders the statement for a case and its exhibits.
pub fn render(case: &Case, exhibits: &[Exhibit]) -> Result<String, RenderError> {
    let template_error = |source| RenderError::Template {
        name: PLAIN.0.to_owned(),
        source,
    };
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .map_err(template_error)?,
    );
    // A missing value is a bug in the template, never a silent "None" in a claim.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_template(PLAIN.0, PLAIN.1).map_err(template_error)?;
    let context = Context {
        platform: case.platform.display_name(),
        reason: case.reason.slug(),
        reason_phrase: case.reason.statement_phrase(),
        case,
        resolution: resolution_sentence(case),
        exhibits: exhibits
            .iter()
            .map(|e| ExhibitLine {
                id: e.id.to_string(),
                kind: e.kind.slug(),
                description: e.caption.clone().unwrap_or_else(|| e.source_name.clone()),
            })
            .collect(),
    };
    env.get_template(PLAIN.0)
        .and_then(|t| t.render(Serde(&context)))
        .map_err(template_error)
}

/// "I ask for a full refund of 34.99 USD without returning the item."
fn resolution_sentence(case: &Case) -> Option<String> {
    let request = case.request.as_ref()?;
    let amount = request.amount.as_ref();
    let partial = match (amount, case.order.total.as_ref()) {
        (Some(asked), Some(total)) => asked.compare(total) == Some(std::cmp::Ordering::Less),
        _ => false,
    };
    let refund = match amount {
        Some(amount) if partial => format!("a partial refund of {amount}"),
        Some(amount) => format!("a full refund of {amount}"),
        None => "a full refund".to_owned(),
    };
    let sentence = match request.resolution {
        Some(Resolution::RefundOnly) => format!("I ask for {refund} without returning the item."),
        Some(Resolution::ReturnAndRefund) => format!("I ask for {refund} after I return the item."),
        Some(Resolution::PartialRefund) => format!("I ask for {refund}, keeping the item."),
        Some(Resolution::Replacement) => "I ask for a replacement.".to_owned(),
        None => format!("I ask for {refund}."),
    };
    Some(sentence)
}
