//! The claimpack binary: parse the command line, run it, print any error, exit.

use clap::Parser;

use claimpack::error::{Error, print_error};
use claimpack::exit::ExitCode;

fn main() -> std::process::ExitCode {
    return_big_buffers();
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

/// Makes glibc hand buffers of 4 MiB and more straight back to the system when they
/// are freed. Decoding a progressive 12 MP JPEG for its thumbnail takes about 40 MB;
/// by default glibc raises its mmap threshold after the first such free and keeps
/// later ones in each thread's arena, so a build of 1,000 photos peaked at 167 MiB
/// instead of 85 MiB (BENCHMARKS.md, "Scale").
fn return_big_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before any
    // thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
    }
}
