//! Every command's arguments turned into its checked settings, in one step: files
//! named on the command line are read, outside tools found, the terminal probed and
//! the environment consulted here, and nowhere else. Stages receive these typed
//! values and never look at flags or environment variables themselves.

use std::path::PathBuf;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::capture::CaptureConfig;
use crate::cli::{
    BuildArgs, CaptureArgs, CheckArgs, Cli, DemoArgs, InitArgs, KitArgs, ReasonsArgs, SummaryArgs,
    TimeArgs, VerifyArgs,
};
use crate::error::Error;
use crate::formats::rfc3161;
use crate::kit::KitConfig;
use crate::metadata::thumbnail::Tools;
use crate::metadata::{DescribeConfig, Location, credentials};
use crate::model::Platform;
use crate::output::Existing;
use crate::progress;
use crate::scaffold::{InitConfig, Prompt};
use crate::templates::Templates;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a person.
    Text,
    /// `--json`, for a script.
    Json,
}

/// Whether the printers add hints and next steps (`--quiet` turns them off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hints {
    Show,
    Hide,
}

/// How a command prints.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub format: Format,
    pub hints: Hints,
}

/// A command's checked settings and how it prints.
#[derive(Debug, Clone)]
pub struct Settings<C> {
    pub config: C,
    pub output: Output,
}

/// The flags every command takes.
#[derive(Debug, Clone)]
pub struct Global {
    pub quiet: bool,
    pub templates: Templates,
}

impl TryFrom<&Cli> for Global {
    type Error = Error;

    fn try_from(cli: &Cli) -> Result<Self, Error> {
        let templates = match &cli.templates {
            Some(dir) => Templates::with_overrides(dir)?,
            None => Templates::builtin(),
        };
        Ok(Global {
            quiet: cli.quiet,
            templates,
        })
    }
}

impl Global {
    pub fn output(&self, json: bool) -> Output {
        Output {
            format: if json { Format::Json } else { Format::Text },
            hints: if self.quiet { Hints::Hide } else { Hints::Show },
        }
    }

    pub fn hints(&self) -> Hints {
        self.output(false).hints
    }

    fn progress(&self) -> progress::Mode {
        progress::Mode::for_terminal(self.quiet)
    }
}

fn existing(force: bool) -> Existing {
    if force {
        Existing::Replace
    } else {
        Existing::Refuse
    }
}

impl TryFrom<(InitArgs, &Global)> for InitConfig {
    type Error = Error;

    fn try_from((args, global): (InitArgs, &Global)) -> Result<Self, Error> {
        use std::io::IsTerminal;
        let prompt = if !global.quiet && std::io::stdin().is_terminal() {
            Prompt::Ask
        } else {
            Prompt::DoNotAsk
        };
        Ok(InitConfig {
            dir: args.dir,
            platform: args.platform,
            reason: args.reason,
            order: args.order,
            existing: existing(args.force),
            prompt,
            templates: global.templates.clone(),
        })
    }
}

impl TryFrom<(crate::cli::AddArgs, &Global)> for Settings<crate::scaffold::add::AddConfig> {
    type Error = Error;

    fn try_from((args, global): (crate::cli::AddArgs, &Global)) -> Result<Self, Error> {
        let config = crate::scaffold::add::AddConfig {
            files: args.files,
            case_dir: case_folder(args.into),
            kind: args.kind,
            caption: args
                .caption
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty()),
            shows: args.shows.iter().map(|s| s.trim().to_owned()).collect(),
        };
        Ok(Settings {
            config,
            output: global.output(args.json),
        })
    }
}

/// Whether trusted timestamps are a wish or a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestamps {
    /// An authority that gives none is a warning; the bundle is sealed without it.
    Wanted,
    /// `--require-timestamp`: no bundle unless every authority answers.
    Required,
}

/// Checked settings for one build.
#[derive(Debug, Clone)]
pub struct BuildConfig {
    pub case_dir: PathBuf,
    /// The bundle path, or a folder to put `<bundle name>.zip` in; `None` means the
    /// current folder.
    pub output: Option<PathBuf>,
    pub created_at: Timestamp,
    /// Whether an earlier bundle at the output path may be replaced (`--force`).
    pub existing: Existing,
    pub progress: progress::Mode,
    /// GPS, previews' outside decoders.
    pub describe: DescribeConfig,
    /// RFC 3161 authorities to ask for a trusted timestamp.
    pub tsa: Vec<String>,
    /// Whether a build without a token from every authority fails.
    pub timestamps: Timestamps,
    pub templates: Templates,
    /// `--kit`: the upload kit after the bundle.
    pub kit: Kit,
    /// `--strict`: no bundle while required evidence is missing.
    pub strictness: Strictness,
}

