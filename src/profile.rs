//! Platform profiles: what each marketplace or card network calls each reason, what
//! it accepts as evidence, how long its text box is and which deadlines it sets.
//!
//! The facts live in `knowledge/platforms/<platform>.toml`, each with the source it
//! was taken from. A fact nobody could source is written `"unknown"` there and stays
//! `None` here: the tool must never present a guess as a platform rule.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::model::{Platform, Reason, Resolution};
use crate::templates::{TemplateError, Templates, parse_toml};

/// One sourced fact; `value` is `None` when the source says it is not known.
#[derive(Debug, Clone, Serialize)]
pub struct Fact<T> {
    pub value: Option<T>,
    pub source: String,
}

impl<T> Fact<T> {
    pub fn get(&self) -> Option<&T> {
        self.value.as_ref()
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Fact<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            value: toml::Value,
            source: String,
        }
        let raw = Raw::deserialize(d)?;
        if raw.source.trim().is_empty() {
            return Err(serde::de::Error::custom("every fact needs a source"));
        }
        let value = match raw.value {
            toml::Value::String(s) if s == "unknown" => None,
            other => Some(other.try_into().map_err(serde::de::Error::custom)?),
        };
        Ok(Fact {
            value,
            source: raw.source,
        })
    }
}

/// A platform's whole profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub platform: Platform,
    /// "AliExpress", "Card chargeback (Visa / Mastercard)".
    pub name: String,
    /// The protection scheme the dispute runs under.
    pub programme: Fact<String>,
    /// The documents facts cite as `[name]`.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    /// The platform's own name (or network code) for each of the 14 reasons.
    pub reasons: BTreeMap<Reason, Fact<String>>,
    /// The platform's name for each resolution it offers; a missing one is not offered.
    pub resolutions: BTreeMap<Resolution, Fact<String>>,
    pub evidence: EvidenceLimits,
    pub text: TextLimits,
    #[serde(default, rename = "window")]
    pub windows: Vec<Window>,
    /// What the platform itself asks for, per reason, beyond the common checklist.
    #[serde(default)]
    pub guidance: BTreeMap<Reason, Fact<String>>,
    #[serde(default)]
    pub advice: Vec<Advice>,
}

/// What an upload form accepts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceLimits {
    /// File extensions, lower case, without the dot.
    pub formats: Fact<Vec<String>>,
    pub max_file_bytes: Fact<u64>,
    pub max_total_bytes: Fact<u64>,
    pub max_files: Fact<u32>,
    pub max_pages: Fact<u32>,
    pub video: Fact<bool>,
    pub zip: Fact<bool>,
}

/// The statement box.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextLimits {
    /// Characters the box takes.
    pub limit: Fact<u32>,
    pub ascii_only: Fact<bool>,
}

/// Which cases a window or a piece of advice concerns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applies {
    #[default]
    All,
    /// The buyer has the item (damaged, not as described, …).
    InHand,
    /// The parcel never reached the buyer.
    NotInHand,
}

impl Applies {
    pub fn matches(self, reason: Reason) -> bool {
        match self {
            Self::All => true,
            Self::InHand => reason.item_in_hand(),
            Self::NotInHand => !reason.item_in_hand(),
        }
    }
}

/// A time window: when something becomes possible, and until when.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub id: String,
    /// "Open a dispute".
    pub what: String,
    pub opens: Option<Bound>,
    pub closes: Option<Bound>,
    #[serde(default)]
    pub applies: Applies,
    /// Whose time it is: the buyer's own deadline, or the seller's time to answer
    /// (shown without alarm: it is not the buyer who must hurry).
    #[serde(default)]
    pub actor: Actor,
    /// What the buyer may do once the window has closed ("ask AliExpress to step in").
    pub after_close: Option<String>,
    pub source: String,
    pub note: Option<String>,
}

/// Who must act within a window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Actor {
    #[default]
    Buyer,
    Seller,
}

/// "N days after a case date".
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bound {
    /// The case dates this counts from; with several, `pick` chooses among the known ones.
    #[serde(deserialize_with = "one_or_many")]
    pub after: Vec<Anchor>,
    #[serde(default)]
    pub pick: Pick,
    #[serde(default)]
    pub days: u32,
    /// Monday to Friday only.
    #[serde(default)]
    pub business_days: u32,
}

/// A date in the case a deadline counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Anchor {
    Placed,
    Shipped,
    ExpectedBy,
    Delivered,
    MarkedDelivered,
    ProtectionEnds,
    Opened,
    FirstContact,
}

