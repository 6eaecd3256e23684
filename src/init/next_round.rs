//! `init --from`: the next round of an existing audit, its files and the notes to print
//! (see the parent module).

use super::pack_starter;
use super::yaml_text::{figure, key_text, without_top_level, wrapped};
use crate::diag::{Diagnostic, Diagnostics};
use std::path::{Component, Path, PathBuf};

/// Files to write: each path in the new folder, and its text.
type Files = Vec<(PathBuf, String)>;

/// The parts (sections, sub-sections, appendices) of the narrative [`next_round`] writes.
const NEXT_ROUND_PARTS: [&str; 3] = ["report", "answers", "action-plan"];

/// Words that date a value ("CESCB Executive Group, March 2014"): a month or a year.
fn is_dated(text: &str) -> bool {
    crate::check::MONTHS.iter().any(|m| text.contains(m))
        || text
            .split(|c: char| !c.is_ascii_digit())
            .any(|n| n.len() == 4 && (n.starts_with("19") || n.starts_with("20")))
}

/// The next round of `from`: its template, editions and comparison table; its audit.yaml
/// naming it as `previous:` and marking what must be given again for this round under
/// `carried_over:`; a narrative with every charted question and how it changed; no cases,
/// returns or reviewed exceptions (`allow.yaml`). Returns the files and the notes to print.
pub(super) fn next_round(dir: &Path, from: &Path) -> Result<(Files, Vec<String>), Diagnostics> {
    let read = |name: &str| -> Result<String, Diagnostics> {
        let path = from.join(name);
        std::fs::read_to_string(&path).map_err(|e| Diagnostic::io("read", &path, &e).into())
    };
    let (folder, _) = crate::input::load(from)?;
    let previous = relative(dir, from).ok_or_else(|| {
        Diagnostics::from(Diagnostic::general(format!(
            "cannot say where `{}` is from `{}`",
            from.display(),
            dir.display()
        )))
    })?;
    let mut notes = Vec::new();
    let mut carried = carried_from_audit(&folder.audit.value);
    let mut files = Vec::new();
    if let Some(editions) = &folder.editions {
        let (text, dropped) = editions_for_next_round(editions);
        for edition in &editions.value.editions {
            carry_edition(edition, &dropped, &mut carried, &mut notes);
        }
        files.push((PathBuf::from("editions.yaml"), text));
        pack_starters(editions, &folder.questions.value, &mut files, &mut notes);
    }
    if let Some(neighbours) = &folder.neighbours {
        carried.push((
            "neighbours.title".into(),
            neighbours.value.title.clone().into(),
        ));
    }
    let info = audit_for_next_round(&read("audit.yaml")?, &previous, &carried);
    notes.insert(0, carried_note(&carried));
    files.push((PathBuf::from("audit.yaml"), info));
    files.push((PathBuf::from("questions.yaml"), read("questions.yaml")?));
    files.push((
        PathBuf::from("cases.yaml"),
        "# This round's cases: one child each, by id only. Never a name or a date of birth.\ncases: []\n".into(),
    ));
    if from.join("neighbours.yaml").is_file() {
        files.push((PathBuf::from("neighbours.yaml"), read("neighbours.yaml")?));
    }
    // The guard's exceptions were reviewed against the earlier round's text: carried over,
    // a name or postcode allowed there would pass unseen in this round's.
    if from.join("allow.yaml").is_file() {
        notes.push(format!(
            "allow.yaml was not carried over: its exceptions to the personal data guard were reviewed for the earlier round's text. Review each that `check` finds in this round again, and list it in {}/allow.yaml (docs/safety.md)",
            dir.display()
        ));
    }
    let narrative = narrative_for_next_round(&folder.questions.value);
    files.push((PathBuf::from("narrative/01-report.yaml"), narrative));
    Ok((files, notes))
}

/// A field the next round must give again, with the earlier round's value.
type Carried = Vec<(String, serde_json::Value)>;

/// What this round must give again of the audit's own fields, with the earlier round's
/// value: `check` warns about each field that still holds it (src/check/carried.rs).
fn carried_from_audit(earlier: &crate::input::model::AuditInfo) -> Carried {
    let mut carried: Carried = vec![
        ("date".into(), earlier.date.clone().into()),
        ("audience".into(), earlier.audience.clone().into()),
    ];
    if !earlier.period.trim().is_empty() {
        carried.push(("period".into(), earlier.period.clone().into()));
    }
    for (name, fact) in &earlier.facts {
        carried.push((format!("facts.{name}"), figure(fact.value)));
    }
    carried
}

