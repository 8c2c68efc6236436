//! Domain types shared by every stage: the case as the buyer describes it, the kinds of
//! evidence, money and exhibit ids. No I/O happens here, and nothing here knows about
//! the command line (`cli` teaches clap the slugs); stages pass these values to each
//! other.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The marketplace or payment route the dispute is filed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    Aliexpress,
    Ebay,
    Paypal,
    Amazon,
    Etsy,
    Temu,
    Card,
    Other,
}

impl Platform {
    pub const ALL: [Platform; 8] = [
        Self::Aliexpress,
        Self::Ebay,
        Self::Paypal,
        Self::Amazon,
        Self::Etsy,
        Self::Temu,
        Self::Card,
        Self::Other,
    ];

    /// Other names buyers write for a platform.
    pub const ALIASES: [(&'static str, Platform); 8] = [
        ("ali-express", Self::Aliexpress),
        ("e-bay", Self::Ebay),
        ("pay-pal", Self::Paypal),
        ("chargeback", Self::Card),
        ("credit-card", Self::Card),
        ("debit-card", Self::Card),
        ("visa", Self::Card),
        ("mastercard", Self::Card),
    ];

    /// The slugs, for "expected one of" messages.
    pub const SLUGS: [&'static str; 8] = [
        "aliexpress",
        "ebay",
        "paypal",
        "amazon",
        "etsy",
        "temu",
        "card",
        "other",
    ];

    /// The platform a slug or alias names, in any letter case, with `_` or spaces
    /// for `-`.
    pub fn from_slug(text: &str) -> Option<Platform> {
        let text = crate::suggest::fold(text);
        Self::ALL
            .into_iter()
            .find(|p| p.slug() == text)
            .or_else(|| {
                Self::ALIASES
                    .iter()
                    .find(|(a, _)| *a == text)
                    .map(|(_, p)| *p)
            })
    }

    /// The slug used in case.toml and file names.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Aliexpress => "aliexpress",
            Self::Ebay => "ebay",
            Self::Paypal => "paypal",
            Self::Amazon => "amazon",
            Self::Etsy => "etsy",
            Self::Temu => "temu",
            Self::Card => "card",
            Self::Other => "other",
        }
    }

    /// The name a person would write.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Aliexpress => "AliExpress",
            Self::Ebay => "eBay",
            Self::Paypal => "PayPal",
            Self::Amazon => "Amazon",
            Self::Etsy => "Etsy",
            Self::Temu => "Temu",
            Self::Card => "card issuer (chargeback)",
            Self::Other => "other",
        }
    }
}

/// Read in any letter case and by alias, so case.toml accepts what the prompt does.
impl<'de> Deserialize<'de> for Platform {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Platform::from_slug(&text)
            .ok_or_else(|| serde::de::Error::unknown_variant(&text, &Platform::SLUGS))
    }
}

/// Read in any letter case and by alias (`snad`, `inr`).
impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Reason::from_slug(&text)
            .ok_or_else(|| serde::de::Error::unknown_variant(&text, &Reason::SLUGS))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// Why the buyer disputes the order: the 14 reasons (`claimpack reasons`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    NotReceived,
    NoTracking,
    DeliveredNotReceived,
    ReturnedToSender,
    CustomsHeld,
    NotShipped,
    Damaged,
    NotAsDescribed,
    WrongItem,
    MissingItems,
    EmptyPackage,
    Defective,
    Counterfeit,
    RefundNotReceived,
}

impl Reason {
    pub const ALL: [Reason; 14] = [
        Self::NotReceived,
        Self::NoTracking,
        Self::DeliveredNotReceived,
        Self::ReturnedToSender,
        Self::CustomsHeld,
        Self::NotShipped,
        Self::Damaged,
        Self::NotAsDescribed,
        Self::WrongItem,
        Self::MissingItems,
        Self::EmptyPackage,
        Self::Defective,
        Self::Counterfeit,
        Self::RefundNotReceived,
    ];

    /// The platforms' own terms and other names buyers write for a reason.
    pub const ALIASES: [(&'static str, Reason); 20] = [
        ("inr", Self::NotReceived),
        ("item-not-received", Self::NotReceived),
        ("not-delivered", Self::NotReceived),
        ("never-arrived", Self::NotReceived),
        ("never-received", Self::NotReceived),
        ("snad", Self::NotAsDescribed),
        ("significantly-not-as-described", Self::NotAsDescribed),
        ("item-not-as-described", Self::NotAsDescribed),
        ("delivered-but-not-received", Self::DeliveredNotReceived),
        ("marked-delivered", Self::DeliveredNotReceived),
        ("return-to-sender", Self::ReturnedToSender),
        ("held-in-customs", Self::CustomsHeld),
        ("not-sent", Self::NotShipped),
        ("empty-box", Self::EmptyPackage),
        ("missing-item", Self::MissingItems),
        ("missing-parts", Self::MissingItems),
        ("wrong-items", Self::WrongItem),
        ("fake", Self::Counterfeit),
        ("not-working", Self::Defective),
        ("no-refund", Self::RefundNotReceived),
    ];

    /// The slugs, for "expected one of" messages.
    pub const SLUGS: [&'static str; 14] = [
        "not-received",
        "no-tracking",
        "delivered-not-received",
        "returned-to-sender",
        "customs-held",
        "not-shipped",
        "damaged",
        "not-as-described",
        "wrong-item",
        "missing-items",
        "empty-package",
        "defective",
        "counterfeit",
        "refund-not-received",
    ];

    /// The reason a slug or alias names, in any letter case, with `_` or spaces
    /// for `-`.
    pub fn from_slug(text: &str) -> Option<Reason> {
        let text = crate::suggest::fold(text);
        Self::ALL
            .into_iter()
            .find(|r| r.slug() == text)
            .or_else(|| {
                Self::ALIASES
                    .iter()
                    .find(|(a, _)| *a == text)
                    .map(|(_, r)| *r)
            })
    }

    /// The slug used in case.toml.
    pub fn slug(self) -> &'static str {
        match self {
            Self::NotReceived => "not-received",
            Self::NoTracking => "no-tracking",
            Self::DeliveredNotReceived => "delivered-not-received",
            Self::ReturnedToSender => "returned-to-sender",
            Self::CustomsHeld => "customs-held",
            Self::NotShipped => "not-shipped",
            Self::Damaged => "damaged",
            Self::NotAsDescribed => "not-as-described",
            Self::WrongItem => "wrong-item",
            Self::MissingItems => "missing-items",
            Self::EmptyPackage => "empty-package",
            Self::Defective => "defective",
            Self::Counterfeit => "counterfeit",
            Self::RefundNotReceived => "refund-not-received",
        }
    }

