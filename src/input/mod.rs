//! Input: an audit folder on disk → [`AuditFolder`], the files parsed but not yet checked
//! against each other.
//!
//! Every file is read and parsed even when an earlier one failed, so one run reports every
//! syntax error. Each parsed file keeps its [`Source`] text, so later stages can point at the
//! line of a value they reject.

pub mod actions;
mod lenient;
pub mod model;
pub mod pack;
pub mod places;
mod plain;
mod sheet;
mod source;
pub mod spreadsheet;
pub mod synthetic;

pub use source::{Cells, Parsed, Sheet, Source};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::edition::EditionList;
use crate::input::model::{AuditInfo, CaseList, Neighbours, QuestionBank, RawReturn, SectionFile};
use serde::de::DeserializeOwned;
use std::fs;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

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
    if let Some(problem) = too_many_items(&source) {
        problems.push(problem);
        return None;
    }
    if let Some(value) = plain(&source.text) {
        return Some(Parsed { value, source });
    }
    match parse_counted(&source) {
        Ok(value) => Some(Parsed { value, source }),
        Err(diagnostic) => {
            problems.push(diagnostic);
            None
        }
    }
}

/// How deep `[…]` and `{…}` may nest in a YAML file: an audit's files nest a few levels,
/// and the YAML reader's time grows with the square of the depth (a 400 KB file of brackets
/// took minutes).
pub const MAX_FLOW_DEPTH: usize = 64;

/// Where `text` first nests brackets (`[`, `{`) deeper than [`MAX_FLOW_DEPTH`]: 1-based line
/// and column. Brackets inside quotes count too; no audit text holds that many.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1, 0);
    for c in text.chars() {
        column += 1;
        match c {
            '\n' => (line, column) = (line + 1, 0),
            '[' | '{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The most items (lines, and commas between flow items) one YAML file may hold. Memory
/// grows with items, not bytes: a 2 MB flow list of a million took 1.3 GB to read as a
/// narrative list. A 10,000-case audit's largest file (its narrative) has 150,000; at this
/// limit reading a file stays under about 400 MB (docs/limits.md).
pub const MAX_YAML_ITEMS: usize = 300_000;

/// An error if `source` holds more than [`MAX_YAML_ITEMS`] lines and flow items.
fn too_many_items(source: &Source) -> Option<Diagnostic> {
    let items = source
        .text
        .bytes()
        .filter(|b| matches!(b, b',' | b'\n'))
        .count();
    (items > MAX_YAML_ITEMS).then(|| {
        Diagnostic::error(
            Location::file(&source.path),
            format!(
                "file holds {items} lines and list items; an audit file is limited to {MAX_YAML_ITEMS} (a 10,000-case audit's largest holds about half that)"
            ),
        )
        .with_note("split a long narrative over several files in narrative/; a list of a million items is no report's")
    })
}

/// Parses one YAML text, turning a serde error into a diagnostic at its line and column.
pub fn parse_str<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    if let Some(problem) = too_many_items(source) {
        return Err(problem);
    }
    parse_counted(source)
}

/// [`parse_str`] of a text whose items were counted already (every audit file is counted
/// before its plain reader: the count is not taken twice).
fn parse_counted<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    if source.text.trim().is_empty() {
        return Err(Diagnostic::error(
            Location::file(&source.path),
            "file is empty",
        ));
    }
    if let Some((line, column)) = too_deep(&source.text) {
        return Err(Diagnostic::error(
            Location::at(&source.path, line, column),
            format!(
                "brackets (`[`, `{{`) nest more than {MAX_FLOW_DEPTH} deep here; an audit file needs a few levels"
            ),
        ));
    }
    serde_yaml::from_str(&source.text).map_err(|error| yaml_problem(source, &error))
}