/// Whether `build` also makes the upload kit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kit {
    Make,
    Skip,
}

impl TryFrom<(BuildArgs, &Global)> for Settings<BuildConfig> {
    type Error = Error;

    fn try_from((args, global): (BuildArgs, &Global)) -> Result<Self, Error> {
        let tsa = if args.tsa.is_empty() {
            authorities_from(&std::env::var("CLAIMPACK_TSA").unwrap_or_default())
        } else {
            args.tsa
        };
        let config = BuildConfig {
            case_dir: case_folder(args.dir),
            output: args.output,
            created_at: created_at(&args.time)?,
            existing: existing(args.force),
            progress: global.progress(),
            describe: DescribeConfig {
                location: if args.show_location {
                    Location::Show
                } else {
                    Location::Hide
                },
                tools: Tools::find(),
                credentials: credentials_checker(args.c2pa_trust.as_deref())?,
            },
            tsa,
            timestamps: if args.require_timestamp {
                Timestamps::Required
            } else {
                Timestamps::Wanted
            },
            templates: global.templates.clone(),
            kit: if args.kit { Kit::Make } else { Kit::Skip },
            strictness: if args.strict {
                Strictness::FailOnGaps
            } else {
                Strictness::Report
            },
        };
        Ok(Settings {
            config,
            output: global.output(args.json),
        })
    }
}

impl TryFrom<(KitArgs, &Global)> for Settings<KitConfig> {
    type Error = Error;

    fn try_from((args, global): (KitArgs, &Global)) -> Result<Self, Error> {
        let config = KitConfig {
            bundle: args.bundle,
            platform: args.platform,
            output: args.output,
            existing: existing(args.force),
            progress: global.progress(),
            templates: global.templates.clone(),
            tools: Tools::find(),
        };
        Ok(Settings {
            config,
            output: global.output(args.json),
        })
    }
}

/// The authorities named in `CLAIMPACK_TSA`: space-, comma- or line-separated.
fn authorities_from(text: &str) -> Vec<String> {
    text.split([' ', ',', '\n'])
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().to_owned())
        .collect()
}

/// Checked settings for `verify`.
#[derive(Debug, Clone)]
pub struct VerifyConfig {
    pub file: PathBuf,
    pub progress: progress::Mode,
    /// Roots from `--trust`, read and parsed here.
    pub trusted: Option<Vec<x509_cert::Certificate>>,
    /// `--seal`: the seal the bundle must have, 64 lower-case hex digits.
    pub expected_seal: Option<String>,
}

impl TryFrom<(VerifyArgs, &Global)> for Settings<VerifyConfig> {
    type Error = Error;

    fn try_from((args, global): (VerifyArgs, &Global)) -> Result<Self, Error> {
        let trusted = match &args.trust {
            Some(path) => Some(read_trust(path)?),
            None => None,
        };
        let expected_seal = args.seal.as_deref().map(parse_seal).transpose()?;
        let config = VerifyConfig {
            file: args.file,
            progress: global.progress(),
            trusted,
            expected_seal,
        };
        Ok(Settings {
            config,
            output: global.output(args.json),
        })
    }
}

/// A seal as a person copies it: any case, with spaces or colons; 64 hex digits.
fn parse_seal(text: &str) -> Result<String, Error> {
    let digits: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if digits.len() == 64 && digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(digits)
    } else {
        Err(Error::Seal {
            value: crate::sanitize::sanitize_name(text)
                .chars()
                .take(100)
                .collect(),
        })
    }
}

/// The Content Credentials checker: the shipped C2PA trust lists, and the anchors in
/// a `--c2pa-trust` PEM file, checked here so that a wrong file fails before sealing.
fn credentials_checker(extra: Option<&std::path::Path>) -> Result<credentials::Checker, Error> {
    let Some(path) = extra else {
        return credentials::Checker::new(None).map_err(|why| Error::Trust {
            path: "the shipped C2PA trust list".into(),
            why,
        });
    };
    read_trust(path)?;
    let pem = std::fs::read_to_string(path).map_err(|e| Error::Trust {
        path: path.to_owned(),
        why: format!("cannot read it ({e})"),
    })?;
    credentials::Checker::new(Some((path, &pem))).map_err(|why| Error::Trust {
        path: path.to_owned(),
        why,
    })
}