    /// One line saying when this reason is the right one.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::NotReceived => {
                "parcel not arrived, tracking stalled or still in transit past the promised time"
            }
            Self::NoTracking => "tracking number invalid, never updates, or shows no information",
            Self::DeliveredNotReceived => {
                "tracking says delivered, but you never received it (other address or city)"
            }
            Self::ReturnedToSender => "parcel returned to the seller",
            Self::CustomsHeld => {
                "held or seized at customs, or customs charges the seller promised to cover"
            }
            Self::NotShipped => "seller did not ship within the processing time",
            Self::Damaged => "arrived broken or crushed",
            Self::NotAsDescribed => {
                "quality, size, colour, material or function differs from the listing"
            }
            Self::WrongItem => "a different product was sent",
            Self::MissingItems => "fewer items or parts than ordered",
            Self::EmptyPackage => "the parcel arrived empty",
            Self::Defective => "does not work",
            Self::Counterfeit => "fake of a branded product",
            Self::RefundNotReceived => {
                "the seller agreed to refund or the item was returned, but no money came"
            }
        }
    }

    /// A short noun phrase for the statement ("the parcel never arrived").
    pub fn statement_phrase(self) -> &'static str {
        match self {
            Self::NotReceived => "the parcel has not arrived",
            Self::NoTracking => "the tracking number shows no valid shipment",
            Self::DeliveredNotReceived => {
                "the tracking shows the parcel as delivered, but I never received it"
            }
            Self::ReturnedToSender => "the parcel was returned to the seller",
            Self::CustomsHeld => "the parcel is held at customs",
            Self::NotShipped => "the seller did not ship the order",
            Self::Damaged => "the item arrived damaged",
            Self::NotAsDescribed => "the item is not as described in the listing",
            Self::WrongItem => "I received a different item from the one I ordered",
            Self::MissingItems => "items or parts of the order are missing",
            Self::EmptyPackage => "the parcel arrived empty",
            Self::Defective => "the item does not work",
            Self::Counterfeit => "the item is a counterfeit of a branded product",
            Self::RefundNotReceived => "the refund the seller agreed to has not reached me",
        }
    }
}

impl Reason {
    /// Whether this reason means the buyer has the parcel in hand (so it was delivered).
    pub fn item_in_hand(self) -> bool {
        matches!(
            self,
            Self::Damaged
                | Self::NotAsDescribed
                | Self::WrongItem
                | Self::MissingItems
                | Self::EmptyPackage
                | Self::Defective
                | Self::Counterfeit
        )
    }

    /// Whether a place of delivery in tracking belongs to this reason's story: the
    /// parcel never reached the buyer, and tracking may say it was delivered
    /// elsewhere. The statement then says where, and how far that is.
    pub fn delivered_elsewhere(self) -> bool {
        matches!(self, Self::DeliveredNotReceived | Self::NotReceived)
    }

    /// Whether this reason means the parcel never reached the buyer.
    pub fn parcel_not_in_hand(self) -> bool {
        matches!(
            self,
            Self::NotReceived
                | Self::NoTracking
                | Self::DeliveredNotReceived
                | Self::ReturnedToSender
                | Self::CustomsHeld
                | Self::NotShipped
        )
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// What the buyer asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Resolution {
    RefundOnly,
    /// A refund of part of the price; the buyer keeps the item. Needs an amount.
    PartialRefund,
    ReturnAndRefund,
    Replacement,
}

impl Resolution {
    /// Words for the statement.
    pub fn describe(self) -> &'static str {
        match self {
            Self::RefundOnly => "a refund without returning the item",
            Self::PartialRefund => "a partial refund, keeping the item",
            Self::ReturnAndRefund => "a refund after returning the item",
            Self::Replacement => "a replacement",
        }
    }

    pub const ALL: [Resolution; 4] = [
        Self::RefundOnly,
        Self::PartialRefund,
        Self::ReturnAndRefund,
        Self::Replacement,
    ];

    /// The slug used in case.toml.
    pub fn slug(self) -> &'static str {
        match self {
            Self::RefundOnly => "refund-only",
            Self::PartialRefund => "partial-refund",
            Self::ReturnAndRefund => "return-and-refund",
            Self::Replacement => "replacement",
        }
    }
}

