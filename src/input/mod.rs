//! Input: an audit folder on disk → [`AuditFolder`], the files parsed but not yet checked
//! against each other.
//!
//! Every file is read and parsed even when an earlier one failed, so one run reports every
//! syntax error. Each parsed file keeps its [`Source`] text, so later stages can point at the
//! line of a value they reject.

pub mod actions;
mod lenient;
pub mod listing;
pub mod model;
pub mod pack;
pub mod places;
mod plain;
mod sheet;
mod source;
pub mod spreadsheet;
pub mod synthetic;
mod workbook;
mod yaml;
mod yaml_rest;

pub use source::{Cells, Parsed, Sheet, Source};
pub use yaml::{MAX_FLOW_DEPTH, MAX_YAML_ITEMS, parse_str, too_deep};

use listing::{Listing, parse_tree, spreadsheets, unread};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::edition::EditionList;
use crate::input::model::{AuditInfo, CaseList, Neighbours, QuestionBank, RawReturn, SectionFile};
use serde::de::DeserializeOwned;
use std::fs;
use std::path::{Path, PathBuf};

/// Every file of an audit folder, parsed.
#[derive(Debug, Clone)]
pub struct AuditFolder {
    /// The folder itself.
    pub root: PathBuf,
    /// `audit.yaml`.
    pub audit: Parsed<AuditInfo>,
    /// `questions.yaml`.
    pub questions: Parsed<QuestionBank>,
    /// `cases.yaml`.
    pub cases: Parsed<CaseList>,
    /// Every `*.yaml` under `returns/`, in path order.
    pub returns: Vec<Parsed<RawReturn>>,
    /// Every `*.yaml` under `narrative/`, in file-name order: one section each.
    pub sections: Vec<Parsed<SectionFile>>,
    /// `neighbours.yaml`, when present.
    pub neighbours: Option<Parsed<Neighbours>>,
    /// `editions.yaml`, when present.
    pub editions: Option<Parsed<EditionList>>,
    /// `allow.yaml`, when present: text reviewed and accepted by the personal data guard.
    pub allow: Option<Parsed<AllowList>>,
    /// Statuses and updates from the action plan's tracking workbook, if there is one.
    pub action_updates: Vec<actions::ActionUpdate>,
    /// The own words of each cover paper, slides and briefing `editions.yaml` declares.
    pub pack: Vec<pack::PackFile>,
}

/// `allow.yaml`: reviewed false positives of the personal data guard.
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowList {
    /// Each accepted text and why.
    #[serde(default)]
    pub allow: Vec<Allowed>,
    /// Words around a small number in prose that were reviewed: it is not a count of people
    /// (so it need not be withheld in an edition that suppresses small numbers).
    #[serde(default)]
    pub numbers: Vec<Allowed>,
}

/// One accepted text.
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Allowed {
    /// The text exactly as the guard found it (case aside).
    pub text: String,
    /// Why it is not personal data, for whoever reviews the audit next.
    pub reason: String,
}

impl AuditFolder {
    /// Every file whose text may be printed (all but `allow.yaml`).
    pub fn sources(&self) -> Vec<&Source> {
        let mut sources = vec![
            &self.audit.source,
            &self.questions.source,
            &self.cases.source,
        ];
        sources.extend(self.returns.iter().map(|p| &p.source));
        sources.extend(self.sections.iter().map(|p| &p.source));
        sources.extend(self.neighbours.iter().map(|p| &p.source));
        sources.extend(self.editions.iter().map(|p| &p.source));
        sources.extend(pack::sources(&self.pack));
        sources
    }

    /// The texts `allow.yaml` lists as reviewed false positives of the personal data guard.
    pub fn allowed_texts(&self) -> Vec<String> {
        self.allow
            .iter()
            .flat_map(|a| a.value.allow.iter().map(|entry| entry.text.clone()))
            .collect()
    }

    /// The words `allow.yaml` lists around small numbers reviewed as counting no one.
    pub fn reviewed_numbers(&self) -> Vec<String> {
        self.allow
            .iter()
            .flat_map(|a| a.value.numbers.iter().map(|entry| entry.text.clone()))
            .collect()
    }