/// The certificates in a `--trust` PEM file; an error names the file and the fix.
fn read_trust(path: &std::path::Path) -> Result<Vec<x509_cert::Certificate>, Error> {
    let trust_error = |why: &str| Error::Trust {
        path: path.to_owned(),
        why: why.to_owned(),
    };
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(trust_error("is not a regular file; give a PEM file"));
    }
    let text =
        std::fs::read_to_string(path).map_err(|e| trust_error(&format!("cannot read it ({e})")))?;
    let certificates = rfc3161::certificates_from_pem(&text);
    if certificates.is_empty() {
        return Err(trust_error(
            "holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
        ));
    }
    Ok(certificates)
}

/// Checked settings for `reasons`.
#[derive(Debug, Clone)]
pub struct ReasonsConfig {
    pub platform: Option<Platform>,
    pub templates: Templates,
}

impl TryFrom<(ReasonsArgs, &Global)> for Settings<ReasonsConfig> {
    type Error = Error;

    fn try_from((args, global): (ReasonsArgs, &Global)) -> Result<Self, Error> {
        let config = ReasonsConfig {
            platform: args.platform,
            templates: global.templates.clone(),
        };
        Ok(Settings {
            config,
            output: global.output(args.json),
        })
    }
}

impl TryFrom<(CaptureArgs, &Global)> for Settings<CaptureConfig> {
    type Error = Error;

    fn try_from((args, global): (CaptureArgs, &Global)) -> Result<Self, Error> {
        let config = CaptureConfig {
            url: args.url,
            into: case_folder(args.into),
            kind: args.kind.into(),
            caption: args.caption,
            errors: if args.keep_errors {
                crate::capture::ErrorPages::Keep
            } else {
                crate::capture::ErrorPages::Refuse
            },
            limits: crate::capture::fetch::Limits {
                total_timeout: std::time::Duration::from_secs(args.timeout.max(1)),
                ..Default::default()
            },
            browser: crate::capture::browser::Browser::find(),
        };
        Ok(Settings {
            config,
            output: global.output(args.json),
        })
    }
}

/// When `check --strict` fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Exit 0 whatever is missing: the report is the answer.
    Report,
    /// `--strict`: exit 1 while required evidence is missing or the case
    /// contradicts itself.
    FailOnGaps,
}

/// Checked settings for `check`.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    pub dir: PathBuf,
    pub today: Date,
    pub strictness: Strictness,
    pub templates: Templates,
    /// The programs the upload kit will need, to say which are missing.
    pub tools: Tools,
}

impl TryFrom<(CheckArgs, &Global)> for Settings<CheckConfig> {
    type Error = Error;

    fn try_from((args, global): (CheckArgs, &Global)) -> Result<Self, Error> {
        let config = CheckConfig {
            dir: case_folder(args.dir),
            today: today(args.today.as_deref())?,
            strictness: if args.strict {
                Strictness::FailOnGaps
            } else {
                Strictness::Report
            },
            templates: global.templates.clone(),
            tools: Tools::find(),
        };
        Ok(Settings {
            config,
            output: global.output(args.json),
        })
    }
}

/// Which version of the statement `summary` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Full,
    /// `--form`: the one that fits the platform's text box.
    Form,
}

/// Checked settings for `summary`.
#[derive(Debug, Clone)]
pub struct SummaryConfig {
    pub dir: PathBuf,
    /// The day deadlines and "days since" count from.
    pub today: Date,
    pub version: Version,
    pub templates: Templates,
    /// The Content Credentials checker, as `build` has it.
    pub credentials: credentials::Checker,
}

impl TryFrom<(SummaryArgs, &Global)> for Settings<SummaryConfig> {
    type Error = Error;

    fn try_from((args, global): (SummaryArgs, &Global)) -> Result<Self, Error> {
        let config = SummaryConfig {
            dir: case_folder(args.dir),
            today: today(args.today.as_deref())?,
            version: if args.form {
                Version::Form
            } else {
                Version::Full
            },
            templates: global.templates.clone(),
            credentials: credentials_checker(args.c2pa_trust.as_deref())?,
        };
        Ok(Settings {
            config,
            output: global.output(args.json),
        })
    }
}

/// Checked settings for `demo`: where to write it, and the build of it.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    pub out: PathBuf,
    pub existing: Existing,
    /// The build, whose case folder is filled in once the demo is written.
    pub build: BuildConfig,
}