/// The kind of an exhibit: from its subfolder, a `[[evidence]]` override, or its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    Photo,
    Screenshot,
    Video,
    Chat,
    Tracking,
    Listing,
    Order,
    Document,
    Other,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 9] = [
        Self::Photo,
        Self::Screenshot,
        Self::Video,
        Self::Chat,
        Self::Tracking,
        Self::Listing,
        Self::Order,
        Self::Document,
        Self::Other,
    ];

    /// The case subfolders, in the order exhibits are numbered.
    pub const FOLDERS: [(&'static str, EvidenceKind); 7] = [
        ("photos", Self::Photo),
        ("videos", Self::Video),
        ("chat", Self::Chat),
        ("tracking", Self::Tracking),
        ("listing", Self::Listing),
        ("order", Self::Order),
        ("documents", Self::Document),
    ];

    /// The kind a top-level subfolder name stands for.
    pub fn from_folder(name: &str) -> Option<Self> {
        Self::FOLDERS
            .iter()
            .find(|(folder, _)| *folder == name)
            .map(|(_, kind)| *kind)
    }

    pub fn slug(self) -> &'static str {
        match self {
            Self::Photo => "photo",
            Self::Screenshot => "screenshot",
            Self::Video => "video",
            Self::Chat => "chat",
            Self::Tracking => "tracking",
            Self::Listing => "listing",
            Self::Order => "order",
            Self::Document => "document",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for EvidenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// Where an exhibit's kind came from, which decides whether the statement may cite
/// it as proof of something without the buyer saying so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KindSource {
    /// The kind folder it is in (`tracking/`).
    Folder,
    /// An `[[evidence]] kind` in case.toml.
    CaseFile,
    /// Its content (an image without camera EXIF is a screenshot).
    #[default]
    Content,
}

/// An exhibit number: E01, E02, … E99, E100 …
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExhibitId(pub u32);

impl fmt::Display for ExhibitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "E{:02}", self.0)
    }
}

impl Serialize for ExhibitId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A sum of money: an exact decimal amount and an ISO 4217 currency.
///
/// Kept as an integer of minor units so that "34.99 USD" never becomes 34.989999.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    /// The amount in units of 10^-scale ("34.99" is 3499 with scale 2).
    pub units: u64,
    pub scale: u32,
    pub currency: iso_currency::Currency,
}

/// Why a money text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("expected an amount and a currency code, like \"34.99 USD\"")]
    Shape,
    #[error("\"{0}\" is not a decimal amount (digits, at most one '.', no thousands separators)")]
    Amount(String),
    #[error(
        "\"{0}\" is not an ISO 4217 currency code (three capital letters such as USD, EUR, GBP)"
    )]
    Currency(String),
    #[error("{currency} has {allowed} decimal places, \"{amount}\" has more")]
    Decimals {
        amount: String,
        currency: String,
        allowed: u32,
    },
    #[error("the amount is too large")]
    TooLarge,
}

impl Money {
    /// This amount `n` times, unless it overflows.
    pub fn times(&self, n: u32) -> Option<Money> {
        Some(Money {
            units: self.units.checked_mul(n as u64)?,
            ..self.clone()
        })
    }

    /// This amount split into `n` equal parts, when it splits exactly in its own
    /// minor units ("24.00 GBP" / 12 = "2.00 GBP"; "34.99 USD" / 2 does not).
    pub fn divided_exactly(&self, n: u32) -> Option<Money> {
        let n = n as u64;
        (n > 0 && self.units.is_multiple_of(n)).then(|| Money {
            units: self.units / n,
            ..self.clone()
        })
    }

    /// Compares two amounts of the same currency; `None` across currencies.
    pub fn compare(&self, other: &Money) -> Option<std::cmp::Ordering> {
        if self.currency != other.currency {
            return None;
        }
        let scaled = |m: &Money, to: u32| m.units as u128 * 10u128.pow(to - m.scale);
        let scale = self.scale.max(other.scale);
        Some(scaled(self, scale).cmp(&scaled(other, scale)))
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = text.split_whitespace();
        let (Some(amount), Some(code), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(MoneyError::Shape);
        };
        let currency = iso_currency::Currency::from_code(code)
            .ok_or_else(|| MoneyError::Currency(code.to_owned()))?;
        let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) {
            return Err(MoneyError::Amount(amount.to_owned()));
        }
        if amount.ends_with('.') {
            return Err(MoneyError::Amount(amount.to_owned()));
        }
        // Currencies without minor units (JPY, KRW) still accept "0" decimals; the
        // library reports None for funds and metals, which get the common 2.
        let allowed = currency.exponent().map(u32::from).unwrap_or(2);
        let scale = fraction.len() as u32;
        if scale > allowed {
            return Err(MoneyError::Decimals {
                amount: amount.to_owned(),
                currency: code.to_owned(),
                allowed,
            });
        }
        let units = format!("{whole}{fraction}")
            .parse::<u64>()
            .map_err(|_| MoneyError::TooLarge)?;
        Ok(Money {
            units,
            scale,
            currency,
        })
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let divisor = 10u64.pow(self.scale);
        if self.scale == 0 {
            write!(f, "{} {}", self.units, self.currency.code())
        } else {
            write!(
                f,
                "{}.{:0width$} {}",
                self.units / divisor,
                self.units % divisor,
                self.currency.code(),
                width = self.scale as usize
            )
        }
    }
}

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(|e: MoneyError| {
            let advice = crate::suggest::money_advice(&text)
                .filter(|(money, _)| *money != text.trim() && money.parse::<Money>().is_ok());
            serde::de::Error::custom(match advice {
                Some((money, doubt)) => {
                    format!("write \"{money}\"{doubt}: the amount, a space, then the currency code")
                }
                None => e.to_string(),
            })
        })
    }
}

/// The case as the buyer wrote it in case.toml, checked.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub platform: Platform,
    pub reason: Reason,
    pub order: Order,
    pub shipping: Shipping,
    /// What actually arrived, when something did.
    pub received: Received,
    pub customs: Customs,
    pub request: Option<Request>,
    pub dispute: Dispute,
    pub contacts: Vec<Contact>,
    pub evidence_notes: Vec<EvidenceNote>,
    pub buyer: Option<Buyer>,
}

