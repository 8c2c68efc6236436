//! From a place as a tracking page or a buyer writes it ("GUANGZHOU, CN",
//! "Санкт-Петербург 190000", "Delivered, SPRINGFIELD, IL 62701") to one gazetteer
//! place, or to an honest "several places have this name" or "not found".
//!
//! The text is cut into segments at commas, brackets and dashes, and into folded words;
//! postcodes (words with digits) are dropped. Every run of up to five words is looked
//! up. The longest name found wins, counted without words tracking pages wrap around
//! places ("DISTRIBUTION CENTER", "CITY"). A country named in the text (CN, CHN, China,
//! Китай), the country the buyer gave, and a region (IL, Illinois) narrow the places of
//! that name; the largest is taken only when it is ten times the next. Anything less
//! clear is reported as ambiguous, never guessed.

use serde::{Deserialize, Serialize};

use super::fold;
use super::gazetteer::{self, Place};

/// What to resolve, and what is known around it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<'a> {
    pub text: &'a str,
    /// A country the place must be in (the buyer's own `country`).
    pub country: Option<&'a str>,
    /// A region the buyer gave ("Illinois", "IL"): narrows when it matches.
    pub region: Option<&'a str>,
    /// A country to prefer when the text names none: the buyer's, for the place a
    /// tracking page names, since the last leg of a delivery is usually domestic and
    /// the nearer reading is the one that cannot overstate the buyer's case.
    pub prefer: Option<&'a str>,
}

/// What a text resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Resolution {
    Found {
        place: Place,
        /// The words that named it, folded ("sankt peterburg").
        matched: String,
        how: How,
        /// The text is the place's own name and at most its country ("GUANGZHOU,
        /// CN"), nothing more: no other spelling ("Lisboa" for Lisbon), postcode,
        /// locker, "FRONT DOOR" or "CEDEX" that a reader of the tracking page would
        /// want quoted.
        bare: bool,
    },
    /// Several places fit equally well; the largest first.
    Ambiguous {
        matched: String,
        candidates: Vec<Place>,
        /// How many places fit in all (`candidates` holds at most eight).
        count: usize,
    },
    /// No place, but the text names a country.
    CountryOnly {
        country: String,
        country_name: String,
    },
    /// The words name only small places abroad, and the text names no country:
    /// `place` is the largest, not taken as the delivery place without its country.
    SmallPlaceAbroad { place: Place, matched: String },
    /// Words that could be a place, but none the gazetteer knows.
    NotFound,
    /// No word that could name a place: only postcodes and words such as
    /// "DELIVERED" or "PARCEL LOCKER".
    NoPlace,
}

/// How a found place was chosen among those of its name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "by")]
pub enum How {
    /// No other place fits.
    Only,
    /// The largest of `of` places of that name, ten times the size of the next.
    Largest { of: usize, next: Box<Place> },
    /// The only one in the preferred country (the buyer's), the text naming none;
    /// `instead` is the largest place of that name elsewhere.
    PreferredCountry { instead: Box<Place> },
}

/// Words that tracking pages put around a place and that never name one alone. The
/// last line holds what Chinese, Japanese and Korean place names end in once folded
/// (市 city, 省 province, 区 district, 都 metropolis, 시 city): "义乌市" must read
/// as Yiwu, not as the 呉市 ("wu shi", Kure) that its last two characters spell.
const NOISE: &[&str] = &[
    "a",
    "agency",
    "agent",
    "airport",
    "an",
    "and",
    "area",
    "arrived",
    "at",
    "box",
    "branch",
    "by",
    "center",
    "central",
    "centre",
    "city",
    "collection",
    "counter",
    "county",
    "courier",
    "customer",
    "dc",
    "delivered",
    "deliver",
    "delivery",
    "depot",
    "district",
    "door",
    "east",
    "exchange",
    "express",
    "facility",
    "for",
    "from",
    "front",
    "gateway",
    "hub",
    "in",
    "international",
    "left",
    "local",
    "locker",
    "lockers",
    "logistics",
    "mail",
    "mailbox",
    "main",
    "neighbor",
    "neighbour",
    "north",
    "of",
    "office",
    "on",
    "out",
    "outlet",
    "parcel",
    "package",
    "pick",
    "pickup",
    "po",
    "point",
    "post",
    "postal",
    "processing",
    "province",
    "receptacle",
    "reception",
    "recipient",
    "region",
    "regional",
    "service",
    "services",
    "signed",
    "sort",
    "sorting",
    "south",
    "state",
    "station",
    "terminal",
    "the",
    "to",
    "town",
    "unit",
    "up",
    "village",
    "warehouse",
    "west",
    "with",
    "zone",
    "shi",
    "sheng",
    "qu",
    "du",
    "si",
];