impl TryFrom<(DemoArgs, &Global)> for Settings<DemoConfig> {
    type Error = Error;

    fn try_from((args, global): (DemoArgs, &Global)) -> Result<Self, Error> {
        let build = BuildConfig {
            case_dir: PathBuf::new(),
            // A folder: the bundle takes its usual name inside it.
            output: Some(args.out.clone()),
            created_at: created_at(&args.time)?,
            existing: Existing::Refuse,
            progress: global.progress(),
            describe: DescribeConfig {
                location: Location::Hide,
                tools: Tools::find(),
                credentials: credentials_checker(None)?,
            },
            tsa: Vec::new(),
            timestamps: Timestamps::Wanted,
            templates: global.templates.clone(),
            kit: Kit::Make,
            strictness: Strictness::Report,
        };
        let config = DemoConfig {
            out: args.out,
            existing: existing(args.force),
            build,
        };
        Ok(Settings {
            config,
            output: global.output(false),
        })
    }
}

/// The bundle time: `--created-at`, else `SOURCE_DATE_EPOCH`, else now.
fn created_at(args: &TimeArgs) -> Result<Timestamp, Error> {
    if let Some(text) = &args.created_at {
        return parse_created_at(text);
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) if !value.trim().is_empty() => {
            let seconds: i64 = value.trim().parse().map_err(|_| Error::CreatedAt {
                value: value.clone(),
                why: "SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01".to_owned(),
            })?;
            Timestamp::from_second(seconds).map_err(|e| Error::CreatedAt {
                value,
                why: e.to_string(),
            })
        }
        // Whole seconds, as the zip records them.
        _ => Timestamp::from_second(Timestamp::now().as_second()).map_err(|e| Error::CreatedAt {
            value: "now".to_owned(),
            why: e.to_string(),
        }),
    }
}

/// The case folder a buyer meant: `my-claim/case.toml` names `my-claim`, as
/// dragging the case file into a terminal does.
fn case_folder(path: PathBuf) -> PathBuf {
    let names_case_file = path
        .file_name()
        .is_some_and(|n| n == crate::intake::CASE_FILE);
    if names_case_file && !path.is_dir() {
        match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        }
    } else {
        path
    }
}

/// The day deadlines count from: `--today`, else today in the local time zone.
fn today(text: Option<&str>) -> Result<Date, Error> {
    match text {
        // The parser's own words ("failed to parse four digit integer as year")
        // help no one; the advice names the date the buyer probably meant.
        Some(text) => text.trim().parse().map_err(|_| Error::Today {
            value: text.to_owned(),
            why: crate::suggest::flag_date_advice(text),
        }),
        None => Ok(jiff::ZonedDateTime::now().date()),
    }
}

/// Accepts `2026-11-23T10:00:00Z`, `2026-11-23T10:00:00+05:30` or `2026-11-23`
/// (midnight UTC). Sub-second parts are dropped: a zip records whole seconds.
fn parse_created_at(text: &str) -> Result<Timestamp, Error> {
    let invalid = |why: String| Error::CreatedAt {
        value: text.to_owned(),
        why,
    };
    let timestamp = match text.parse::<Timestamp>() {
        Ok(t) => t,
        Err(_) => match text.parse::<Date>() {
            Ok(date) => date
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map_err(|e| invalid(e.to_string()))?
                .timestamp(),
            Err(_) => {
                return Err(invalid(match crate::suggest::loose_date(text) {
                    Some(_) => crate::suggest::flag_date_advice(text),
                    None => "write a time like 2026-11-23T10:00:00Z or a date like 2026-11-23"
                        .to_owned(),
                }));
            }
        },
    };
    Timestamp::from_second(timestamp.as_second()).map_err(|e| invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_at_accepts_times_and_dates() {
        let t = parse_created_at("2026-11-23T10:00:00.7+02:00").unwrap();
        assert_eq!(t.to_string(), "2026-11-23T08:00:00Z");
        assert_eq!(
            parse_created_at("2026-11-23").unwrap().to_string(),
            "2026-11-23T00:00:00Z"
        );
        assert!(parse_created_at("yesterday").is_err());
    }

    #[test]
    fn authorities_split_on_spaces_commas_and_lines() {
        assert_eq!(
            authorities_from(" http://a, http://b\nhttp://c "),
            ["http://a", "http://b", "http://c"]
        );
        assert!(authorities_from("").is_empty());
    }
}