/// What arrived, in the buyer's words (English): the facts that decide a
/// received-item dispute.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Received {
    /// How many of `order.quantity` arrived.
    pub quantity: Option<u32>,
    /// What is wrong: "The lamp base is cracked right through".
    pub problem: Option<String>,
    /// What the listing promised: "Size L, chest 46 in".
    pub listing_says: Option<String>,
    /// What arrived instead: "Size M, chest 42 in".
    pub actual: Option<String>,
}

/// Customs charges, for a parcel held at customs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Customs {
    pub fee: Option<Money>,
    pub seller_promised_to_pay: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Order {
    pub id: String,
    #[serde(serialize_with = "serialize_opt_date")]
    pub placed: Option<Date>,
    pub item: Option<String>,
    pub quantity: Option<u32>,
    pub seller: Option<String>,
    pub url: Option<String>,
    pub total: Option<Money>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Shipping {
    pub tracking: Vec<String>,
    pub carrier: Option<String>,
    /// What the tracking page shows now, as the buyer copied it ("Delivered to parcel
    /// locker, Springfield").
    pub tracking_shows: Option<String>,
    #[serde(serialize_with = "serialize_opt_date")]
    pub shipped: Option<Date>,
    /// The latest delivery date the seller or platform promised.
    #[serde(serialize_with = "serialize_opt_date")]
    pub expected_by: Option<Date>,
    /// When the parcel actually reached the buyer.
    #[serde(serialize_with = "serialize_opt_date")]
    pub delivered: Option<Date>,
    /// When tracking claims a delivery the buyer never got (delivered-not-received).
    #[serde(serialize_with = "serialize_opt_date")]
    pub marked_delivered: Option<Date>,
    #[serde(serialize_with = "serialize_opt_date")]
    pub protection_ends: Option<Date>,
    /// Why the parcel went back, as tracking gives it ("storage period expired").
    pub return_reason: Option<String>,
    /// The place the tracking page names for the delivery, as it spells it
    /// ("GUANGZHOU, CN", "Санкт-Петербург 190000").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_to: Option<String>,
}

/// Where the dispute itself stands, if it is already open.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Dispute {
    #[serde(serialize_with = "serialize_opt_date")]
    pub opened: Option<Date>,
    /// When the buyer asked the platform to step in.
    #[serde(serialize_with = "serialize_opt_date")]
    pub escalated: Option<Date>,
    /// What the seller proposed in the dispute.
    pub seller_proposal: Option<Proposal>,
    pub seller_offer: Option<Money>,
}

/// A seller's proposal inside a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Proposal {
    None,
    /// "No return, no refund": accepting it closes the dispute for good.
    NoReturnNoRefund,
    PartialRefund,
    Replacement,
    ReturnAndRefund,
}

/// Who a contact was with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Party {
    #[default]
    Seller,
    /// The carrier or post office (a missing-mail search).
    Carrier,
    /// The marketplace's own customer service.
    Platform,
    /// The card issuer.
    Bank,
}

/// What the buyer asked for in a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ask {
    Refund,
    PartialRefund,
    Replacement,
    ExtendProtection,
    Tracking,
    Ship,
    Other,
}

/// How the other side answered a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    None,
    Refused,
    Offered,
    Promised,
    AskedToClose,
    Agreed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub resolution: Option<Resolution>,
    pub amount: Option<Money>,
}

/// One attempt to settle: with whom, what was asked, what came back.
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    #[serde(serialize_with = "serialize_date")]
    pub date: Date,
    pub with: Party,
    /// How: "aliexpress-chat", "email", "phone".
    pub channel: Option<String>,
    pub asked: Vec<Ask>,
    pub answer: Option<Answer>,
    /// What the other side offered, with `answer = "offered"`.
    pub offer: Option<Money>,
    /// The buyer's own words, in English.
    pub summary: Option<String>,
}

/// A `[[evidence]]` entry: a caption and perhaps a kind for one file.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceNote {
    /// Relative to the case folder, with `/` separators.
    pub path: String,
    pub caption: Option<String>,
    pub kind: Option<EvidenceKind>,
    /// Checklist items this file shows (`outer-packaging`, …), as the buyer tagged it.
    pub shows: Vec<String>,
    /// Where the entry stands in case.toml, for errors.
    #[serde(skip)]
    pub line: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Buyer {
    pub name: Option<String>,
    /// The town or city of the buyer's shipping address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Its region, state or province, for a city name several places share.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2, in capitals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// One sealed exhibit: what intake found and packaging hashed.
#[derive(Debug, Clone, Serialize)]
pub struct Exhibit {
    pub id: ExhibitId,
    pub kind: EvidenceKind,
    pub kind_source: KindSource,
    /// Path inside the bag, e.g. `data/evidence/E01-box-front.jpg`.
    pub path: String,
    /// Path inside the case folder, as the buyer named it.
    pub source_name: String,
    pub bytes: u64,
    /// Lower-case hex SHA-256 of the original bytes.
    pub sha256: String,
    pub media_type: String,
    #[serde(flatten)]
    pub capture: Capture,
    /// The derived preview inside the bag (`data/thumbs/E01-….jpg`), if one was made.
    pub thumbnail: Option<String>,
    pub caption: Option<String>,
    /// Checklist items the buyer tagged this file with (`[[evidence]] shows`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shows: Vec<String>,
    /// For a saved or captured web page: its address, title, date and status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<PageInfo>,
    /// Why the file is not whole; it is sealed but not counted as evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub damaged: Option<String>,
    /// What a capture shows instead of the page ("a sign-in page …"); it is sealed
    /// but not counted as the page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_the_page: Option<String>,
    /// The other files of the same capture, sealed under this exhibit's number.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// For a photo or video: its C2PA Content Credentials, checked offline. Boxed:
    /// most exhibits have none, and a case may hold ten thousand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_credentials: Option<Box<ContentCredentials>>,
    pub warnings: Vec<String>,
}

/// What a photo's or video's C2PA Content Credentials say: the signature a phone,
/// camera or editing app puts in the file, checked offline against the C2PA trust
/// list. Most files carry none, and that proves nothing either way.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ContentCredentials {
    pub status: CredentialStatus,
    /// For an invalid credential: the checks that failed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<FailedCheck>,
    /// Why a credential could not be checked or read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The signing certificate's subject, as RFC 4514 writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// The organisation named in that certificate ("Google LLC").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer_organization: Option<String>,
    /// The device or program that wrote the credential ("Pixel Camera 10.2").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_generator: Option<String>,
    /// When it was signed, from the time-stamp inside the signature (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_at: Option<String>,
    /// Whether that time-stamp's authority is on the C2PA time-stamping trust list.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub signed_at_trusted: bool,
    /// What the credential records was done to the file, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<CredentialAction>,
    /// Whether the credential says AI made or changed the picture.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ai: Option<AiUse>,
    /// The files this one was made from, as the credential lists them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ingredients: Vec<CredentialIngredient>,
    /// What "trusted" was checked against: the trust list's name and date, and any
    /// `--c2pa-trust` file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked_against: Option<String>,
}