    /// SHA-256 of every file read, by its path inside the audit folder.
    pub fn inputs(&self) -> std::collections::BTreeMap<String, String> {
        let sources: Vec<&Source> = self
            .sources()
            .into_iter()
            .chain(self.allow.iter().map(|p| &p.source))
            .collect();
        // (a share whose thread stopped is worked again here: no input goes unrecorded)
        crate::parallel::by_share(&sources, 256, |share| self.digests(share))
            .into_iter()
            .flat_map(|share| share.unwrap_or_else(|stopped| self.digests(stopped)))
            .collect()
    }

    /// (name inside the audit folder, SHA-256) of each source.
    fn digests(&self, sources: &[&Source]) -> Vec<(String, String)> {
        sources
            .iter()
            .map(|s| {
                let name = s
                    .path
                    .strip_prefix(&self.root)
                    .unwrap_or(&s.path)
                    .to_string_lossy()
                    .replace('\\', "/");
                // a spreadsheet row is an input of its own, named by its row
                let name = match &s.cells {
                    Some(cells) => format!("{name}#row {}", cells.row),
                    None => name,
                };
                (name, crate::digest::sha256(s.text.as_bytes()))
            })
            .collect()
    }
}

/// Reads and parses the audit folder at `root`. A return or narrative file that fails to
/// parse is left out and reported; `Ok` carries those problems so that validation can add its
/// own and the user sees them all. `Err` means a file everything depends on failed.
pub fn load(root: &Path) -> Result<(AuditFolder, Diagnostics), Diagnostics> {
    let mut problems = Diagnostics::default();
    if !root.is_dir() {
        return Err(Diagnostic::error(
            Location::file(root),
            format!("audit folder `{}` does not exist or is not a folder", root.display()),
        )
        .with_note("expected a folder holding audit.yaml, questions.yaml, cases.yaml, returns/ and narrative/")
        .into());
    }
    let audit = parse_file(&root.join("audit.yaml"), &mut problems);
    let questions = question_bank(root, &mut problems);
    let cases = parse_file(&root.join("cases.yaml"), &mut problems);
    let (returns, sections) = returns_and_narrative(root, questions.as_ref(), &mut problems);
    let neighbours = parse_optional(&root.join("neighbours.yaml"), &mut problems);
    let editions = parse_optional(&root.join("editions.yaml"), &mut problems);
    let allow = parse_optional(&root.join("allow.yaml"), &mut problems);
    let pack = pack::load(root, editions.as_ref(), &mut problems);
    let action_updates = match actions::find(root) {
        Some(path) => actions::read(&path, &mut problems),
        None => Vec::new(),
    };
    match (audit, questions, cases) {
        (Some(audit), Some(questions), Some(cases)) => Ok((
            AuditFolder {
                root: root.to_path_buf(),
                audit,
                questions,
                cases,
                returns,
                sections,
                neighbours,
                editions,
                allow,
                action_updates,
                pack,
            },
            problems,
        )),
        _ => Err(problems),
    }
}

/// `questions.yaml`. A key its types do not have is an error (reported), but the returns
/// are still checked against the rest of it, so every problem shows in one run.
fn question_bank(root: &Path, problems: &mut Diagnostics) -> Option<Parsed<QuestionBank>> {
    parse_file(&root.join("questions.yaml"), problems).or_else(|| {
        let path = root.join("questions.yaml");
        let text = fs::read_to_string(&path).ok()?;
        let value = lenient::without_unknown_keys::<QuestionBank>(&text)?;
        problems.has_errors().then_some(Parsed {
            value,
            source: Source {
                path,
                text,
                cells: None,
            },
        })
    })
}

