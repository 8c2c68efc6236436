//! One function per command: turn parsed arguments into stage configs, run the stages,
//! print the result. Exit codes are decided here and nowhere else.

pub mod build;
pub mod capture;
pub mod check;
pub mod demo;
pub mod init;
pub mod reasons;
pub mod summary;
pub mod verify;

use std::io::Write;

use crate::cli::{Cli, Command};
use crate::error::Error;
use crate::exit::ExitCode;
use crate::output::Existing;
use crate::scaffold;
use crate::templates::Templates;

/// Runs one command line; prints results to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<ExitCode, Error> {
    let quiet = cli.quiet;
    let templates = match &cli.templates {
        Some(dir) => Templates::with_overrides(dir)?,
        None => Templates::builtin(),
    };
    match cli.command {
        Command::Init(args) => {
            let config = scaffold::InitConfig {
                dir: args.dir,
                platform: args.platform,
                reason: args.reason,
                order: args.order,
                force: args.force,
                interactive: !quiet && scaffold::stdin_is_terminal(),
                templates: templates.clone(),
            };
            let created = scaffold::init(&config)?;
            init::print(&created, quiet, out).map_err(Error::Stdout)?;
            Ok(ExitCode::Success)
        }
        Command::Build(args) => {
            let authorities = args.authorities();
            let config = build::BuildConfig {
                case_dir: args.dir,
                output: args.output,
                created_at: args.time.resolve()?,
                existing: if args.force {
                    Existing::Replace
                } else {
                    Existing::Refuse
                },
                show_progress: !quiet,
                show_location: args.show_location,
                tsa: authorities,
                require_timestamp: args.require_timestamp,
                templates,
            };
            let built = build::build(&config)?;
            build::print(&built, args.json, quiet, out).map_err(Error::Stdout)?;
            Ok(ExitCode::Success)
        }
        Command::Verify(args) => {
            let trusted = match &args.trust {
                Some(path) => {
                    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
                        return Err(Error::Trust {
                            path: path.clone(),
                            why: "is not a regular file; give a PEM file".to_owned(),
                        });
                    }
                    let text = std::fs::read_to_string(path).map_err(|e| Error::Trust {
                        path: path.clone(),
                        why: format!("cannot read it ({e})"),
                    })?;
                    let certificates = crate::formats::rfc3161::certificates_from_pem(&text);
                    if certificates.is_empty() {
                        return Err(Error::Trust {
                            path: path.clone(),
                            why: "holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
                                .to_owned(),
                        });
                    }
                    Some(certificates)
                }
                None => None,
            };
            let report = crate::verify::verify_zip(&args.file, !quiet, trusted.as_deref())?;
            verify::print(&report, args.json, out).map_err(Error::Stdout)?;
            Ok(if report.intact {
                ExitCode::Success
            } else {
                ExitCode::Failed
            })
        }
        Command::Reasons(args) => {
            reasons::print(&templates, args.platform, args.json, out)?;
            Ok(ExitCode::Success)
        }
        Command::Capture(args) => {
            let config = crate::capture::CaptureConfig {
                url: args.url,
                into: args.into,
                kind: args.kind.into(),
                caption: args.caption,
                keep_errors: args.keep_errors,
                limits: crate::capture::fetch::Limits {
                    total_timeout: std::time::Duration::from_secs(args.timeout.max(1)),
                    ..Default::default()
                },
                browser: crate::capture::browser::Browser::find(),
            };
            let captured = crate::capture::capture(&config)?;
            capture::print(&captured, args.json, quiet, out).map_err(Error::Stdout)?;
            Ok(ExitCode::Success)
        }
        Command::Check(args) => {
            let today = crate::cli::resolve_today(args.today.as_deref())?;
            let assessment = check::check(&args.dir, &templates, today)?;
            check::print(&assessment, args.json, out).map_err(Error::Stdout)?;
            Ok(if args.strict && check::strict_failure(&assessment) {
                ExitCode::Failed
            } else {
                ExitCode::Success
            })
        }
        Command::Summary(args) => {
            let summary = summary::summary(&args.dir, &templates)?;
            summary::print(&summary, args.form, args.json, quiet, out).map_err(Error::Stdout)?;
            Ok(ExitCode::Success)
        }
        Command::Demo(args) => {
            let created_at = args.time.resolve()?;
            let demo = scaffold::demo::write(&args.out, args.force)?;
            let built = build::build(&build::BuildConfig {
                case_dir: demo.case_dir.clone(),
                // A folder: the bundle takes its usual name inside it.
                output: Some(demo.root.clone()),
                created_at,
                existing: Existing::Refuse,
                show_progress: !quiet,
                show_location: false,
                tsa: Vec::new(),
                require_timestamp: false,
                templates,
            })?;
            demo::print(&demo, &built, quiet, out).map_err(Error::Stdout)?;
            Ok(ExitCode::Success)
        }
    }
}