impl ContentCredentials {
    /// A file without Content Credentials.
    pub fn none() -> ContentCredentials {
        ContentCredentials::with_status(CredentialStatus::None)
    }

    pub fn with_status(status: CredentialStatus) -> ContentCredentials {
        ContentCredentials {
            status,
            ..ContentCredentials::default()
        }
    }

    /// Whether the credential records any change after capture: an edit, a filter,
    /// a crop, AI, or a file it was made from.
    pub fn edited(&self) -> bool {
        self.ai.is_some()
            || !self.ingredients.is_empty()
            || self.actions.iter().any(|a| !a.keeps_the_capture())
    }

    /// Whether the credential says the file was captured by the signing device
    /// (`c2pa.created` from a digital capture) and nothing was done to it since.
    pub fn captured_and_unedited(&self) -> bool {
        self.actions.iter().any(|a| {
            a.action == "c2pa.created"
                && a.digital_source_type
                    .as_deref()
                    .is_some_and(is_capture_source)
        }) && !self.edited()
    }

    /// The short line the report and the exhibit book show: "valid, signer on the
    /// C2PA trust list: signed by Google LLC (Pixel Camera 10.2) at 2026-10-28 14:03
    /// UTC (trusted time-stamp); captured by the device and not edited since".
    pub fn summary(&self) -> String {
        let by = match (&self.signer_organization, &self.claim_generator) {
            (Some(org), Some(generator)) => format!("{org} ({generator})"),
            (Some(org), None) => org.clone(),
            (None, Some(generator)) => generator.clone(),
            (None, None) => "an unnamed signer".to_owned(),
        };
        let at = match &self.signed_at {
            Some(at) if self.signed_at_trusted => {
                format!(" at {} (trusted time-stamp)", short_utc(at))
            }
            Some(at) => format!(" at {} (time-stamp authority not verified)", short_utc(at)),
            None => String::new(),
        };
        let since = if self.captured_and_unedited() {
            "; captured by the device and not edited since".to_owned()
        } else if let Some(ai) = self.ai {
            format!("; {}", ai.meaning())
        } else if self.edited() {
            format!("; records changes: {}", self.changes().join(", "))
        } else {
            "; no edits recorded".to_owned()
        };
        match self.status {
            CredentialStatus::None => {
                "none (most cameras and apps do not add them; this proves nothing either way)"
                    .to_owned()
            }
            CredentialStatus::Trusted => format!(
                "valid, signer {}: signed by {by}{at}{since}",
                self.trusted_by()
            ),
            CredentialStatus::Untrusted => format!(
                "intact, but the signer is not on the C2PA trust list: signed by {by}{at}{since}"
            ),
            CredentialStatus::Invalid => format!(
                "INVALID: {}; signed by {by}",
                self.failed
                    .iter()
                    .map(|f| f.meaning.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            CredentialStatus::Unreadable => format!(
                "present but unreadable: {}",
                self.note.as_deref().unwrap_or("the record is damaged")
            ),
            CredentialStatus::NotChecked => format!(
                "present, not checked: {}",
                self.note
                    .as_deref()
                    .unwrap_or("this claimpack cannot check them")
            ),
        }
    }

    /// Where a trusted signer was found: the shipped list, or that or the buyer's
    /// own `--c2pa-trust` certificates (the SDK does not say which matched).
    fn trusted_by(&self) -> &'static str {
        if self
            .checked_against
            .as_deref()
            .is_some_and(|c| c.contains("--c2pa-trust"))
        {
            "on the C2PA trust list or among the certificates added with --c2pa-trust"
        } else {
            "on the C2PA trust list"
        }
    }

    /// The recorded actions that change the picture, in plain words, once each.
    pub fn changes(&self) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for action in self.actions.iter().filter(|a| !a.keeps_the_capture()) {
            let word = action
                .action
                .strip_prefix("c2pa.")
                .unwrap_or(&action.action)
                .replace('_', " ");
            if !words.contains(&word) {
                words.push(word);
            }
        }
        if words.is_empty() {
            // No change recorded, only where it came from: a re-save of an earlier
            // file (`parentOf`), or a file made of others.
            let parent = self
                .ingredients
                .iter()
                .find(|i| i.relationship == "parentOf");
            match parent {
                Some(parent) => words.push(match &parent.title {
                    Some(title) => format!("saved from an earlier file, \u{201c}{title}\u{201d}"),
                    None => "saved from an earlier file".to_owned(),
                }),
                None if !self.ingredients.is_empty() => {
                    words.push("made from other files".to_owned())
                }
                None => {}
            }
        }
        words
    }
}