/// The returns (YAML files, and spreadsheets read with the question bank to match their
/// headers) and the narrative's sections, with what in their folders is not read.
fn returns_and_narrative(
    root: &Path,
    questions: Option<&Parsed<QuestionBank>>,
    problems: &mut Diagnostics,
) -> (Vec<Parsed<RawReturn>>, Vec<Parsed<SectionFile>>) {
    // Each folder is listed once: thousands of returns are parsed, checked for what is not
    // read, and searched for spreadsheets from the one listing.
    let returns_folder = Listing::of(&root.join("returns"));
    let narrative_folder = Listing::of(&root.join("narrative"));
    // The narrative (one long file, where a section is written per case) is parsed while
    // the returns are, not after them.
    let parse_narrative = || {
        let mut found = Diagnostics::default();
        (parse_tree(&narrative_folder, |_| None, &mut found), found)
    };
    let (mut returns, (sections, narrative_problems)) = std::thread::scope(|scope| {
        let narrative = scope.spawn(parse_narrative);
        let returns = parse_tree(&returns_folder, plain::read, problems);
        // (should parsing it ever stop this way, the narrative is parsed again here)
        let narrative = narrative.join().unwrap_or_else(|_| parse_narrative());
        (returns, narrative)
    });
    unread(&returns_folder, root, true, problems);
    unread(&narrative_folder, root, false, problems);
    let columns: Option<Parsed<crate::input::spreadsheet::ColumnMap>> =
        parse_optional(&root.join("columns.yaml"), problems);
    let columns = columns.map(|c| c.value).unwrap_or_default();
    if let Some(bank) = questions {
        for path in spreadsheets(&returns_folder) {
            returns.extend(crate::input::spreadsheet::read(
                &path,
                &bank.value,
                &columns,
                problems,
            ));
        }
    }
    problems.extend(narrative_problems);
    (returns, sections)
}

/// `output:` in the `audit.yaml` of the audit folder at `root`: where its builds write.
/// `None` when it says nothing, or cannot be read (reading the audit says why).
pub fn output_setting(root: &Path) -> Option<model::OutputFolders> {
    let audit: Parsed<AuditInfo> =
        parse_file(&root.join("audit.yaml"), &mut Diagnostics::default())?;
    audit.value.output
}

/// The editions `editions.yaml` of the audit folder at `root` declares, for a command that
/// names an edition before it reads the rest (`preview --edition`, `editions`); the whole
/// report when there is no such file; what is wrong with it when it cannot be read.
pub fn declared_editions(root: &Path) -> Result<Vec<crate::edition::Edition>, Diagnostics> {
    let path = root.join("editions.yaml");
    if !path.exists() {
        return Ok(vec![crate::edition::Edition::whole_report()]);
    }
    let mut problems = Diagnostics::default();
    match parse_file::<crate::edition::EditionList>(&path, &mut problems) {
        Some(parsed) => Ok(parsed.value.editions),
        None => Err(problems),
    }
}

/// `audit.yaml` of the audit folder at `root` alone, for a command that needs only what it
/// says (`editions`: the audience and title); what is wrong with it when it cannot be read.
pub fn audit_settings(root: &Path) -> Result<AuditInfo, Diagnostics> {
    let mut problems = Diagnostics::default();
    match parse_file::<AuditInfo>(&root.join("audit.yaml"), &mut problems) {
        Some(parsed) => Ok(parsed.value),
        None => Err(problems),
    }
}

/// What reading one input file gave.
enum Read {
    /// Its text.
    Text(String),
    /// It is larger than [`MAX_FILE_BYTES`]: at least this many bytes.
    TooLarge(u64),
    /// It is not UTF-8: what to say of it.
    NotText(Diagnostic),
    /// It is not a plain file (a pipe, a device): reading it could wait for ever.
    NotAFile,
}

/// Reads the file at `path`: one open, its size from the open file, one read (returns are
/// read in thousands).
fn read_text(path: &Path) -> std::io::Result<Read> {
    use std::io::Read as _;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    // Opening a named pipe waits for a writer; without waiting, its kind is seen below.
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits());
    }
    #[cfg(not(target_os = "linux"))]
    if !fs::metadata(path)?.is_file() {
        return Ok(Read::NotAFile);
    }
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Ok(Read::NotAFile);
    }
    let size = metadata.len();
    if size > MAX_FILE_BYTES {
        return Ok(Read::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    // A file that grew since, or a device that never ends, is still held to the limit.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok(Read::TooLarge(bytes.len() as u64));
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Read::Text(text),
        Err(e) => Read::NotText(not_utf8(path, e.as_bytes(), false)),
    })
}

