//! What `init --from` carried from the earlier round into the next: `carried_over:` in
//! `audit.yaml` lists each field this round must give again (its date, period, audience,
//! facts, editions' audiences and versions) with the earlier round's value. A field that
//! still holds that value is a warning at the field, so a report is never sent out with last
//! year's date by default; changing the field ends it, with no second edit to remember.

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::edition::EditionList;
use crate::input::model::{AuditInfo, Neighbours, SectionFile};
use crate::input::{Parsed, Source};
use serde_json::Value;

/// Warns about every field `carried_over:` names that still holds the earlier round's value,
/// and about every part an edition left out in the earlier round and shows in this one.
pub(super) fn check_carried_over(
    info: &AuditInfo,
    source: &Source,
    editions: Option<&Parsed<EditionList>>,
    neighbours: Option<&Parsed<Neighbours>>,
    sections: &[Parsed<SectionFile>],
    problems: &mut Diagnostics,
) {
    let folder = Folder {
        info,
        source,
        editions,
        neighbours,
        sections,
    };
    for (key, earlier) in &info.carried_over {
        let current = now_of(key, earlier, &folder, problems);
        let Some((place, now, what_to_do)) = current else {
            continue;
        };
        if same(&now, earlier) {
            problems.push(
                Diagnostic::warning(
                    place,
                    format!(
                        "`{key}` still holds the earlier round's value ({}), carried over by `init --from`",
                        shown(earlier)
                    ),
                )
                .with_note(format!(
                    "{what_to_do}; this warning goes once it differs (if the earlier value is right for this round too, delete `{key}` under `carried_over:` in audit.yaml)"
                )),
            );
        }
    }
}

/// What `check_carried_over` reads a carried-over field's value from.
struct Folder<'a> {
    info: &'a AuditInfo,
    source: &'a Source,
    editions: Option<&'a Parsed<EditionList>>,
    neighbours: Option<&'a Parsed<Neighbours>>,
    sections: &'a [Parsed<SectionFile>],
}

/// Where the field `key` is now, what it holds and what to give instead; `None` when the
/// field is gone (taking it out is one way of updating it) or is checked otherwise.
fn now_of(
    key: &str,
    earlier: &Value,
    folder: &Folder,
    problems: &mut Diagnostics,
) -> Option<(Location, String, &'static str)> {
    let Folder {
        info,
        source,
        neighbours,
        ..
    } = *folder;
    let parts: Vec<&str> = key.split('.').collect();
    match parts.as_slice() {
        ["date"] => Some((
            source.locate(&["date"]),
            info.date.clone(),
            "give this round's date (YYYY-MM-DD), printed on the cover",
        )),
        ["audience"] => Some((
            source.locate(&["audience"]),
            info.audience.clone(),
            "give who this round's report is for, printed on the cover",
        )),
        ["period"] => Some((
            source.locate(&["period"]),
            info.period.clone(),
            "give when this round's case files were audited",
        )),
        ["facts", name] => info.facts.get(*name).map(|fact| {
            (
                source.locate(&["facts", name, "value"]),
                shown(&Value::from(fact.value)),
                "give this round's figure (and its `about`, if that names a date)",
            )
        }),
        ["editions", id, field] => {
            now_in_edition(key, [id, field], earlier, folder, problems)
        }
        ["neighbours", "title"] => neighbours.map(|n| {
            (
                n.source.locate(&["title"]),
                n.value.title.clone(),
                "give this round's table of statistical neighbours in neighbours.yaml, with its title, or delete the file if this round's report does not show it",
            )
        }),
        _ => {
            unknown(key, source, problems);
            None
        }
    }
}

