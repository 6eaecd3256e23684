//! `editions`: each edition of the audit, who it is for, what it is built as and shows, and
//! where its files go; then the internal folders, so the lead knows who may have which.

use super::{audit_folder, fail};
use audit_report::BuildOptions;
use audit_report::edition::Edition;
use audit_report::show::printable;
use std::path::PathBuf;
use std::process::ExitCode;

// The arguments of `audit-report editions`. (Not a doc comment: clap would take one for
// the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct Args {
    /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
    audit: Option<PathBuf>,
}

/// Runs `audit-report editions` with its arguments as given.
pub fn command(args: Args) -> ExitCode {
    run(&BuildOptions::new(audit_folder(args.audit)))
}

/// Lists the editions of the audit in `options.audit`, built into `options.out`.
pub fn run(options: &BuildOptions) -> ExitCode {
    let audit = &options.audit;
    let (info, editions) = match (
        audit_report::input::audit_settings(audit),
        audit_report::input::declared_editions(audit),
    ) {
        (Ok(info), Ok(editions)) => (info, editions),
        (info, editions) => {
            let mut problems = info.err().unwrap_or_default();
            problems.extend(editions.err().unwrap_or_default());
            return fail(&problems, "editions not listed");
        }
    };
    say!(
        "{} edition(s) of \"{}\" ({}), each into a folder of {}:",
        editions.len(),
        printable(&info.title),
        audit.display(),
        options.out.display()
    );
    for edition in &editions {
        describe(edition, &info.audience, options);
    }
    say!("Internal only, never to be sent on:");
    say!(
        "  {:<30} build records, change lists and every figure unsuppressed",
        format!("{}/", options.out.join(audit_report::RECORDS).display())
    );
    say!(
        "  {:<30} every chart, small counts not withheld",
        format!("{}/", options.charts.display())
    );
    ExitCode::SUCCESS
}

/// One edition: its id and name, then a line each for its audience, formats, figures,
/// marking and files.
fn describe(edition: &Edition, audit_audience: &str, options: &BuildOptions) {
    say!(
        "  {}  {}{}",
        printable(&edition.id),
        printable(&edition.name),
        if edition.is_final { "" } else { " (draft)" }
    );
    let audience = edition.audience.as_deref().unwrap_or(audit_audience);
    say!("      for:      {}", printable(audience));
    let formats: Vec<&str> = edition.formats.iter().map(|f| f.extension()).collect();
    say!("      formats:  {}", formats.join(", "));
    say!(
        "      figures:  {}",
        match edition.suppress_below {
            Some(n) => format!("counts below {n} withheld (\"fewer than {n}\")"),
            None => "all shown, small counts included".into(),
        }
    );
    say!(
        "      marking:  {}",
        printable(edition.marking.as_deref().unwrap_or("none"))
    );
    let folder = options.out.join(&edition.id);
    let files: Vec<String> = edition
        .formats
        .iter()
        .map(|f| format!("{}.{}", edition.id, f.extension()))
        .chain(["figures.csv".to_string()])
        .collect();
    say!(
        "      files:    {}/ ({})",
        printable(&folder.display().to_string()),
        printable(&files.join(", "))
    );
}