/// What the YAML reader's `error` means, in plain words where we know them, at its place.
fn yaml_problem(source: &Source, error: &serde_yaml::Error) -> Diagnostic {
    let (line, column) = error.location().map_or((0, 0), |l| (l.line(), l.column()));
    let raw = error.to_string();
    // serde_yaml puts " at line L column C" into its message; the location already says it.
    let message = strip_position(&raw);
    if let Some((at, explained)) = plain_yaml(&raw) {
        let (l, c) = at.unwrap_or((line, column));
        return Diagnostic::error(Location::at(&source.path, l, c), explained)
            .with_note(format!("the YAML reader said: {message}"));
    }
    if let Some(problem) = control_character(source, &raw) {
        return problem;
    }
    // Most YAML errors a person makes are indentation: said in plain words, at the line.
    if let Some((at, explained)) = unclosed_bracket(&source.text) {
        return Diagnostic::error(Location::at(&source.path, at.0, at.1), explained)
            .with_note(format!("the YAML reader said: {message}"));
    }
    if let Some((at, explained)) = indentation_slip(&source.text) {
        return Diagnostic::error(Location::at(&source.path, at.0, at.1), explained)
            .with_note("YAML reads the structure from the indentation: line it up with the lines it belongs with, using spaces")
            .with_note(format!("the YAML reader said: {message}"));
    }
    // A value of the wrong kind: said as the reader says it, at the value (through an
    // alias, where its anchor defines it).
    let of_a_value = [
        "invalid type",
        "unknown field",
        "missing field",
        "invalid value",
        "unknown variant",
        "invalid length",
        "duplicate field",
    ]
    .iter()
    .any(|kind| message.contains(kind));
    if of_a_value {
        return value_problem(source, &message, (line, column));
    }
    Diagnostic::error(
        Location::at(&source.path, line, column),
        format!("failed to read YAML: {message}"),
    )
}

/// A byte the reader refuses (a NUL), which it gives as a byte offset: at its line and
/// column.
fn control_character(source: &Source, raw: &str) -> Option<Diagnostic> {
    let offset = raw
        .split_once("at position ")
        .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&n| n <= source.text.len() && source.text.is_char_boundary(n))?;
    let before = &source.text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let found = source.text[offset..].chars().next().unwrap_or(' ');
    Some(
        Diagnostic::error(
            Location::at(&source.path, line, column),
            format!(
                "expected text, found the control character U+{:04X}, which YAML does not allow",
                found as u32
            ),
        )
        .with_note("remove it (an editor that shows invisible characters will find it)"),
    )
}

/// A value of the wrong kind (`message`, the reader's words), at the value: where the reader
/// stopped (`at`), or, when it gives no place, found by the path the message starts with.
fn value_problem(source: &Source, message: &str, at: (usize, usize)) -> Diagnostic {
    let location = if at == (0, 0) {
        let path = message.split_once(": ").map_or("", |(path, _)| path);
        let keys: Vec<&str> = path
            .split(['.', '[', ']'])
            .filter(|k| !k.is_empty())
            .collect();
        source.locate(&keys)
    } else {
        Location::at(&source.path, at.0, at.1)
    };
    let mut problem = Diagnostic::error(location, format!("failed to read YAML: {message}"));
    if message.contains("unknown field `<<`") {
        problem = problem
            .with_note("YAML merge keys (`<<: *name`) are not read: write the keys out in full");
    }
    if source.text.contains('*') && source.text.contains('&') {
        problem = problem.with_note("a value reached through an alias (`*name`) is shown where its anchor (`&name`) defines it");
    }
    problem
}

/// The YAML reader's words for the mistakes people make, in plain words, and where the
/// mistake starts when that is not where the reader stopped.
fn plain_yaml(raw: &str) -> Option<(Option<(usize, usize)>, String)> {
    let place_after = |phrase: &str| -> Option<(usize, usize)> {
        let rest = &raw[raw.find(phrase)? + phrase.len()..];
        let rest = rest.trim_start().strip_prefix("at line ")?;
        let (line, rest) = rest.split_once(" column ")?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((line.parse().ok()?, column.parse().ok()?))
    };
    if raw.contains("while scanning a quoted scalar") {
        return Some((
            place_after("while scanning a quoted scalar"),
            "a quote opens this value and is never closed: end the value with the same quote mark"
                .into(),
        ));
    }
    if raw.contains("could not find expected ':'") {
        return Some((
            place_after("while scanning a simple key"),
            "this line has no `:` after its key: write `key: value` (or put text that runs on over lines in quotes)".into(),
        ));
    }
    if raw.contains("found character that cannot start any token") {
        return Some((
            None,
            "a value cannot start with this character (`@`, a backquote, `%` or a tab): put the value in quotes".into(),
        ));
    }
    if raw.contains("unknown anchor") {
        return Some((
            None,
            "this alias (`*name`) names no anchor (`&name`) above it in the file".into(),
        ));
    }
    if raw.contains("found unexpected end of stream") {
        return Some((None, "the file ends in the middle of a value".into()));
    }
    None
}