/// What an edition must give again (its dated audience, version, date), and the parts it
/// no longer leaves out (`dropped`), with a note saying so.
fn carry_edition(
    edition: &crate::edition::Edition,
    dropped: &[(String, Vec<String>)],
    carried: &mut Carried,
    notes: &mut Vec<String>,
) {
    let id = &edition.id;
    // An audience without a date ("Children's Improvement Board") is as right this
    // round as last: marking it would only ask the lead to delete the mark.
    if let Some(audience) = edition.audience.as_ref().filter(|a| is_dated(a)) {
        carried.push((format!("editions.{id}.audience"), audience.clone().into()));
    }
    if let Some(version) = &edition.version {
        carried.push((format!("editions.{id}.version"), version.clone().into()));
    }
    if let Some(date) = &edition.date {
        carried.push((format!("editions.{id}.date"), date.clone().into()));
    }
    if let Some((_, left_out)) = dropped.iter().find(|(e, _)| e == id) {
        carried.push((format!("editions.{id}.exclude"), left_out.clone().into()));
        notes.push(format!(
            "editions.yaml: edition `{id}` no longer leaves out {}, which this round's narrative does not have; if you add one, put it back in the edition's `exclude` (check warns until you do)",
            left_out
                .iter()
                .map(|l| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
}

/// A starter for each cover paper's or briefing's words: they are the earlier round's
/// story, so each starts again from the starter, as the narrative does.
fn pack_starters(
    editions: &crate::input::Parsed<crate::edition::EditionList>,
    bank: &crate::input::model::QuestionBank,
    files: &mut Files,
    notes: &mut Vec<String>,
) {
    for edition in &editions.value.editions {
        let Some(name) = edition.text_file() else {
            continue;
        };
        let Some(starter) = pack_starter(edition.kind, bank) else {
            continue;
        };
        if files.iter().all(|(path, _)| path != Path::new(&name)) {
            files.push((PathBuf::from(&name), starter));
            notes.push(format!(
                "{name}: a starter, for this round's {} (the earlier round's words are its own)",
                edition.kind.name()
            ));
        }
    }
}

/// The next round's audit.yaml: the earlier one's, naming it as `previous:`, with what it
/// must give again under `carried_over:`.
fn audit_for_next_round(earlier: &str, previous: &Path, carried: &Carried) -> String {
    // (`output:` too: the earlier round's outputs are its own, and a next round writing into
    // them would be refused as another audit's)
    let mut info = without_top_level(earlier, &["previous", "carried_over", "output"]);
    info.push_str(&format!(
        "# The earlier round, whose figures this one's are compared with (relative to this folder).\n\
         previous: {}\n",
        serde_json::to_string(&previous.to_string_lossy()).unwrap_or_default()
    ));
    info.push_str(CARRIED_OVER_COMMENT);
    info.push_str("carried_over:\n");
    for (key, value) in carried {
        info.push_str(&format!(
            "  {}: {}\n",
            key_text(key),
            serde_json::to_string(value).unwrap_or_default()
        ));
    }
    info
}

/// The note, first of all, on how many fields still hold the earlier round's values.
fn carried_note(carried: &Carried) -> String {
    let marked = carried.iter().filter(|(k, _)| !k.ends_with(".exclude"));
    format!(
        "{} fields still hold the earlier round's values ({}), each listed under `carried_over:` in audit.yaml: `check` warns about each until you give this round's",
        marked.clone().count(),
        marked
            .clone()
            .map(|(k, _)| k.as_str())
            .take(4)
            .collect::<Vec<_>>()
            .join(", ")
            + if marked.count() > 4 { ", …" } else { "" }
    )
}

/// The next round's narrative: each charted question with a sentence on how its first
/// answer moved, and the action plan's progress.
fn narrative_for_next_round(bank: &crate::input::model::QuestionBank) -> String {
    let mut narrative = String::from(
        "# This round's report. Each charted question shows both rounds; {{change}} and\n\
         # {{chance}} say how a figure moved (docs/figures-in-prose.md).\n\
         id: report\ntitle: Findings of the re-audit\nsubsections:\n- id: answers\n  title: What the returns said\n  blocks:\n",
    );
    for question in bank.questions.iter().filter(|q| q.chart.is_some()) {
        narrative.push_str(&format!("  - question: {}\n", question.id));
        let first = question.options.first().map(|o| o.id.as_str());
        if let (crate::input::model::QuestionKind::Single, Some(option)) = (question.kind, first) {
            narrative.push_str(&format!(
                "  - p: >-\n      “{}” {{{{change \"{}\" \"{option}\"}}}}: {{{{chance \"{}\" \"{option}\"}}}}.\n",
                question.options[0].text.replace('"', "'"),
                question.id,
                question.id
            ));
        }
    }
    narrative.push_str(
        "appendices:\n- id: action-plan\n  title: Action plan progress\n  generated: action-plan\n",
    );
    narrative
}

/// What `init --from` writes above `carried_over:` in the new audit.yaml.
const CARRIED_OVER_COMMENT: &str = "\
# Carried over from the earlier round by `audit-report init --from`: each field named below
# still holds that round's value, given beside it. `check` warns about each while it does,
# so last round's date, audience or figures are never printed by default: give this round's
# value in the field itself (the warning then goes by itself), or, where the earlier value
# is right for this round too, delete its line here. An `editions.<id>.exclude` line lists
# parts the edition left out last round that this round's narrative has not got (yet): add
# one back and check warns until the edition leaves it out again. See docs/audit-folder.md.
";

/// editions.yaml for the next round: each edition's `exclude` keeps only the parts the new
/// narrative has (the rest would be errors: no part of that id), the file's comments kept.
/// Returns the text and, per edition, the ids taken off its list.
fn editions_for_next_round(
    parsed: &crate::input::Parsed<crate::edition::EditionList>,
) -> (String, Vec<(String, Vec<String>)>) {
    let editions = &parsed.value.editions;
    let kept = |labels: &[String]| -> Vec<String> {
        labels
            .iter()
            .filter(|l| NEXT_ROUND_PARTS.contains(&l.as_str()))
            .cloned()
            .collect()
    };
    let dropped: Vec<(String, Vec<String>)> = editions
        .iter()
        .map(|e| {
            let gone: Vec<String> = e
                .exclude
                .iter()
                .filter(|l| !NEXT_ROUND_PARTS.contains(&l.as_str()))
                .cloned()
                .collect();
            (e.id.clone(), gone)
        })
        .filter(|(_, gone)| !gone.is_empty())
        .collect();
    let expected: Vec<serde_json::Value> = editions
        .iter()
        .map(|e| {
            let mut e = e.clone();
            e.exclude = kept(&e.exclude);
            // A new round is a draft until its returns are in: a final edition of a round
            // with no returns is refused.
            e.is_final = false;
            serde_json::to_value(&e).unwrap_or_default()
        })
        .collect();
    let edited = edit_excludes(parsed, &dropped, &kept).map(|text| {
        static FINAL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"(?m)^(\s*(?:-\s+)?)final:\s*true\s*$").expect("valid pattern")
        });
        FINAL
            .replace_all(
                &text,
                "${1}final: false  # a draft until this round's returns are in; true to publish",
            )
            .into_owned()
    });
    // The edit is checked by reading it back: anything but the expected editions (a list
    // written in a way the edit does not follow, through an alias say) and the file is
    // written afresh from what was read, its comments lost but its editions right.
    let reads_back = edited.as_deref().is_some_and(|text| {
        serde_yaml::from_str::<crate::edition::EditionList>(text).is_ok_and(|list| {
            list.editions
                .iter()
                .map(|e| serde_json::to_value(e).unwrap_or_default())
                .eq(expected.iter().cloned())
        })
    });
    let text = match edited {
        Some(text) if reads_back => text,
        _ => format!(
            "# The editions of the earlier round, written afresh by `init --from` with each\n\
             # `exclude` keeping only parts this round's narrative has.\n{}",
            serde_yaml::to_string(&serde_json::json!({ "editions": expected })).unwrap_or_default()
        ),
    };
    (text, dropped)
}

/// The edit of [`editions_for_next_round`] on the file's text, an edition's `exclude` list
/// (flow or block) replaced by a flow list of what stays, with a comment naming what went;
/// `None` where the list is not where its key says.
fn edit_excludes(
    parsed: &crate::input::Parsed<crate::edition::EditionList>,
    dropped: &[(String, Vec<String>)],
    kept: &dyn Fn(&[String]) -> Vec<String>,
) -> Option<String> {
    let source = &parsed.source;
    let mut lines: Vec<String> = source.text.lines().map(str::to_string).collect();
    // from the last edition up, so the lines above keep their numbers
    for (index, edition) in parsed.value.editions.iter().enumerate().rev() {
        let Some((_, gone)) = dropped.iter().find(|(id, _)| *id == edition.id) else {
            continue;
        };
        let i = index.to_string();
        let key = source.locate(&["editions", &i, "exclude"]);
        let key_line = key.line.checked_sub(1)?;
        let line = lines.get(key_line)?;
        let at = line.char_indices().nth(key.column.checked_sub(1)?)?.0;
        let prefix = line[..at].to_string();
        let after = line[at..].strip_prefix("exclude:")?.to_string();
        let entries: Vec<usize> = (0..edition.exclude.len())
            .map(|e| {
                source
                    .locate(&["editions", &i, "exclude", &e.to_string()])
                    .line
            })
            .collect();
        let last_entry = entries.iter().copied().max()?.checked_sub(1)?;
        // a flow list ends at its `]`; a block list at its last entry
        let (end_line, trailing) = if after.trim_start().starts_with('[')
            || (after.trim().is_empty()
                && lines
                    .get(key_line + 1)
                    .is_some_and(|l| l.trim_start().starts_with('[')))
        {
            let end = (last_entry..lines.len()).find(|&n| lines[n].contains(']'))?;
            let close = lines[end].rfind(']')?;
            (end, lines[end][close + 1..].to_string())
        } else {
            (last_entry, String::new())
        };
        let indent = " ".repeat(prefix.chars().count());
        let mut replacement = wrapped(
            &format!(
                "init --from: the earlier round also left out {}: parts this round's narrative has not got (yet). Put each back here if you add it (check warns until you do).",
                gone.join(", ")
            ),
            &format!("{indent}# "),
        );
        replacement.push(format!(
            "{prefix}exclude: [{}]{trailing}",
            kept(&edition.exclude).join(", ")
        ));
        lines.splice(key_line..=end_line, replacement);
    }
    Some(lines.iter().map(|l| format!("{l}\n")).collect())
}

/// `to` as a path relative to the folder `dir` will be.
fn relative(dir: &Path, to: &Path) -> Option<PathBuf> {
    let absolute = |p: &Path| -> Option<PathBuf> {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().ok()?.join(p)
        };
        // The longest part that exists, with its links resolved: `previous:` is followed as
        // the system follows it, and `..` after a link leads from where the link points, not
        // from the link. The rest (`dir` may not exist yet) by hand.
        let parts: Vec<Component> = p.components().collect();
        let (mut out, resolved) = (1..=parts.len()).rev().find_map(|n| {
            let prefix: PathBuf = parts[..n].iter().collect();
            prefix.canonicalize().ok().map(|real| (real, n))
        })?;
        for c in &parts[resolved..] {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other),
            }
        }
        Some(out)
    };
    let (dir, to) = (absolute(dir)?, absolute(to)?);
    let common = dir
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut path = PathBuf::new();
    for _ in dir.components().skip(common) {
        path.push("..");
    }
    for c in to.components().skip(common) {
        path.push(c);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::{editions_for_next_round, relative};
    use crate::input::{Parsed, Source};
    use std::path::{Path, PathBuf};

    fn editions(text: &str) -> Parsed<crate::edition::EditionList> {
        let source = Source {
            path: PathBuf::from("editions.yaml"),
            text: text.to_string(),
            cells: None,
        };
        Parsed {
            value: serde_yaml::from_str(text).unwrap(),
            source,
        }
    }

    #[test]
    fn an_exclusion_of_a_part_the_next_round_has_not_got_is_taken_off_its_comments_kept() {
        let text = "\
# the board's
editions:
  - id: board
    name: Board
    exclude:
      - case-example
      - action-plan   # the plan goes to the board separately
    final: true
  - exclude: [case-example,
      answers]  # kept
    id: public
    name: Public
  - id: lead
    name: Lead
    exclude: [action-plan]
";
        let (written, dropped) = editions_for_next_round(&editions(text));
        assert_eq!(
            dropped,
            [
                ("board".to_string(), vec!["case-example".to_string()]),
                ("public".to_string(), vec!["case-example".to_string()]),
            ]
        );
        let read: crate::edition::EditionList = serde_yaml::from_str(&written).unwrap();
        let excludes: Vec<Vec<String>> = read.editions.iter().map(|e| e.exclude.clone()).collect();
        assert_eq!(
            excludes,
            [vec!["action-plan"], vec!["answers"], vec!["action-plan"]]
        );
        assert!(written.starts_with("# the board's\n"), "{written}");
        assert!(
            written.contains("    # init --from: the earlier round also left out case-example:"),
            "{written}"
        );
        assert!(
            written.contains("  - exclude: [answers]  # kept\n    id: public"),
            "{written}"
        );
        assert!(
            written.contains("    exclude: [action-plan]\n    final: false  # a draft until this round's returns are in; true to publish"),
            "{written}"
        );
    }

    #[test]
    fn the_earlier_round_is_named_from_the_new_folder() {
        assert_eq!(
            relative(Path::new("/a/audits/2015"), Path::new("/a/audits/2014")).unwrap(),
            Path::new("../2014")
        );
        assert_eq!(
            relative(Path::new("/a/x/../b/new"), Path::new("/a/data")).unwrap(),
            Path::new("../../data")
        );
    }
}
