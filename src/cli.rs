//! The command line as clap parses it. `config` turns each command's arguments into
//! its checked settings; stages never see these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::model::{Platform, Reason};

/// Seal photos, videos, chats and tracking pages into a verifiable evidence bundle
/// for a purchase dispute.
#[derive(Debug, Parser)]
#[command(name = "claimpack", version, about, max_term_width = 100)]
#[command(after_help = "Start with `claimpack demo` for a tour, or `claimpack init my-claim`.")]
pub struct Cli {
    /// Print no progress bar and no hints, only results and errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Use statement templates, platform profiles or the checklist from this folder
    /// where it has them (same names as under templates/ and knowledge/ in the source).
    #[arg(long, global = true, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a case folder with a commented case.toml and the evidence subfolders.
    #[command(after_help = "Examples:
  claimpack init my-claim                     # asks for the platform, reason and order number
  claimpack init my-claim --platform paypal --reason snad --order 8123456789012345")]
    Init(InitArgs),
    /// Copy evidence files into a case folder and describe them in case.toml.
    #[command(after_help = "Examples:
  claimpack add ~/Downloads/IMG_0412.JPG --into my-claim --caption \"Crushed corner of the box\"
  claimpack add chat1.png chat2.png --into my-claim --as chat
  claimpack add label.jpg --into my-claim --shows shipping-label")]
    Add(AddArgs),
    /// Show what evidence is still missing, the deadlines, and mistakes in the case.
    #[command(after_help = "Examples:
  claimpack check my-claim
  claimpack check my-claim --today 2026-11-27 --strict   # exit 1 while required evidence is missing")]
    Check(CheckArgs),
    /// Print the English statement for the dispute form.
    #[command(after_help = "Examples:
  claimpack summary my-claim
  claimpack summary my-claim --form > form.txt   # the version that fits the form's text box")]
    Summary(SummaryArgs),
    /// Seal a case folder into a BagIt zip; prints its path and seal.
    #[command(after_help = "Examples:
  claimpack build my-claim
  claimpack build my-claim -o ~/Desktop/ --kit
  claimpack build my-claim --tsa https://freetsa.org/tsr   # add a trusted timestamp")]
    Build(BuildArgs),
    /// Save a web page (tracking, listing, order) as evidence: WARC, screenshot, text.
    #[command(after_help = "Examples:
  claimpack capture https://parcelsapp.com/en/tracking/LP00432912345678 --into my-claim
  claimpack capture aliexpress.com/item/1005001234567890.html --into my-claim --kind listing")]
    Capture(CaptureArgs),
    /// Check a bundle; exit 0 intact, 1 tampered or invalid, 2 unreadable.
    #[command(after_help = "Examples:
  claimpack verify claim-aliexpress-8123456789012345-20261123.zip
  claimpack verify claim.zip --seal 5f0c…e21a   # the seal build printed
  claimpack verify claim.zip --trust freetsa-cacert.pem --json")]
    Verify(VerifyArgs),
    /// Make the upload kit from a sealed bundle: the files a platform's form takes.
    #[command(after_help = "Examples:
  claimpack kit claim-aliexpress-8123456789012345-20261123.zip
  claimpack kit claim.zip --platform card -o ~/Desktop/chargeback-kit")]
    Kit(KitArgs),
    /// List the dispute reasons, what each needs, and a platform's names and limits.
    #[command(after_help = "Examples:
  claimpack reasons
  claimpack reasons --platform paypal")]
    Reasons(ReasonsArgs),
    /// Write a sample damaged-item case and build its bundle: the one-command tour.
    #[command(after_help = "Examples:
  claimpack demo
  claimpack demo --out /tmp/tour --force")]
    Demo(DemoArgs),
    /// Show which optional programs are installed, what each adds, and how to get it.
    #[command(after_help = "Examples:
  claimpack doctor
  claimpack doctor --json")]
    Doctor(DoctorArgs),
    /// Print the shell completion script for bash, zsh, fish or PowerShell.
    #[command(after_help = "Examples:
  claimpack completions bash > ~/.local/share/bash-completion/completions/claimpack
  claimpack completions zsh > ~/.zfunc/_claimpack
  claimpack completions fish > ~/.config/fish/completions/claimpack.fish
  claimpack completions powershell >> $PROFILE")]
    Completions(CompletionsArgs),
    /// Print the manual page, or write one page per command into a folder.
    #[command(after_help = "Examples:
  claimpack man | man -l -
  claimpack man --out ~/.local/share/man/man1")]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The files to copy; they are never moved or changed.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The case folder to copy them into.
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,
    /// What the files are; decides the subfolder [default: from the file's content]
    #[arg(long = "as", value_enum, value_name = "KIND")]
    pub kind: Option<crate::model::EvidenceKind>,
    /// A caption for each file, written to case.toml.
    #[arg(long)]
    pub caption: Option<String>,
    /// A checklist item the files show (repeat for several), as `claimpack check` names them.
    #[arg(long, value_name = "ITEM")]
    pub shows: Vec<String>,
    /// Print what was added as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write claimpack.1 and one claimpack-COMMAND.1 per command into this folder,
    /// instead of printing claimpack.1.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The case folder to create.
    pub dir: PathBuf,
    /// Where the dispute is filed.
    #[arg(long, value_enum, ignore_case = true)]
    pub platform: Option<Platform>,
    /// Why (see `claimpack reasons`).
    #[arg(long, value_enum, ignore_case = true)]
    pub reason: Option<Reason>,
    /// The order number from the order page.
    #[arg(long)]
    pub order: Option<String>,
    /// Replace an existing case.toml (evidence files are never touched).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The case folder.
    pub dir: PathBuf,
    /// Where to write the bundle: a file, or a folder to put it in
    /// [default: ./claim-<platform>-<order>-<date>.zip]
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub time: TimeArgs,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Write GPS coordinates into manifest.json and the report; by default they only
    /// say "GPS present". The original files keep their coordinates either way.
    #[arg(long)]
    pub show_location: bool,
    /// Ask this RFC 3161 time-stamping authority for a trusted timestamp over the
    /// manifest (repeat for several). Only the manifest's hash is sent.
    /// [default: CLAIMPACK_TSA, space- or comma-separated]
    #[arg(long, value_name = "URL")]
    pub tsa: Vec<String>,
    /// Fail, and write nothing, unless every authority gives a valid timestamp.
    #[arg(long)]
    pub require_timestamp: bool,
    /// Also make the upload kit beside the bundle (see `claimpack kit`).
    #[arg(long)]
    pub kit: bool,
    /// Also trust Content Credentials whose signer chains to a certificate in this
    /// PEM file (a camera maker's root not yet on the shipped C2PA trust list).
    #[arg(long, value_name = "FILE")]
    pub c2pa_trust: Option<PathBuf>,
    /// Write nothing, and exit 1, while required evidence is missing or the case
    /// contradicts itself (as `check --strict`).
    #[arg(long)]
    pub strict: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TimeArgs {
    /// The bundle time (RFC 3339 such as 2026-11-23T10:00:00Z, or a date); fixes every
    /// time in the zip so that equal inputs give a byte-identical bundle. Overrides
    /// SOURCE_DATE_EPOCH. [default: now]
    #[arg(long, value_name = "TIME")]
    pub created_at: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The bundle (.zip) to check.
    pub file: PathBuf,
    /// The seal you noted when the bundle was built (build prints it; it is on the
    /// exhibit book's cover): exit 1 unless this bundle's seal is the same.
    #[arg(long, value_name = "HEX")]
    pub seal: Option<String>,
    /// Also check that each trusted timestamp's authority chains to a certificate in
    /// this PEM file (the authority's root, which you got from the authority).
    #[arg(long, value_name = "CAFILE")]
    pub trust: Option<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct KitArgs {
    /// The sealed bundle (.zip); it is verified first and never changed.
    pub bundle: PathBuf,
    /// Fit the files for this platform [default: the case's]
    #[arg(long, value_enum, ignore_case = true)]
    pub platform: Option<Platform>,
    /// The kit folder [default: <bundle name>-upload beside the bundle]
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Replace an existing kit folder.
    #[arg(long)]
    pub force: bool,
    /// Print what the kit holds as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReasonsArgs {
    /// Also show this platform's name for each reason, its upload limits and deadlines.
    #[arg(long, value_enum, ignore_case = true)]
    pub platform: Option<Platform>,
    /// Print the list as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// The page's address (http or https).
    pub url: String,
    /// The case folder; the files go into its subfolder for the kind.
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,
    /// What the page is.
    #[arg(long, value_enum, default_value = "tracking")]
    pub kind: PageKind,
    /// A caption for the capture record.
    #[arg(long)]
    pub caption: Option<String>,
    /// Save the page even when the server answers 4xx or 5xx.
    #[arg(long)]
    pub keep_errors: bool,
    /// Give up after this many seconds in all.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub timeout: u64,
    /// Print the capture record as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The kinds of evidence a web page can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PageKind {
    Tracking,
    Listing,
    Order,
    Chat,
}

impl From<PageKind> for crate::model::EvidenceKind {
    fn from(kind: PageKind) -> Self {
        match kind {
            PageKind::Tracking => Self::Tracking,
            PageKind::Listing => Self::Listing,
            PageKind::Order => Self::Order,
            PageKind::Chat => Self::Chat,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The case folder.
    pub dir: PathBuf,
    /// Count deadlines from this day (like 2026-11-23) [default: today, local time].
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Exit 1 while required evidence is missing or the case contradicts itself.
    #[arg(long)]
    pub strict: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// The case folder.
    pub dir: PathBuf,
    /// Print the version that fits the platform's text box.
    #[arg(long)]
    pub form: bool,
    /// Count deadlines from this day (like 2026-11-23) [default: today, local time].
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Also trust Content Credentials whose signer chains to a certificate in this
    /// PEM file, as `build --c2pa-trust` does.
    #[arg(long, value_name = "FILE")]
    pub c2pa_trust: Option<PathBuf>,
    /// Print both versions and the form's limits as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write the sample case and its bundle.
    #[arg(long, default_value = "claimpack-demo")]
    pub out: PathBuf,
    #[command(flatten)]
    pub time: TimeArgs,
    /// Replace an earlier demo folder.
    #[arg(long)]
    pub force: bool,
}

/// clap learns the platforms' slugs from the model, so `--platform` accepts exactly
/// what case.toml does.
impl clap::ValueEnum for Platform {
    fn value_variants<'a>() -> &'a [Self] {
        &Platform::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let aliases = Platform::ALIASES.iter().filter(|(_, p)| p == self);
        Some(clap::builder::PossibleValue::new(self.slug()).aliases(aliases.map(|(a, _)| *a)))
    }
}

/// The same for the reasons, with the platforms' own terms (`snad`, `inr`) as aliases.
impl clap::ValueEnum for Reason {
    fn value_variants<'a>() -> &'a [Self] {
        &Reason::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let aliases = Reason::ALIASES.iter().filter(|(_, r)| r == self);
        Some(clap::builder::PossibleValue::new(self.slug()).aliases(aliases.map(|(a, _)| *a)))
    }
}

/// The same for the kinds of evidence (`add --as`).
impl clap::ValueEnum for crate::model::EvidenceKind {
    fn value_variants<'a>() -> &'a [Self] {
        &crate::model::EvidenceKind::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.slug()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