/// The first `[` or `{` never closed (outside quotes and comments), in words, at its place.
fn unclosed_bracket(text: &str) -> Option<((usize, usize), String)> {
    let mut open: Vec<(char, usize, usize)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        for (c, ch) in line.chars().enumerate() {
            match (quote, ch) {
                (Some(q), _) if ch == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => {
                    // A quote starts a quoted value only where a value starts.
                    let before = line.chars().take(c).collect::<String>();
                    let before = before.trim_end();
                    if before.is_empty() || before.ends_with([':', '-', '[', '{', ',']) {
                        quote = Some(ch);
                    }
                }
                (None, '#') if c == 0 || line[..line.char_indices().nth(c)?.0].ends_with(' ') => {
                    break;
                }
                (None, '[' | '{') => open.push((ch, n + 1, c + 1)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    let (bracket, line, column) = open.first().copied()?;
    let (what, close) = if bracket == '[' {
        ("list", ']')
    } else {
        ("mapping", '}')
    };
    Some((
        (line, column),
        format!("this `{bracket}` opens a {what} that is never closed with `{close}`"),
    ))
}

/// The first line indented out of step with the lines around it, and what it should be, in
/// words: "this line is indented 3 spaces; the lines it belongs with are indented 2". Lines
/// of a block scalar (`>-`, `|`) are text, not structure, and are passed over.
fn indentation_slip(text: &str) -> Option<((usize, usize), String)> {
    let mut levels = vec![0usize];
    let mut opens = true;
    let mut scalar_above: Option<usize> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let body = line.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - body.len();
        if body.starts_with('\t') {
            return Some((
                (n + 1, indent + 1),
                "this line is indented with a tab; YAML indents with spaces only".into(),
            ));
        }
        if let Some(scalar) = scalar_above {
            if indent > scalar {
                continue;
            }
            scalar_above = None;
        }
        let mut popped = None;
        while indent < *levels.last()? {
            popped = levels.pop();
        }
        let top = *levels.last()?;
        if indent > top {
            if !opens || popped.is_some() {
                let expected = popped.unwrap_or(top);
                return Some((
                    (n + 1, indent + 1),
                    format!(
                        "this line is indented {indent} space{}; the lines it belongs with are indented {expected}",
                        if indent == 1 { "" } else { "s" }
                    ),
                ));
            }
            levels.push(indent);
        }
        // A list item holds a mapping whose keys line up after the dash.
        let mut content = body;
        let mut content_indent = indent;
        while let Some(rest) = content.strip_prefix("- ") {
            content_indent += 2 + (rest.len() - rest.trim_start().len());
            content = rest.trim_start();
            levels.push(content_indent);
        }
        let value = content.split_once(": ").map(|(_, v)| v.trim());
        // (a key with only an anchor or a tag, `answers: &a`, opens its block too)
        opens = (content.ends_with(':')
            || value.is_some_and(|v| {
                v.split_whitespace()
                    .all(|w| w.starts_with('&') || w.starts_with('!'))
            }))
            && !content.starts_with(['"', '\'']);
        let block = |v: &str| matches!(v, ">" | ">-" | ">+" | "|" | "|-" | "|+");
        if value.is_some_and(block) || block(content) {
            scalar_above = Some(indent);
        }
    }
    None
}

/// `message` without serde_yaml's " at line L column C".
fn strip_position(message: &str) -> String {
    let Some(at) = message.find(" at line ") else {
        return message.to_string();
    };
    let rest = &message[at + " at line ".len()..];
    let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let Some(after) = rest[digits(rest)..].strip_prefix(" column ") else {
        return message.to_string();
    };
    format!("{}{}", &message[..at], &after[digits(after)..])
}

/// A folder's entries, walked once, sorted by file name: every file and folder below it
/// (symbolic links not followed) and the errors met on the way.
struct Listing {
    dir: PathBuf,
    entries: Vec<walkdir::DirEntry>,
    errors: Vec<walkdir::Error>,
}

impl Listing {
    fn of(dir: &Path) -> Listing {
        let mut listing = Listing {
            dir: dir.to_path_buf(),
            entries: Vec::new(),
            errors: Vec::new(),
        };
        // (a linked folder is not walked: see `unread`)
        let linked = fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink());
        if dir.is_dir() && !linked {
            for entry in WalkDir::new(dir).sort_by_file_name() {
                match entry {
                    Ok(entry) => listing.entries.push(entry),
                    Err(error) => listing.errors.push(error),
                }
            }
        }
        listing
    }

    /// Its files (not the folder itself, not links).
    fn files(&self) -> impl Iterator<Item = &walkdir::DirEntry> {
        self.entries.iter().filter(|e| e.file_type().is_file())
    }
}

/// Parses every `.yaml`/`.yml` file of `listing`, sorted by path so the order is stable
/// (`plain` as in [`parse_file_with`]).
fn parse_tree<T: DeserializeOwned + Send>(
    listing: &Listing,
    plain: fn(&str) -> Option<T>,
    problems: &mut Diagnostics,
) -> Vec<Parsed<T>> {
    let dir = listing.dir.as_path();
    if !dir.is_dir() {
        problems.push(Diagnostic::error(
            Location::file(dir),
            format!("folder `{}` is missing", dir.display()),
        ));
        return Vec::new();
    }
    for error in &listing.errors {
        problems.push(Diagnostic::error(
            Location::file(error.path().unwrap_or(dir)),
            format!("failed to read folder ({error})"),
        ));
    }
    let paths: Vec<PathBuf> = listing
        .files()
        .filter(|e| is_yaml(e.path()))
        .map(|e| e.path().to_path_buf())
        .collect();
    // Thousands of returns parse in parallel and come back in path order.
    let parsed = crate::parallel::by_share(&paths, 64, |share| {
        let mut problems = Diagnostics::default();
        let parsed: Vec<Parsed<T>> = share
            .iter()
            .filter_map(|path| parse_file_with(path, plain, &mut problems))
            .collect();
        (parsed, problems)
    });
    let mut all = Vec::with_capacity(paths.len());
    for share in parsed {
        match share {
            Ok((chunk, found)) => {
                all.extend(chunk);
                problems.extend(found);
            }
            // (should reading ever fail this way, each file of its share says so: none is
            // left out of the figures unnoticed)
            Err(stopped) => {
                for path in stopped {
                    problems.push(Diagnostic::error(
                        Location::file(path),
                        "reading this file stopped unexpectedly; it is not read",
                    ));
                }
            }
        }
    }
    all
}

/// The CSV and XLSX files of `listing`, in path order.
fn spreadsheets(listing: &Listing) -> Vec<PathBuf> {
    listing
        .files()
        .map(|e| e.path().to_path_buf())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.starts_with("~$")
                && matches!(
                    p.extension()
                        .and_then(|e| e.to_str())
                        .map(str::to_lowercase)
                        .as_deref(),
                    Some("csv" | "xlsx")
                )
        })
        .collect()
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .as_deref(),
        Some("yaml" | "yml")
    )
}