/// [`now_of`] an edition's field (`editions.<id>.<field>`); an `exclude` is checked by
/// [`left_out_before`].
fn now_in_edition(
    key: &str,
    [id, field]: [&str; 2],
    earlier: &Value,
    folder: &Folder,
    problems: &mut Diagnostics,
) -> Option<(Location, String, &'static str)> {
    let parsed = folder.editions?;
    let index = parsed.value.editions.iter().position(|e| e.id == id)?;
    let edition = &parsed.value.editions[index];
    let at = |field: &str| {
        parsed
            .source
            .locate(&["editions", &index.to_string(), field])
    };
    match field {
        "audience" => edition
            .audience
            .clone()
            .map(|a| (at("audience"), a, "give who this round's edition is for")),
        "version" => edition.version.clone().map(|v| {
            (
                at("version"),
                v,
                "give this round's version (a draft's `0.1`, say)",
            )
        }),
        "date" => edition.date.clone().map(|d| {
            (
                at("date"),
                d,
                "give this edition's date in this round, or delete it to print the audit's",
            )
        }),
        "exclude" => {
            left_out_before(
                key,
                edition,
                earlier,
                at("exclude"),
                folder.sections,
                problems,
            );
            None
        }
        _ => {
            unknown(key, folder.source, problems);
            None
        }
    }
}

/// An edition's exclusions the new round's narrative had no part for (so `init` took them off
/// the list): a part of that id written since, and shown by the edition, is a warning, as an
/// appendix the public edition left out last year (one child's story) may be pasted back in.
fn left_out_before(
    key: &str,
    edition: &crate::edition::Edition,
    earlier: &Value,
    place: Location,
    sections: &[Parsed<SectionFile>],
    problems: &mut Diagnostics,
) {
    let labels = super::narrative::part_labels(sections);
    let listed: Vec<String> = match earlier {
        Value::Array(items) => items.iter().map(shown).collect(),
        other => vec![shown(other)],
    };
    for label in listed {
        if labels.contains(&label) && edition.includes(Some(&label)) {
            problems.push(
                Diagnostic::warning(
                    place.clone(),
                    format!(
                        "edition `{}` left out `{label}` in the earlier round, and shows it in this one",
                        edition.id
                    ),
                )
                .with_note(format!(
                    "add `{label}` to its `exclude` to leave it out as before (`init --from` took it off the list while this round had no such part); to show it, delete `{label}` from `{key}` under `carried_over:` in audit.yaml"
                )),
            );
        }
    }
}

/// A key `init` never writes: a slip, which would otherwise check nothing without a word.
fn unknown(key: &str, source: &Source, problems: &mut Diagnostics) {
    problems.push(
        Diagnostic::warning(
            source.locate(&["carried_over", key]),
            format!("`carried_over` names `{key}`, which is not a field carried over from the earlier round"),
        )
        .with_note("it may name `date`, `audience`, `period`, `facts.<name>`, `editions.<id>.audience`, `.version`, `.date` or `.exclude`, or `neighbours.title`; delete it if it is a slip"),
    );
}

/// Whether a field's value `now` is still the earlier round's: the same text, or, for a
/// figure, the same number however written (`202` and `202.0`; a version `1.10` is not `1.1`).
fn same(now: &str, earlier: &Value) -> bool {
    match earlier {
        Value::Number(n) => now.trim().parse::<f64>().ok() == n.as_f64(),
        _ => now.trim() == shown(earlier).trim(),
    }
}

/// A value as the lead wrote it: text as it is, numbers without a needless `.0`, lists
/// joined with commas.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{same, shown};
    use serde_json::json;

    #[test]
    fn a_value_is_the_earlier_rounds_however_its_number_is_written() {
        assert!(same("2014-02-28", &json!("2014-02-28")));
        assert!(!same("2015-02-27", &json!("2014-02-28")));
        assert!(same("202", &json!(202)));
        assert!(same("202", &json!(202.0)));
        assert!(same("1.0", &json!("1.0")));
        assert!(!same("1.1", &json!("1.0")));
        assert!(!same("1.10", &json!("1.1")));
        assert_eq!(shown(&json!(202.0)), "202");
        assert_eq!(shown(&json!(16.8)), "16.8");
        assert_eq!(shown(&json!(["a", "b"])), "a, b");
    }
}