/// The most places an ambiguous answer lists.
const LISTED: usize = 8;
/// How many times larger the largest place must be than the next to be taken.
const CLEARLY_LARGER: u64 = 10;
/// The smallest place abroad taken without a country in the text: the ports and
/// sorting hubs tracking pages name abroad are cities.
const LARGE_ENOUGH_ABROAD: u32 = 100_000;
/// The longest run of words looked up as one name.
const LONGEST_NAME: usize = 5;

#[derive(Debug)]
struct Token {
    word: fold::Word,
    segment: usize,
    noise: bool,
}

/// The text's words with their segments, and how many words with digits (postcodes,
/// house numbers) were set aside.
fn tokens(text: &str) -> (Vec<Token>, usize) {
    let separators = |c: char| {
        matches!(
            c,
            ',' | ';' | '/' | '|' | '(' | ')' | '[' | ']' | '{' | '}' | '\n' | '\t' | '–' | '—'
        ) || matches!(
            c,
            '【' | '】'
                | '，'
                | '、'
                | '；'
                | '（'
                | '）'
                | '：'
                | ':'
                | '／'
                | '،'
                | '؛'
                | '·'
                | '•'
        )
    };
    let mut out = Vec::new();
    let mut set_aside = 0;
    // " - " separates ("SAO PAULO - SP"); a hyphen inside a name does not.
    for (segment, piece) in text
        .replace(" - ", ",")
        .split(separators)
        .filter(|p| !p.trim().is_empty())
        .enumerate()
    {
        for word in fold::words(piece) {
            if word.text.bytes().any(|b| b.is_ascii_digit()) {
                set_aside += 1;
                continue;
            }
            let noise = NOISE.contains(&word.text.as_str());
            out.push(Token {
                word,
                segment,
                noise,
            });
        }
    }
    (out, set_aside)
}

/// A run of tokens `start..end` within one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

impl Span {
    fn key(self, tokens: &[Token]) -> String {
        tokens[self.start..self.end]
            .iter()
            .map(|t| t.word.text.as_str())
            .collect()
    }