/// A warning at a spreadsheet of returns whose lock file (`~$name.xlsx`, made while Excel
/// has `name.xlsx` open, or LibreOffice's `.~lock.name.xlsx#`) stands beside it, given the lock file's `path` and `name`:
/// what is read is the copy last saved, which may not hold the last answers typed.
fn open_in_excel(path: &Path, name: &str, problems: &mut Diagnostics) {
    // Excel's `~$name.xlsx`, LibreOffice's `.~lock.name.xlsx#`
    let Some(workbook) = name.strip_prefix("~$").or_else(|| {
        name.strip_prefix(".~lock.")
            .and_then(|rest| rest.strip_suffix('#'))
    }) else {
        return;
    };
    let beside = path.with_file_name(workbook);
    let spreadsheet = matches!(
        beside
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .as_deref(),
        Some("csv" | "xlsx")
    );
    if spreadsheet && beside.is_file() {
        problems.push(
            Diagnostic::warning(
                Location::file(&beside),
                format!(
                    "`{workbook}` is open in Excel or LibreOffice (its lock file `{name}` is beside it); what is read is the copy last saved, which may not hold the last answers typed"
                ),
            )
            .with_note("close it, saving it first, and run again")
            .with_note(format!(
                "if it is not open anywhere, the program left `{name}` behind when it stopped: delete `{name}`"
            )),
        );
    }
}