/// What to say of a file that is not UTF-8 text: where its first byte that is not, and what
/// to save it as (UTF-16, as Windows Notepad may save, is said by name). `spreadsheet`: a
/// CSV file, exported from a spreadsheet.
pub(crate) fn not_utf8(path: &Path, bytes: &[u8], spreadsheet: bool) -> Diagnostic {
    let save = if spreadsheet {
        "save it as UTF-8 (in Excel: \"CSV UTF-8\")"
    } else {
        "save it as UTF-8 (in an editor: encoding UTF-8)"
    };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Diagnostic::error(
            Location::file(path),
            "expected UTF-8 text, found UTF-16 text (as Windows Notepad may save it)",
        )
        .with_note(save);
    }
    let valid = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let before = String::from_utf8_lossy(&bytes[..valid]);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let byte = bytes.get(valid).copied().unwrap_or(0);
    Diagnostic::error(
        Location::at(path, line, column),
        format!("expected UTF-8 text, found the byte 0x{byte:02X}, which is not (the file is in another encoding, Latin-1 or Windows-1252 perhaps)"),
    )
    .with_note(save)
}

fn parse_optional<T: DeserializeOwned>(
    path: &Path,
    problems: &mut Diagnostics,
) -> Option<Parsed<T>> {
    if path.exists() {
        parse_file(path, problems)
    } else {
        None
    }
}

/// The largest input file read, in bytes: far beyond any real return or narrative, well
/// short of what would exhaust memory on the way to the PDF.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// An error if the file at `path` is larger than [`MAX_FILE_BYTES`].
pub fn too_large(path: &Path) -> Option<Diagnostic> {
    let size = fs::metadata(path).ok()?.len();
    (size > MAX_FILE_BYTES).then(|| too_large_at(path, size))
}

/// The error for a file of `size` bytes, larger than [`MAX_FILE_BYTES`].
fn too_large_at(path: &Path, size: u64) -> Diagnostic {
    Diagnostic::error(
        Location::file(path),
        format!(
            "file is {:.1} MB; input files are limited to {} MB",
            size as f64 / 1048576.0,
            MAX_FILE_BYTES / 1048576
        ),
    )
}

fn parse_file<T: DeserializeOwned>(path: &Path, problems: &mut Diagnostics) -> Option<Parsed<T>> {
    parse_file_with(path, |_| None, problems)
}

/// [`parse_file`], trying `plain` (a reader for the file's plainest shape, giving what the
/// YAML reader would, or `None`) before the YAML reader.
fn parse_file_with<T: DeserializeOwned>(
    path: &Path,
    plain: fn(&str) -> Option<T>,
    problems: &mut Diagnostics,
) -> Option<Parsed<T>> {
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        problems.push(
            Diagnostic::error(
                Location::file(path),
                "this is a symbolic link; an audit reads only the files inside its folder, so it is not read",
            )
            .with_note("copy the file into the audit folder instead"),
        );
        return None;
    }
    let text = match read_text(path) {
        Ok(Read::Text(text)) => text,
        Ok(Read::TooLarge(size)) => {
            problems.push(too_large_at(path, size));
            return None;
        }
        Ok(Read::NotAFile) => {
            problems.push(
                Diagnostic::error(
                    Location::file(path),
                    "this is not a plain file (a pipe or a device); it is not read",
                )
                .with_note("put the file itself in the audit folder"),
            );
            return None;
        }
        Ok(Read::NotText(problem)) => {
            problems.push(problem);
            return None;
        }
        Err(error) => {
            problems.push(Diagnostic::io("read", path, &error));
            return None;
        }
    };
    // A byte-order mark (Notepad) is not part of the first key.
    let text = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let source = Source {
        path: path.to_path_buf(),
        text,
        cells: None,
    };
    // (before the plain reader too: it reads flow lists)
    if let Some(problem) = yaml::too_many_items(&source) {
        problems.push(problem);
        return None;
    }
    if let Some(value) = plain(&source.text) {
        return Some(Parsed { value, source });
    }
    match yaml::parse_counted_all(&source) {
        Ok(value) => Some(Parsed { value, source }),
        Err(found) => {
            found.into_iter().for_each(|problem| problems.push(problem));
            None
        }
    }
}
