//! `claimpack completions` and `claimpack man`: both generated from the command-line
//! definition in `cli`, so they can never disagree with `--help`.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::Error;

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> std::io::Result<()> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "claimpack", out);
    out.flush()
}

/// Prints claimpack.1.
pub fn man(out: &mut dyn Write) -> std::io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}

/// Writes claimpack.1 and claimpack-COMMAND.1 for every command into `folder`; the
/// names written, for printing. Existing pages of the same names are replaced: they
/// are generated files, not the buyer's.
pub fn man_pages(folder: &Path) -> Result<Vec<String>, Error> {
    if !folder.is_dir() {
        return Err(Error::ManFolder(folder.to_owned()));
    }
    let command = Cli::command();
    let mut written = Vec::new();
    let mut pages = vec![("claimpack".to_owned(), command.clone())];
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        pages.push((
            format!("claimpack-{}", sub.get_name()),
            sub.clone()
                .name(format!("claimpack-{}", sub.get_name()))
                .version(env!("CARGO_PKG_VERSION")),
        ));
    }
    for (name, page) in pages {
        let mut bytes = Vec::new();
        clap_mangen::Man::new(page)
            .render(&mut bytes)
            .map_err(Error::Stdout)?;
        let path = folder.join(format!("{name}.1"));
        crate::output::write_whole(&path, &bytes, crate::output::Existing::Replace).map_err(
            |source| Error::ManWrite {
                path: path.clone(),
                source,
            },
        )?;
        written.push(format!("{name}.1"));
    }
    Ok(written)
}