/// "2026-10-28T14:03:11+00:00" as "2026-10-28 14:03 UTC"; anything else unchanged.
fn short_utc(rfc3339: &str) -> String {
    match rfc3339.parse::<jiff::Timestamp>() {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => rfc3339.to_owned(),
    }
}

/// How an exhibit's Content Credentials checked out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialStatus {
    /// The file carries none.
    #[default]
    None,
    /// Intact, and signed by a certificate that chains to the C2PA trust list.
    Trusted,
    /// Intact, but the signer is not on the trust list: anyone can make such a
    /// certificate, so it shows only that the file is unchanged since someone signed it.
    Untrusted,
    /// A check failed: the file changed after signing, or the signature or
    /// certificate is bad.
    Invalid,
    /// A credential is there but cannot be read.
    Unreadable,
    /// A credential is there but was not checked (too large, or a build without
    /// the checker).
    NotChecked,
}

/// One failed C2PA check.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct FailedCheck {
    /// The C2PA status code, e.g. `assertion.dataHash.mismatch`.
    pub code: String,
    /// What it means, in plain words.
    pub meaning: String,
}

/// One action a credential records.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CredentialAction {
    /// The C2PA action, e.g. `c2pa.created`, `c2pa.edited`.
    pub action: String,
    /// The IPTC digital source type, when given (`…/digitalCapture`,
    /// `…/trainedAlgorithmicMedia`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digital_source_type: Option<String>,
    /// The program that did it, when named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_agent: Option<String>,
}

impl CredentialAction {
    /// Actions that record where the file came from rather than a change to it.
    fn keeps_the_capture(&self) -> bool {
        matches!(
            self.action.as_str(),
            "c2pa.created" | "c2pa.opened" | "c2pa.published" | "c2pa.repackaged"
        ) && !self
            .digital_source_type
            .as_deref()
            .is_some_and(is_ai_source)
    }
}

/// The last part of an IPTC digital source type URI: `digitalCapture`, ….
fn source_type_name(source_type: &str) -> &str {
    source_type.rsplit('/').next().unwrap_or(source_type)
}

/// Whether an IPTC digital source type says a camera captured the scene: a plain
/// capture, or a phone's computational one (Pixel Camera writes that).
pub fn is_capture_source(source_type: &str) -> bool {
    matches!(
        source_type_name(source_type),
        "digitalCapture" | "computationalCapture"
    )
}

/// Whether an IPTC digital source type says AI or an algorithm made or changed the
/// content, rather than a camera.
pub fn is_ai_source(source_type: &str) -> bool {
    matches!(
        source_type_name(source_type),
        "trainedAlgorithmicMedia"
            | "compositeWithTrainedAlgorithmicMedia"
            | "algorithmicMedia"
            | "compositeSynthetic"
    )
}

/// What a credential says AI did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AiUse {
    /// The picture was made by AI.
    Generated,
    /// A captured picture was changed with AI.
    Edited,
}

impl AiUse {
    pub fn meaning(self) -> &'static str {
        match self {
            AiUse::Generated => "the credential says the picture was GENERATED BY AI",
            AiUse::Edited => "the credential says the picture was EDITED WITH AI",
        }
    }
}

/// A file the credential says this one was made from.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CredentialIngredient {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `parentOf` (edited from it), `componentOf` (placed into it) or `inputTo`.
    pub relationship: String,
}

/// A file sealed with an exhibit rather than as one: a capture's WARC, PDF, text
/// and record beside its screenshot.
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    /// Path inside the bag.
    pub path: String,
    pub source_name: String,
    pub bytes: u64,
    pub sha256: String,
    pub media_type: String,
    /// Which part of the capture it is: "web archive (WARC) of the exchange …".
    pub part: String,
}

/// What a saved web page says about itself. Every field is as the file (or its
/// capture record) states it; nothing here is checked against the live site.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PageInfo {
    pub url: Option<String>,
    /// Where redirects ended, when that differs from `url`.
    pub final_url: Option<String>,
    pub title: Option<String>,
    /// When it was captured or saved.
    pub date: Option<String>,
    /// The HTTP status the server answered, when recorded.
    pub status: Option<u16>,
    /// What these facts were read from: "capture record", "WARC headers", …
    pub source: String,
}

/// The ids (`E01`, …) of the exhibits that `keep` selects, in order.
pub fn exhibit_ids(exhibits: &[Exhibit], keep: impl Fn(&Exhibit) -> bool) -> Vec<String> {
    exhibits
        .iter()
        .filter(|e| keep(e))
        .map(|e| e.id.to_string())
        .collect()
}

/// Where a capture time was read: a tag inside the file, a record claimpack wrote, or
/// the file system. Serialised as `<where>:<tag>`, the names exiftool users know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TimeSource {
    #[serde(rename = "exif:DateTimeOriginal")]
    ExifDateTimeOriginal,
    #[serde(rename = "exif:CreateDate")]
    ExifCreateDate,
    #[serde(rename = "xmp:DateTimeOriginal")]
    XmpDateTimeOriginal,
    #[serde(rename = "xmp:CreateDate")]
    XmpCreateDate,
    #[serde(rename = "png:CreationTime")]
    PngCreationTime,
    #[serde(rename = "png:tIME")]
    PngTime,
    #[serde(rename = "quicktime:CreationDate")]
    QuickTimeCreationDate,
    #[serde(rename = "mp4:mvhd")]
    Mp4Mvhd,
    #[serde(rename = "capture:started_at")]
    CaptureStartedAt,
    #[serde(rename = "warc:WARC-Date")]
    WarcDate,
    #[serde(rename = "mhtml:Date")]
    MhtmlDate,
    #[serde(rename = "pdf:CreationDate")]
    PdfCreationDate,
    #[serde(rename = "page:date")]
    PageDate,
    #[serde(rename = "file:mtime")]
    FileModified,
}