    fn words(self, tokens: &[Token]) -> String {
        tokens[self.start..self.end]
            .iter()
            .map(|t| t.word.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether the run is its whole segment.
    fn whole_segment(self, tokens: &[Token]) -> bool {
        let segment = tokens[self.start].segment;
        (self.start == 0 || tokens[self.start - 1].segment != segment)
            && tokens.get(self.end).is_none_or(|t| t.segment != segment)
    }

    /// How strongly the run reads as a name: letters outside noise words, then all
    /// letters, then whether it fills its segment.
    fn score(self, tokens: &[Token]) -> (usize, usize, bool) {
        let run = &tokens[self.start..self.end];
        (
            run.iter()
                .filter(|t| !t.noise)
                .map(|t| t.word.text.len())
                .sum(),
            run.iter().map(|t| t.word.text.len()).sum(),
            self.whole_segment(tokens),
        )
    }

    fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Every run of up to `longest` words inside one segment.
fn spans(tokens: &[Token], longest: usize) -> Vec<Span> {
    let mut out = Vec::new();
    for start in 0..tokens.len() {
        for end in start + 1..=(start + longest).min(tokens.len()) {
            if tokens[end - 1].segment != tokens[start].segment {
                break;
            }
            out.push(Span { start, end });
        }
    }
    out
}

/// The countries the text names, and where.
fn country_mentions(tokens: &[Token]) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    let last = tokens.len().saturating_sub(1);
    for span in spans(tokens, 4) {
        let key = span.key(tokens);
        let single = span.end - span.start == 1;
        // "CN" or "CHN" names a country only in capitals, standing alone or last:
        // "in" and "de" are words far more often than India and Germany.
        let code = single
            && tokens[span.start].word.capitals
            && (span.whole_segment(tokens) || span.start == last);
        let country = match key.len() {
            2 if code => gazetteer::country(&key),
            3 if code => gazetteer::country_by_code3(&key),
            _ if key.len() >= 4 => gazetteer::country_by_key(&key),
            _ => None,
        };
        if let Some(country) = country {
            out.push((span, country.iso.clone()));
        }
    }
    out
}

/// Whether a region the text or the buyer gives ("IL", "Illinois") is the place's.
fn region_matches(place: &Place, words: &[&fold::Word], from: RegionFrom) -> bool {
    let key: String = words.iter().map(|w| w.text.as_str()).collect();
    // On a tracking page a code counts only in capitals: "In/At Mailbox" is not
    // Indiana.
    let code_written = from == RegionFrom::Buyer || words.iter().all(|w| w.capitals);
    let by_code = words.len() == 1
        && code_written
        && place
            .region_code
            .as_deref()
            .is_some_and(|code| code.len() >= 2 && code.eq_ignore_ascii_case(&key));
    let by_name = key.len() >= 4
        && place
            .region
            .as_deref()
            .is_some_and(|name| fold::key(name) == key);
    by_code || by_name
}

/// Who wrote a region: the buyer in `region`, or the tracking page around the place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RegionFrom {
    Buyer,
    Page,
}

/// Resolves a place name.
pub fn resolve(query: &Query) -> Resolution {
    let (tokens, set_aside) = tokens(query.text);
    if tokens.iter().all(|t| t.noise) {
        return Resolution::NoPlace;
    }
    let mentions = country_mentions(&tokens);
    let mention_at = |span: Span| mentions.iter().find(|(s, _)| *s == span).map(|(_, c)| c);

    // Every run of words that names a place, with the place and whether the words
    // are its own name or an alternate.
    let mut found: Vec<(Span, Candidate)> = Vec::new();
    for span in spans(&tokens, LONGEST_NAME) {
        let run = &tokens[span.start..span.end];
        if run.iter().all(|t| t.noise) {
            continue;
        }
        let key = span.key(&tokens);
        // Two or three letters ("YI", "AB") name a place only when they are all there is.
        if key.len() < 4 && !span.whole_segment(&tokens) {
            continue;
        }
        for named in gazetteer::places_named(&key) {
            let Some(place) = gazetteer::place(named.index) else {
                continue;
            };
            // "BRAZIL" is the country, not Brazil, Indiana.
            if mention_at(span).is_some_and(|country| *country != place.country) {
                continue;
            }
            found.push((
                span,
                Candidate {
                    place,
                    own_name: named.own_name,
                },
            ));
        }
    }
    // A country's name is the place only when nothing else is ("SINGAPORE"), not
    // beside a city ("LIMA, PERU").
    if found.iter().any(|(span, _)| mention_at(*span).is_none()) {
        found.retain(|(span, _)| mention_at(*span).is_none());
    }
    let Some(best) = found.iter().map(|(span, _)| span.score(&tokens)).max() else {
        return match mentions.last().and_then(|(_, iso)| gazetteer::country(iso)) {
            Some(country) => Resolution::CountryOnly {
                country: country.iso.clone(),
                country_name: country.name.clone(),
            },
            None => Resolution::NotFound,
        };
    };
    found.retain(|(span, _)| span.score(&tokens) == best);
    let matched = found
        .first()
        .map(|(span, _)| span.words(&tokens))
        .unwrap_or_default();
    let named_spans: Vec<Span> = found.iter().map(|(span, _)| *span).collect();
    let mut candidates: Vec<Candidate> = Vec::new();
    for (_, candidate) in found {
        match candidates
            .iter_mut()
            .find(|c| c.place.geonameid == candidate.place.geonameid)
        {
            Some(known) => known.own_name |= candidate.own_name,
            None => candidates.push(candidate),
        }
    }

    let mut how = How::Only;
    if let Some(country) = query.country {
        candidates.retain(|c| c.place.country.eq_ignore_ascii_case(country));
    }
    let named: Vec<&String> = mentions
        .iter()
        .filter(|(span, _)| !named_spans.iter().any(|s| s.overlaps(*span)))
        .map(|(_, c)| c)
        .collect();
    let country_named = candidates.iter().any(|c| named.contains(&&c.place.country));
    if country_named {
        candidates.retain(|c| named.contains(&&c.place.country));
    } else if let Some(prefer) = query.prefer {
        let home = |c: &Candidate| c.place.country.eq_ignore_ascii_case(prefer);
        if candidates.iter().any(home) {
            let before = candidates.len();
            let abroad = candidates
                .iter()
                .filter(|c| !home(c))
                .max_by_key(|c| (c.size(), std::cmp::Reverse(c.place.geonameid)))
                .map(|c| (c.size(), Box::new(c.place.clone())));
            candidates.retain(home);
            if let (1, Some((size, instead))) = (candidates.len(), abroad) {
                // The buyer's country decided only if the place there is not also the
                // clear choice on size alone ("САНКТ-ПЕТЕРБУРГ" for a buyer in Russia
                // is Saint Petersburg either way; "LONDON" for one in Canada is not).
                how = if candidates[0].size() >= CLEARLY_LARGER * size {
                    How::Largest {
                        of: before,
                        next: instead,
                    }
                } else {
                    How::PreferredCountry { instead }
                };
            }
        }
    }
    // Regions: the buyer's, then any the text names outside the place's own words.
    let given: Vec<fold::Word> = query.region.map(fold::words).unwrap_or_default();
    if !given.is_empty() {
        let words: Vec<&fold::Word> = given.iter().collect();
        let given_matches = |c: &Candidate| region_matches(&c.place, &words, RegionFrom::Buyer);
        if candidates.iter().any(given_matches) {
            candidates.retain(given_matches);
        }
    }
    let outside: Vec<Span> = spans(&tokens, 3)
        .into_iter()
        .filter(|s| !named_spans.iter().any(|n| n.overlaps(*s)))
        .collect();
    let in_text = |c: &Candidate| {
        outside.iter().any(|s| {
            let words: Vec<&fold::Word> = tokens[s.start..s.end].iter().map(|t| &t.word).collect();
            region_matches(&c.place, &words, RegionFrom::Page)
        })
    };
    if candidates.iter().any(in_text) {
        candidates.retain(in_text);
    }
    // Own names first: an alternate (another language's name, an old name) decides
    // only for a place ten times the largest that bears the name as its own — "ROMA"
    // is Rome, but "PORTO" is not Bordeaux, whatever some language calls it.
    let largest = |own: bool| {
        candidates
            .iter()
            .filter(|c| c.own_name == own)
            .map(Candidate::size)
            .max()
    };
    if let Some(own) = largest(true)
        && largest(false).is_none_or(|alternate| alternate < CLEARLY_LARGER * own)
    {
        candidates.retain(|c| c.own_name);
    }

    candidates.sort_by(|a, b| {
        b.place
            .population
            .cmp(&a.place.population)
            .then(a.place.geonameid.cmp(&b.place.geonameid))
    });
    // Only small places abroad, and no country in the text: a word that happens to
    // name a small foreign town ("HAMPSHIRE" in "NETHER WALLOP, HAMPSHIRE" is also a
    // town in Illinois) must not become a delivery thousands of kilometres away.
    let abroad = |c: &Candidate| {
        query
            .prefer
            .is_some_and(|home| !c.place.country.eq_ignore_ascii_case(home))
    };
    if !country_named
        && candidates.iter().all(abroad)
        && candidates
            .first()
            .is_some_and(|c| c.place.population < LARGE_ENOUGH_ABROAD)
    {
        return Resolution::SmallPlaceAbroad {
            place: candidates[0].place.clone(),
            matched,
        };
    }
    let bare = |place: &Place| {
        let own_name = fold::key(&place.name);
        set_aside == 0
            && named_spans.iter().all(|span| span.key(&tokens) == own_name)
            && (0..tokens.len()).all(|i| {
                let covers = |span: &Span| span.start <= i && i < span.end;
                named_spans.iter().any(covers)
                    || mentions
                        .iter()
                        .any(|(span, iso)| covers(span) && *iso == place.country)
            })
    };
    let mut places: Vec<Place> = candidates.iter().map(|c| c.place.clone()).collect();
    match places.len() {
        0 => Resolution::NotFound,
        1 => Resolution::Found {
            bare: bare(&places[0]),
            place: places.remove(0),
            matched,
            how,
        },
        count if candidates[0].size() >= CLEARLY_LARGER * candidates[1].size() => {
            let next = Box::new(places[1].clone());
            Resolution::Found {
                bare: bare(&places[0]),
                place: places.remove(0),
                matched,
                how: How::Largest { of: count, next },
            }
        }
        count => {
            places.truncate(LISTED);
            Resolution::Ambiguous {
                matched,
                candidates: places,
                count,
            }
        }
    }
}

/// A place some words of the text name.
#[derive(Debug)]
struct Candidate {
    place: Place,
    /// The words are the place's own name, not an alternate.
    own_name: bool,
}

impl Candidate {
    /// Its size for telling places apart. GeoNames writes 0 for an unknown population:
    /// that counts as the smallest size the dataset holds, never as nothing.
    fn size(&self) -> u64 {
        u64::from(self.place.population.max(1_000))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(query: Query) -> Place {
        match resolve(&query) {
            Resolution::Found { place, .. } => place,
            other => panic!("{:?}: {other:?}", query.text),
        }
    }

    fn text(text: &str) -> Query<'_> {
        Query {
            text,
            ..Query::default()
        }
    }