/// Files of `listing` that will not be read, said out loud: other kinds of file (warnings:
/// `what` says what is read there) and symbolic links, which are never followed (an error
/// when the link leads outside the audit folder `root`).
fn unread(listing: &Listing, root: &Path, spreadsheets: bool, problems: &mut Diagnostics) {
    if fs::symlink_metadata(&listing.dir).is_ok_and(|m| m.file_type().is_symlink()) {
        problems.push(
            Diagnostic::error(
                Location::file(&listing.dir),
                "this folder is a symbolic link; an audit reads only what is inside its folder, so nothing in it is read",
            )
            .with_note("copy the folder into the audit folder instead"),
        );
        return;
    }
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for entry in listing.entries.iter().filter(|e| e.depth() >= 1) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        if entry.path_is_symlink() {
            problems.push(linked(path, &root));
            continue;
        }
        let kind = entry.file_type();
        // A pipe or a device among the returns is not one to skip without a word: a return
        // put there is missing from every figure.
        if !kind.is_file() && !kind.is_dir() {
            problems.push(
                Diagnostic::error(
                    Location::file(path),
                    "this is not a plain file (a pipe or a device); it is not read",
                )
                .with_note("put the file itself in the audit folder"),
            );
            continue;
        }
        if spreadsheets && kind.is_file() {
            open_in_excel(path, &name, problems);
        }
        if !kind.is_file() || name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase);
        let read =
            is_yaml(path) || (spreadsheets && matches!(extension.as_deref(), Some("csv" | "xlsx")));
        if !read {
            let expected = if spreadsheets {
                "returns are read from .yaml, .csv and .xlsx files (save other spreadsheets as .xlsx)"
            } else {
                "narrative is read from .yaml files"
            };
            problems.push(Diagnostic::warning(
                Location::file(path),
                format!("not read: {expected}"),
            ));
        }
    }
}

/// A symbolic link in a folder of the audit at `root`: never followed, and an error when it
/// leads outside the audit folder.
fn linked(path: &Path, root: &Path) -> Diagnostic {
    let target = path.canonicalize();
    if target.is_err() {
        return Diagnostic::warning(
            Location::file(path),
            "this is a symbolic link to nothing (what it named is gone); it is not read",
        )
        .with_note("remove it, or copy the file it named here");
    }
    let outside = target.map_or(true, |target| !target.starts_with(root));
    if outside {
        Diagnostic::error(
            Location::file(path),
            "this is a symbolic link to something outside the audit folder; it is not read",
        )
        .with_note("copy the file into the audit folder instead")
    } else {
        Diagnostic::warning(
            Location::file(path),
            "symbolic links are not followed; this is not read",
        )
        .with_note("copy the file here instead of linking it")
    }
}

#[cfg(test)]
mod tests {
    use super::indentation_slip;

    #[test]
    fn an_indentation_slip_is_said_in_plain_words_at_its_line() {
        let deeper = "cases:\n- id: C1\n  category: x\n   age_band: y\n";
        assert_eq!(
            indentation_slip(deeper),
            Some((
                (4, 4),
                "this line is indented 3 spaces; the lines it belongs with are indented 2".into()
            ))
        );
        let shallower = "cases:\n- id: C1\n  category: x\n gender: y\n";
        assert_eq!(
            indentation_slip(shallower),
            Some((
                (4, 2),
                "this line is indented 1 space; the lines it belongs with are indented 2".into()
            ))
        );
        // text of a block scalar, and a well-formed narrative, are no slips
        let fine = "title: T\nsubsections:\n- id: a\n  blocks:\n  - p: >-\n      one\n        two\n  - list:\n    - x\n    - y\nreferences:\n- >-\n  A\n- B\n";
        assert_eq!(indentation_slip(fine), None);
        assert!(indentation_slip("a:\n\tb: 1\n").unwrap().1.contains("tab"));
        assert_eq!(
            super::unclosed_bracket("title: x\nrows: [a, 'b]'\n# [not this\n"),
            Some((
                (2, 7),
                "this `[` opens a list that is never closed with `]`".into()
            ))
        );
        assert_eq!(
            super::unclosed_bracket("q1: {a: 'yes', b: \"[no\"}\n"),
            None
        );
        // no false alarm on any file of the sample or the example re-audit
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in ["data", "examples", "report-templates"] {
            for entry in walkdir::WalkDir::new(root.join(folder)) {
                let entry = entry.unwrap();
                if entry.path().extension().is_some_and(|e| e == "yaml") {
                    let text = std::fs::read_to_string(entry.path()).unwrap();
                    assert_eq!(indentation_slip(&text), None, "{}", entry.path().display());
                    assert_eq!(
                        super::unclosed_bracket(&text),
                        None,
                        "{}",
                        entry.path().display()
                    );
                }
            }
        }
    }