impl TimeSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeSource::ExifDateTimeOriginal => "exif:DateTimeOriginal",
            TimeSource::ExifCreateDate => "exif:CreateDate",
            TimeSource::XmpDateTimeOriginal => "xmp:DateTimeOriginal",
            TimeSource::XmpCreateDate => "xmp:CreateDate",
            TimeSource::PngCreationTime => "png:CreationTime",
            TimeSource::PngTime => "png:tIME",
            TimeSource::QuickTimeCreationDate => "quicktime:CreationDate",
            TimeSource::Mp4Mvhd => "mp4:mvhd",
            TimeSource::CaptureStartedAt => "capture:started_at",
            TimeSource::WarcDate => "warc:WARC-Date",
            TimeSource::MhtmlDate => "mhtml:Date",
            TimeSource::PdfCreationDate => "pdf:CreationDate",
            TimeSource::PageDate => "page:date",
            TimeSource::FileModified => "file:mtime",
        }
    }
}

impl TimeSource {
    /// Which source wins when a file records several times (lower wins): claimpack's
    /// own capture record, then the camera's capture tag and its XMP copy, then the
    /// time the picture was stored, Apple's capture key before the container's write
    /// time, a screenshot tool's time, the dates of saved pages, and a PNG's last
    /// change. The README's "Capture times" paragraph lists the same order.
    pub fn rank(self) -> u8 {
        match self {
            TimeSource::CaptureStartedAt => 0,
            TimeSource::ExifDateTimeOriginal => 1,
            TimeSource::XmpDateTimeOriginal => 2,
            TimeSource::ExifCreateDate => 3,
            TimeSource::XmpCreateDate => 4,
            TimeSource::QuickTimeCreationDate => 5,
            TimeSource::Mp4Mvhd => 6,
            TimeSource::PngCreationTime => 7,
            TimeSource::WarcDate => 8,
            TimeSource::MhtmlDate => 9,
            TimeSource::PdfCreationDate => 10,
            TimeSource::PageDate => 11,
            TimeSource::PngTime => 12,
            TimeSource::FileModified => 13,
        }
    }

    /// What the source's time means, for a sentence about it.
    pub fn meaning(self) -> &'static str {
        match self {
            TimeSource::ExifDateTimeOriginal => "the time the camera recorded the shot",
            TimeSource::XmpDateTimeOriginal => "the capture time as a photo program copied it",
            TimeSource::ExifCreateDate => "the time the camera stored the picture",
            TimeSource::XmpCreateDate => "the creation time a photo program recorded",
            TimeSource::QuickTimeCreationDate => "the time the phone recorded the video",
            TimeSource::Mp4Mvhd => "the time the video file was written",
            TimeSource::PngCreationTime => "the time the screenshot tool took the picture",
            TimeSource::PngTime => "the time the picture was last changed",
            TimeSource::CaptureStartedAt => "the time claimpack captured the page",
            TimeSource::WarcDate => "the time the page was archived",
            TimeSource::MhtmlDate => "the time the page was saved",
            TimeSource::PdfCreationDate => "the time the PDF was made",
            TimeSource::PageDate => "the date the page carries",
            TimeSource::FileModified => "the file's modification time",
        }
    }
}

impl std::fmt::Display for TimeSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an exhibit's own metadata says about its capture. Empty means "not known",
/// never a guess.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Capture {
    pub captured_at: Option<CaptureTime>,
    /// Where the time comes from.
    pub captured_at_source: Option<TimeSource>,
    /// Whether the time's UTC offset was worked out from the photo's GPS clock
    /// (the camera recorded a local time and a GPS time in UTC, but no offset).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub offset_from_gps: bool,
    /// Displayed size, after orientation or rotation.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// EXIF Orientation (1–8) of a photo.
    pub orientation: Option<u16>,
    /// Clockwise rotation in degrees a video player applies.
    pub rotation: Option<u16>,
    pub duration_s: Option<f64>,
    /// "Make Model", e.g. "Apple iPhone 12 Pro".
    pub camera: Option<String>,
    /// Whether the file records where it was taken. The place itself is in `gps`
    /// only when the user asked to show it (`--show-location`).
    pub gps_present: bool,
    pub gps: Option<Gps>,
    /// Whether the file carries a camera or lens serial number.
    pub serial_present: bool,
}

/// A capture time as the file states it: a wall-clock time and, when the file
/// records it, its UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptureTime {
    pub local: jiff::civil::DateTime,
    pub offset: Option<jiff::tz::Offset>,
}

impl CaptureTime {
    /// The instant, when the offset is known.
    pub fn instant(&self) -> Option<jiff::Timestamp> {
        let offset = self.offset?;
        offset.to_timestamp(self.local).ok()
    }
}

impl fmt::Display for CaptureTime {
    /// RFC 3339 with the offset when known (`2024-01-07T11:02:59.177+01:00`),
    /// otherwise a local date-time without one (`2016-04-23T00:34:28`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.local)?;
        match self.offset {
            Some(offset) if offset.seconds() == 0 => f.write_str("Z"),
            Some(offset) => {
                let total = offset.seconds();
                let sign = if total < 0 { '-' } else { '+' };
                let total = total.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", total / 3600, total % 3600 / 60)
            }
            None => Ok(()),
        }
    }
}

impl Serialize for CaptureTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A position in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Gps {
    pub latitude: f64,
    pub longitude: f64,
}

fn serialize_date<S: serde::Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