    #[test]
    fn tracking_spellings_resolve() {
        let cases = [
            ("GUANGZHOU, CN", "Guangzhou", "CN"),
            ("【广州市】", "Guangzhou", "CN"),
            ("Санкт-Петербург 190000", "Saint Petersburg", "RU"),
            ("RUSSIA, 190000, SANKT-PETERBURG", "Saint Petersburg", "RU"),
            ("SAO PAULO - SP", "São Paulo", "BR"),
            ("GUANGZHOU DISTRIBUTION CENTER", "Guangzhou", "CN"),
            ("DE-10115 BERLIN", "Berlin", "DE"),
            ("LIMA, PERU", "Lima", "PE"),
            ("SINGAPORE", "Singapore", "SG"),
            (
                "Delivered, In/At Mailbox, SPRINGFIELD, IL 62701",
                "Springfield",
                "US",
            ),
            ("MÜNCHEN", "Munich", "DE"),
            ("KÖLN", "Köln", "DE"),
            ("WARSZAWA", "Warsaw", "PL"),
            ("İSTANBUL", "Istanbul", "TR"),
            ("東京都", "Tokyo", "JP"),
            ("서울특별시", "Seoul", "KR"),
            ("ΑΘΗΝΑ", "Athens", "GR"),
            // guards: 义乌市 was read as Kure, Japan (呉市, "wu shi") before 市 was noise.
            ("【义乌市】已签收", "Yiwu", "CN"),
            // guards: the Arabic comma did not separate, so "dby" was not its own segment.
            ("دبي، الإمارات", "Dubai", "AE"),
        ];
        for (spelled, name, country) in cases {
            let place = found(text(spelled));
            assert_eq!(
                (place.name.as_str(), place.country.as_str()),
                (name, country),
                "{spelled}"
            );
        }
        // guards: "In/At" was read as Indiana, making Austin, Texas a choice of two.
        match resolve(&text("Delivered, In/At Mailbox, AUSTIN, TX 78701")) {
            Resolution::Found { place, how, .. } => {
                assert_eq!(place.region.as_deref(), Some("Texas"));
                assert_eq!(how, How::Only);
            }
            other => panic!("{other:?}"),
        }
        let springfield = found(text("SPRINGFIELD, IL 62701"));
        assert_eq!(springfield.region.as_deref(), Some("Illinois"));
    }