    #[test]
    fn the_reader_s_usual_complaints_are_said_in_plain_words_at_their_start() {
        let message = |text: &str| {
            let source = Source {
                path: "f.yaml".into(),
                text: text.to_string(),
                cells: None,
            };
            super::parse_str::<serde_yaml::Value>(&source)
                .unwrap_err()
                .to_string()
        };
        let quote = message("title: x\nboard: \"Unclosed\nauthor: y\n");
        assert!(
            quote.starts_with("f.yaml:2:8: error: a quote opens this value and is never closed"),
            "{quote}"
        );
        let colon = message("title: x\nboard y\nauthor: z\n");
        assert!(
            colon.starts_with("f.yaml:2:1: error: this line has no `:` after its key"),
            "{colon}"
        );
        let token = message("title: @x\n");
        assert!(
            token.contains("error: a value cannot start with this character"),
            "{token}"
        );
        let alias = message("a: &x 1\nb: *y\n");
        assert!(
            alias.contains("error: this alias (`*name`) names no anchor"),
            "{alias}"
        );
    }

    use super::*;

    /// Brackets nested past the limit are refused at the first one too deep, before the YAML
    /// reader (whose time grows with the square of the depth) sees them.
    #[test]
    fn brackets_nested_too_deep_are_refused_at_their_place() {
        let nested = |n: usize| format!("case: C01\nq2: {}{}\n", "[".repeat(n), "]".repeat(n));
        assert_eq!(too_deep(&nested(MAX_FLOW_DEPTH)), None);
        assert_eq!(too_deep(&nested(200_000)), Some((2, 5 + MAX_FLOW_DEPTH)));
        let source = Source {
            path: "f.yaml".into(),
            text: nested(200_000),
            cells: None,
        };
        let shown = parse_str::<serde_yaml::Value>(&source)
            .unwrap_err()
            .to_string();
        assert!(
            shown.starts_with("f.yaml:2:69: error: brackets (`[`, `{`) nest more than 64 deep"),
            "{shown}"
        );
    }

    /// A NUL byte is pointed at by line and column (the reader gives a byte offset), and a
    /// value of the wrong kind reached through an alias is not taken for an indentation slip.
    #[test]
    fn a_nul_byte_and_an_aliased_value_are_said_at_their_place() {
        let shown = |text: &str| {
            let source = Source {
                path: "f.yaml".into(),
                text: text.into(),
                cells: None,
            };
            parse_str::<crate::input::model::RawReturn>(&source)
                .unwrap_err()
                .to_string()
        };
        let nul = shown("case: C01\nagency: Health\nanswers:\n  q2: ye\0s\n");
        assert!(
            nul.starts_with("f.yaml:4:9: error: expected text, found the control character U+0000"),
            "{nul}"
        );
        let alias = shown(
            "case: C01\nagency: Health\nanswers: &a\n  q1: {a: 'yes'}\n  q2: 'no'\ncomments: *a\n",
        );
        assert!(
            alias.starts_with("f.yaml:4:7: error: failed to read YAML: comments.q1: invalid type: map, expected a string"),
            "{alias}"
        );
        assert!(
            alias.contains("where its anchor (`&name`) defines it"),
            "{alias}"
        );
    }

    /// serde_yaml does not merge `<<: *name`: the unknown key `<<` is explained.
    #[test]
    fn a_merge_key_is_explained() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Block {
            title: Option<String>,
        }
        let source = Source {
            path: "f.yaml".into(),
            text: "base: &b {title: x}\nblocks:\n  - <<: *b\n".into(),
            cells: None,
        };
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct File {
            base: Block,
            blocks: Vec<Block>,
        }
        let shown = parse_str::<File>(&source).unwrap_err().to_string();
        assert!(
            shown.starts_with(
                "f.yaml:3:5: error: failed to read YAML: blocks[0]: unknown field `<<`"
            ),
            "{shown}"
        );
        assert!(
            shown.contains("merge keys (`<<: *name`) are not read"),
            "{shown}"
        );
    }

    #[test]
    fn position_is_taken_out_of_the_message() {
        assert_eq!(
            strip_position("bad escape at line 8 column 54, while parsing"),
            "bad escape, while parsing"
        );
        assert_eq!(
            strip_position("unknown field `y` at line 2 column 1"),
            "unknown field `y`"
        );
        assert_eq!(strip_position("at line noon"), "at line noon");
    }

    #[test]
    fn parse_errors_carry_line_and_column() {
        let s = Source {
            path: PathBuf::from("f.yaml"),
            text:
                "title: x\nquestions:\n  - id: q1\n    number: 1\n    text: t\n    kind: singel\n"
                    .into(),
            cells: None,
        };
        let d = parse_str::<QuestionBank>(&s).unwrap_err();
        assert_eq!(d.location, Some(Location::at("f.yaml", 6, 11)));
        assert!(
            d.message.contains("unknown variant `singel`"),
            "{}",
            d.message
        );
    }
}
