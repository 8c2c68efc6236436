//! One function per command: turn parsed arguments into checked settings (`config`),
//! run the stages, print the result. Exit codes are decided here and nowhere else.

pub mod add;
pub mod build;
pub mod capture;
pub mod check;
pub mod demo;
pub mod doctor;
pub mod init;
pub mod kit;
pub mod manual;
pub mod reasons;
pub mod summary;
pub mod verify;

use std::io::Write;

use crate::cli::{Cli, Command};
use crate::config::{
    BuildConfig, CheckConfig, DemoConfig, Format, Global, Kit, ReasonsConfig, Settings, Strictness,
    SummaryConfig, VerifyConfig,
};
use crate::error::Error;
use crate::exit::ExitCode;
use crate::kit::KitConfig;
use crate::scaffold::{self, InitConfig};

/// Runs one command line; prints results to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<ExitCode, Error> {
    let global = Global::try_from(&cli)?;
    match cli.command {
        Command::Init(args) => {
            let config = InitConfig::try_from((args, &global))?;
            let created = scaffold::init(&config)?;
            init::print(&created, global.hints(), out).map_err(Error::Stdout)?;
            Ok(ExitCode::Success)
        }
        Command::Add(args) => {
            let Settings { config, output } =
                Settings::<crate::scaffold::add::AddConfig>::try_from((args, &global))?;
            let report = scaffold::add::add(&config)?;
            add::print(&report, output, out).map_err(Error::Stdout)?;
            Ok(ExitCode::Success)
        }
        Command::Build(args) => {
            let Settings { config, output } = Settings::<BuildConfig>::try_from((args, &global))?;
            let mut built = build::build(&config)?;
            if config.kit == Kit::Skip {
                build::print(&built, output, out).map_err(Error::Stdout)?;
                return Ok(ExitCode::Success);
            }
            let made = crate::kit::kit(&build::kit_config(&config, &built, config.existing));
            match (made, output.format) {
                // One JSON document for scripts: the build with its kit inside.
                (Ok(made), Format::Json) => {
                    built.kit = Some(made);
                    build::print(&built, output, out).map_err(Error::Stdout)?;
                }
                (Ok(made), Format::Text) => {
                    build::print(&built, output, out).map_err(Error::Stdout)?;
                    kit::print(&made, output, out).map_err(Error::Stdout)?;
                }
                // The bundle is sealed either way: say so before the kit's error.
                (Err(error), _) => {
                    build::print(&built, output, out).map_err(Error::Stdout)?;
                    return Err(error.into());
                }
            }
            Ok(ExitCode::Success)
        }
        Command::Kit(args) => {
            let Settings { config, output } = Settings::<KitConfig>::try_from((args, &global))?;
            let made = crate::kit::kit(&config)?;
            kit::print(&made, output, out).map_err(Error::Stdout)?;
            Ok(ExitCode::Success)
        }
        Command::Verify(args) => {
            let Settings { config, output } = Settings::<VerifyConfig>::try_from((args, &global))?;
            let mut report = crate::verify::verify_zip(
                &config.file,
                config.progress,
                config.trusted.as_deref(),
            )?;
            // An intact bag only says its files match its manifests; a forger who
            // rewrote both has an intact bag with another seal.
            report.seal_matches = config
                .expected_seal
                .as_ref()
                .map(|expected| report.facts.seal.as_ref() == Some(expected));
            verify::print(&report, output.format, out).map_err(Error::Stdout)?;
            Ok(if report.intact && report.seal_matches != Some(false) {
                ExitCode::Success
            } else {
                ExitCode::Failed
            })
        }
        Command::Reasons(args) => {
            let Settings { config, output } = Settings::<ReasonsConfig>::try_from((args, &global))?;
            reasons::print(&config, output.format, out)?;
            Ok(ExitCode::Success)
        }
        Command::Capture(args) => {
            let Settings { config, output } =
                Settings::<crate::capture::CaptureConfig>::try_from((args, &global))?;
            let captured = crate::capture::capture(&config)?;
            capture::print(&captured, output, out).map_err(Error::Stdout)?;
            Ok(ExitCode::Success)
        }
        Command::Check(args) => {
            let Settings { config, output } = Settings::<CheckConfig>::try_from((args, &global))?;
            let assessment = check::check(&config.dir, &config.templates, config.today)?;
            check::print(&assessment, &config.tools, output.format, out).map_err(Error::Stdout)?;
            let fails =
                config.strictness == Strictness::FailOnGaps && check::strict_failure(&assessment);
            Ok(if fails {
                ExitCode::Failed
            } else {
                ExitCode::Success
            })
        }
        Command::Summary(args) => {
            let Settings { config, output } = Settings::<SummaryConfig>::try_from((args, &global))?;
            let summary = summary::summary(
                &config.dir,
                &config.templates,
                config.today,
                &config.credentials,
            )?;
            summary::print(&summary, config.version, output, out).map_err(Error::Stdout)?;
            Ok(ExitCode::Success)
        }
        Command::Doctor(args) => {
            let report = doctor::doctor();
            let format = global.output(args.json).format;
            doctor::print(&report, format, out).map_err(Error::Stdout)?;
            Ok(ExitCode::Success)
        }
        Command::Completions(args) => {
            manual::completions(args.shell, out).map_err(Error::Stdout)?;
            Ok(ExitCode::Success)
        }
        Command::Man(args) => {
            match args.out {
                None => manual::man(out).map_err(Error::Stdout)?,
                Some(folder) => {
                    for name in manual::man_pages(&folder)? {
                        writeln!(out, "{}", folder.join(name).display()).map_err(Error::Stdout)?;
                    }
                }
            }
            Ok(ExitCode::Success)
        }
        Command::Demo(args) => {
            let Settings { mut config, output } =
                Settings::<DemoConfig>::try_from((args, &global))?;
            let day = build::day_of(config.build.created_at);
            let demo = scaffold::demo::write(&config.out, config.existing, day)?;
            config.build.case_dir = demo.case_dir.clone();
            let built = build::build(&config.build)?;
            let made = crate::kit::kit(&build::kit_config(&config.build, &built, config.existing))?;
            demo::print(&demo, &built, &made, output.hints, out).map_err(Error::Stdout)?;
            Ok(ExitCode::Success)
        }
    }
}