    proptest::proptest! {
        // Any text a buyer pastes resolves to something, never a panic.
        #[test]
        fn any_text_resolves_without_panicking(text in "\\PC{0,80}") {
            let _ = resolve(&Query { text: &text, prefer: Some("PT"), ..Query::default() });
        }
    }

    #[test]
    fn a_name_many_places_share_is_ambiguous() {
        match resolve(&text("SPRINGFIELD")) {
            Resolution::Ambiguous {
                candidates, count, ..
            } => {
                assert!(count >= 10, "{count}");
                assert!(candidates.len() <= LISTED);
                assert_eq!(candidates[0].region.as_deref(), Some("Missouri"));
            }
            other => panic!("{other:?}"),
        }
        // The buyer's own region settles it.
        let place = found(Query {
            text: "Springfield",
            country: Some("US"),
            region: Some("Illinois"),
            prefer: None,
        });
        assert_eq!(place.region.as_deref(), Some("Illinois"));
        let place = found(Query {
            text: "Springfield",
            country: Some("US"),
            region: Some("MA"),
            prefer: None,
        });
        assert_eq!(place.region.as_deref(), Some("Massachusetts"));
    }

    #[test]
    fn the_largest_is_taken_only_when_clearly_larger() {
        // Porto, Portugal is many times Porto, Brazil.
        match resolve(&text("PORTO")) {
            Resolution::Found { place, how, .. } => {
                assert_eq!(place.country, "PT");
                assert!(matches!(how, How::Largest { .. }), "{how:?}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_buyers_country_is_preferred_when_the_text_names_none() {
        let place = found(Query {
            text: "LONDON",
            prefer: Some("CA"),
            ..Query::default()
        });
        assert_eq!(
            (place.name.as_str(), place.country.as_str()),
            ("London", "CA")
        );
        // A country in the text outweighs it.
        let place = found(Query {
            text: "LONDON, GB",
            prefer: Some("CA"),
            ..Query::default()
        });
        assert_eq!(place.country, "GB");
    }

    #[test]
    fn a_small_town_abroad_is_not_taken_without_its_country() {
        let query = |text| Query {
            text,
            prefer: Some("GB"),
            ..Query::default()
        };
        // guards: read as Hampshire, Illinois, 6,000 km from a buyer in England.
        match resolve(&query("NETHER WALLOP, HAMPSHIRE")) {
            Resolution::SmallPlaceAbroad { place, .. } => {
                assert_eq!(
                    (place.name.as_str(), place.country.as_str()),
                    ("Hampshire", "US")
                )
            }
            other => panic!("{other:?}"),
        }
        // With its country, or a city abroad, it is taken.
        assert!(matches!(
            resolve(&query("HAMPSHIRE, IL, US")),
            Resolution::Found { .. }
        ));
        assert!(matches!(
            resolve(&query("SHENZHEN")),
            Resolution::Found { .. }
        ));
    }

    #[test]
    fn unknown_places_and_bare_countries() {
        assert_eq!(resolve(&text("SORTING CENTER 12")), Resolution::NoPlace);
        assert_eq!(resolve(&text("Delivered")), Resolution::NoPlace);
        assert_eq!(resolve(&text("")), Resolution::NoPlace);
        assert_eq!(resolve(&text("Qwxyzzy")), Resolution::NotFound);
        match resolve(&text("CHINA")) {
            Resolution::CountryOnly { country, .. } => assert_eq!(country, "CN"),
            other => panic!("{other:?}"),
        }
        // A city the buyer names must be in the buyer's country.
        assert_eq!(
            resolve(&Query {
                text: "Guangzhou",
                country: Some("PT"),
                ..Query::default()
            }),
            Resolution::NotFound
        );
    }
}
