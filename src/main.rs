//! The claimpack binary: parse the command line, run it, print any error, exit.

use clap::Parser;

use claimpack::error::{Error, print_error};
use claimpack::exit::ExitCode;

fn main() -> std::process::ExitCode {
    let cli = claimpack::cli::Cli::parse();
    claimpack::interrupt::install();
    let mut stdout = std::io::stdout().lock();
    match claimpack::run(cli, &mut stdout) {
        Ok(code) => code.into(),
        // A closed pipe (`claimpack reasons | head -1`) is not an error to report.
        Err(Error::Stdout(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::Success.into()
        }
        Err(error) => {
            print_error(&error);
            error.exit_code().into()
        }
    }
}