impl Anchor {
    /// The case.toml field a person fills in for this date.
    pub fn field(self) -> &'static str {
        match self {
            Self::Placed => "order.placed",
            Self::Shipped => "shipping.shipped",
            Self::ExpectedBy => "shipping.expected_by",
            Self::Delivered => "shipping.delivered",
            Self::MarkedDelivered => "shipping.marked_delivered",
            Self::ProtectionEnds => "shipping.protection_ends",
            Self::Opened => "dispute.opened",
            Self::FirstContact => "the first [[contact]] date",
        }
    }

    /// Words for the date: "the order date".
    pub fn describe(self) -> &'static str {
        match self {
            Self::Placed => "the order date",
            Self::Shipped => "the shipping date",
            Self::ExpectedBy => "the latest promised delivery date",
            Self::Delivered => "the delivery date",
            Self::MarkedDelivered => "the date tracking shows as delivered",
            Self::ProtectionEnds => "the end of buyer protection",
            Self::Opened => "the day the dispute was opened",
            Self::FirstContact => "the first contact with the seller",
        }
    }
}

/// Which of several known anchor dates counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pick {
    /// The first one listed that the case knows.
    #[default]
    First,
    Earliest,
    Latest,
}

/// A warning buyers lose money over, where it applies.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    pub id: String,
    #[serde(default)]
    pub applies: Applies,
    /// Facts of the case that must all hold for the advice to be given.
    #[serde(default)]
    pub when: Vec<Condition>,
    /// Facts of which none may hold.
    #[serde(default)]
    pub unless: Vec<Condition>,
    pub text: String,
    pub source: String,
}

/// A fact of the case that advice can depend on; each is read from structured
/// case.toml fields, never from free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    /// The dispute is open (`dispute.opened`).
    DisputeOpen,
    /// The seller proposed "no return, no refund" or a partial refund in the
    /// dispute, or asked the buyer to close it.
    SellerProposal,
    /// The buyer asks to return the item for a refund.
    Return,
    /// The seller promised or agreed to something.
    SellerPromised,
    /// Buyer protection ends within 7 days (and has not ended).
    ProtectionNear,
    /// The reason is returned-to-sender.
    Returned,
}

/// The `[name]` citations in a text.
fn cited_sources(text: &str) -> Vec<String> {
    text.split('[')
        .skip(1)
        .filter_map(|rest| rest.split_once(']').map(|(name, _)| name))
        .filter(|name| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        .map(str::to_owned)
        .collect()
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Anchor>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Anchor),
        Many(Vec<Anchor>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(a) => vec![a],
        OneOrMany::Many(v) => v,
    })
}

impl Profile {
    /// Loads and checks the profile of a platform.
    pub fn load(templates: &Templates, platform: Platform) -> Result<Profile, TemplateError> {
        let name = format!("platforms/{}.toml", platform.slug());
        let text = templates.get(&name)?;
        let profile: Profile = parse_toml(&name, &text)?;
        let invalid = |message: String| TemplateError::Invalid {
            name: name.clone(),
            line: 1,
            message,
        };
        if profile.platform != platform {
            return Err(invalid(format!(
                "says platform = \"{}\"; expected \"{}\"",
                profile.platform, platform
            )));
        }
        if let Some(missing) = Reason::ALL
            .iter()
            .find(|r| !profile.reasons.contains_key(r))
        {
            return Err(invalid(format!(
                "has no [reasons] entry for \"{missing}\"; every reason needs one (\"unknown\" is allowed)"
            )));
        }
        let text_json = serde_json::to_string(&profile).unwrap_or_default();
        if let Some(missing) = cited_sources(&text_json)
            .into_iter()
            .find(|name| !profile.sources.contains_key(name))
        {
            return Err(invalid(format!(
                "cites the source [{missing}], which its [sources] table does not define"
            )));
        }
        for window in &profile.windows {
            let empty = |b: &Option<Bound>| b.as_ref().is_some_and(|b| b.after.is_empty());
            if (window.opens.is_none() && window.closes.is_none())
                || empty(&window.opens)
                || empty(&window.closes)
            {
                return Err(invalid(format!(
                    "window \"{}\" needs an `opens` or `closes` bound counting from a case date",
                    window.id
                )));
            }
        }
        Ok(profile)
    }

    /// The platform's name for a reason, if known.
    pub fn reason_name(&self, reason: Reason) -> Option<&str> {
        self.reasons
            .get(&reason)
            .and_then(|f| f.get())
            .map(String::as_str)
    }
}