fn serialize_opt_date<S: serde::Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => s.collect_str(date),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_line_says_what_checked_what_was_done_and_never_hides_ai() {
        let created = |source: &str| CredentialAction {
            action: "c2pa.created".to_owned(),
            digital_source_type: Some(format!(
                "http://cv.iptc.org/newscodes/digitalsourcetype/{source}"
            )),
            software_agent: None,
        };
        let mut pixel = ContentCredentials {
            signer_organization: Some("Google LLC".to_owned()),
            claim_generator: Some("Pixel Camera 10.2".to_owned()),
            signed_at: Some("2026-10-28T14:03:11Z".to_owned()),
            signed_at_trusted: true,
            actions: vec![created("computationalCapture")],
            checked_against: Some("C2PA Trust List".to_owned()),
            ..ContentCredentials::with_status(CredentialStatus::Trusted)
        };
        assert!(pixel.captured_and_unedited());
        assert_eq!(
            pixel.summary(),
            "valid, signer on the C2PA trust list: signed by Google LLC (Pixel Camera 10.2) at 2026-10-28 14:03 UTC (trusted time-stamp); captured by the device and not edited since"
        );
        pixel.actions.push(CredentialAction {
            action: "c2pa.color_adjustments".to_owned(),
            digital_source_type: None,
            software_agent: None,
        });
        assert!(pixel.edited() && !pixel.captured_and_unedited());
        assert!(
            pixel
                .summary()
                .ends_with("; records changes: color adjustments")
        );

        let generated = ContentCredentials {
            actions: vec![created("trainedAlgorithmicMedia")],
            ai: Some(AiUse::Generated),
            ..pixel.clone()
        };
        assert!(!generated.captured_and_unedited());
        assert!(
            generated
                .summary()
                .ends_with("; the credential says the picture was GENERATED BY AI"),
            "{}",
            generated.summary()
        );

        let tampered = ContentCredentials {
            status: CredentialStatus::Invalid,
            failed: vec![FailedCheck {
                code: "assertion.dataHash.mismatch".to_owned(),
                meaning: "the file's content changed after it was signed".to_owned(),
            }],
            ..pixel.clone()
        };
        assert_eq!(
            tampered.summary(),
            "INVALID: the file's content changed after it was signed; signed by Google LLC (Pixel Camera 10.2)"
        );
        let added = ContentCredentials {
            checked_against: Some(
                "C2PA Trust List …, and the certificates in roots.pem (--c2pa-trust)".to_owned(),
            ),
            ..pixel
        };
        assert!(added.summary().starts_with(
            "valid, signer on the C2PA trust list or among the certificates added with --c2pa-trust:"
        ));
        assert_eq!(
            ContentCredentials::none().summary(),
            "none (most cameras and apps do not add them; this proves nothing either way)"
        );
        // "none" is all manifest.json says of a file without them, with or without the checker.
        assert_eq!(
            serde_json::to_string(&ContentCredentials::none()).unwrap(),
            r#"{"status":"none"}"#
        );
    }

    #[test]
    fn slug_lists_match_the_variants() {
        assert_eq!(Platform::ALL.map(Platform::slug), Platform::SLUGS);
        assert_eq!(Reason::ALL.map(Reason::slug), Reason::SLUGS);
        assert_eq!(Reason::from_slug("SNAD"), Some(Reason::NotAsDescribed));
        assert_eq!(
            Reason::from_slug("Item Not Received"),
            Some(Reason::NotReceived)
        );
        assert_eq!(Platform::from_slug("PayPal"), Some(Platform::Paypal));
        assert_eq!(Platform::from_slug("paypa"), None);
    }

    #[test]
    fn money_round_trips_exactly() {
        let money: Money = "34.99 USD".parse().unwrap();
        assert_eq!(money.units, 3499);
        assert_eq!(money.to_string(), "34.99 USD");
        assert_eq!("5 EUR".parse::<Money>().unwrap().to_string(), "5 EUR");
        assert_eq!("0.05 GBP".parse::<Money>().unwrap().to_string(), "0.05 GBP");
        assert_eq!("1200 JPY".parse::<Money>().unwrap().to_string(), "1200 JPY");
    }

    #[test]
    fn money_refuses_what_a_platform_would() {
        assert_eq!("34.99".parse::<Money>(), Err(MoneyError::Shape));
        assert_eq!(
            "34.99 UDS".parse::<Money>(),
            Err(MoneyError::Currency("UDS".into()))
        );
        assert!(matches!(
            "3,499 USD".parse::<Money>(),
            Err(MoneyError::Amount(_))
        ));
        assert!(matches!(
            "-5 USD".parse::<Money>(),
            Err(MoneyError::Amount(_))
        ));
        assert!(matches!(
            "5. USD".parse::<Money>(),
            Err(MoneyError::Amount(_))
        ));
        assert!(matches!(
            "1.5 JPY".parse::<Money>(),
            Err(MoneyError::Decimals { .. })
        ));
        assert!(matches!(
            "1.999 USD".parse::<Money>(),
            Err(MoneyError::Decimals { .. })
        ));
        assert_eq!(
            "99999999999999999999999 USD".parse::<Money>(),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn money_multiplies_and_splits_only_exactly() {
        let total: Money = "24.00 GBP".parse().unwrap();
        let each = total.divided_exactly(12).unwrap();
        assert_eq!(each.to_string(), "2.00 GBP");
        assert_eq!(each.times(7).unwrap().to_string(), "14.00 GBP");
        let odd: Money = "34.99 USD".parse().unwrap();
        assert!(odd.divided_exactly(2).is_none());
        assert!(odd.divided_exactly(0).is_none());
    }

    #[test]
    fn exhibit_ids_are_zero_padded_to_two_digits() {
        assert_eq!(ExhibitId(3).to_string(), "E03");
        assert_eq!(ExhibitId(123).to_string(), "E123");
    }
}
