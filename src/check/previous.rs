//! A re-audit's earlier round: `previous:` in `audit.yaml` names its folder, which is loaded
//! and checked like this one, and every question, item and option of this round is matched
//! to the earlier round's, by id or by an explicit `same_as:` where the template changed.
//! One that matches nothing is an error at its place unless it is marked `new: true`.

use super::Audit;
use crate::diag::{Diagnostic, Diagnostics};
use crate::input::Source;
use crate::input::model::{Choice, Question, QuestionKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The earlier round of a re-audit, checked, with this round's questions matched to its.
#[derive(Debug, Clone)]
pub struct Previous {
    /// Its folder.
    pub folder: PathBuf,
    /// The earlier round, checked (its own `previous:` is not followed).
    pub audit: Audit,
    /// This round's measure id (`q2`, `q1.c`) → the earlier round's.
    pub measures: BTreeMap<String, String>,
    /// (this round's measure id, option id) → the earlier round's option id.
    pub options: BTreeMap<(String, String), String>,
}

/// Loads and checks the earlier round `audit.yaml` names, and matches this round's
/// questions to it; the audit unchanged when it names none.
pub fn attach(mut audit: Audit, root: &Path) -> Result<Audit, Diagnostics> {
    let Some(relative) = audit.info.previous.clone() else {
        return Ok(audit);
    };
    let source_named = |name: &str| {
        audit
            .sources
            .iter()
            .find(|s| s.path.file_name().is_some_and(|f| f == name))
            .cloned()
    };
    let info = source_named("audit.yaml");
    let at_previous = || match &info {
        Some(source) => source.locate(&["previous"]),
        None => crate::diag::Location::file(root.join("audit.yaml")),
    };
    let folder = root.join(&relative);
    let same = |a: &Path, b: &Path| matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b);
    if same(&folder, root) {
        return Err(Diagnostic::error(
            at_previous(),
            format!("`previous: {relative}` names this audit itself"),
        )
        .with_note("name the folder of the earlier round, relative to this one")
        .into());
    }
    if !folder.join("audit.yaml").is_file() {
        return Err(Diagnostic::error(
            at_previous(),
            format!(
                "expected the earlier round's audit folder at `{}`, found no audit.yaml there",
                folder.display()
            ),
        )
        .with_note("`previous:` is relative to this audit's folder (`../repeat-cpp-2014`)")
        .into());
    }
    let earlier_problem = |mut problems: Diagnostics| {
        problems.push(
            Diagnostic::error(
                at_previous(),
                format!("the earlier round `{relative}` has errors (listed above)"),
            )
            .with_note("a re-audit compares with a round that builds: fix it there first"),
        );
        problems
    };
    let (loaded, problems) = crate::input::load(&folder).map_err(earlier_problem)?;
    let (mut earlier, _) = super::validate(loaded, problems).map_err(earlier_problem)?;
    earlier.info.previous = None;
    let Some(questions) = source_named("questions.yaml") else {
        return Err(Diagnostic::general("questions.yaml was not kept with the audit").into());
    };
    let mut matcher = Matcher {
        source: &questions,
        earlier: &earlier.bank.questions,
        measures: BTreeMap::new(),
        options: BTreeMap::new(),
        problems: Diagnostics::default(),
    };
    for (q, question) in audit.bank.questions.iter().enumerate() {
        matcher.question(q, question);
    }
    let Matcher {
        measures,
        options,
        problems,
        ..
    } = matcher;
    problems.into_result(())?;
    audit.previous = Some(Box::new(Previous {
        folder,
        audit: earlier,
        measures,
        options,
    }));
    Ok(audit)
}

struct Matcher<'a> {
    source: &'a Source,
    earlier: &'a [Question],
    measures: BTreeMap<String, String>,
    options: BTreeMap<(String, String), String>,
    problems: Diagnostics,
}

impl Matcher<'_> {
    fn question(&mut self, q: usize, question: &Question) {
        if question.kind == QuestionKind::Text || question.new {
            return;
        }
        let index = q.to_string();
        let wanted = question.same_as.as_deref().unwrap_or(&question.id);
        let key = if question.same_as.is_some() {
            "same_as"
        } else {
            "id"
        };
        let Some(earlier) = self.earlier.iter().find(|e| e.id == wanted) else {
            let ids = self.earlier.iter().map(|e| e.id.as_str());
            let mut d = Diagnostic::error(
                self.source.locate(&["questions", &index, key]),
                format!("question `{}` has no match in the earlier round (it has no question `{wanted}`)", question.id),
            )
            .with_note("add `same_as: <id>` naming the earlier round's question, or `new: true` if it was not asked then");
            let near = crate::diag::nearest_all(wanted, ids);
            if !near.is_empty() {
                let named: Vec<String> = near.iter().map(|n| format!("`same_as: {n}`")).collect();
                d = d.with_note(format!("did you mean {}?", named.join(" or ")));
            }
            self.problems.push(d);
            return;
        };
        if earlier.kind != question.kind {
            self.problems.push(Diagnostic::error(
                self.source.locate(&["questions", &index, "kind"]),
                format!(
                    "question `{}` is answered as {:?} here but was {:?} in the earlier round (`{}`): their figures cannot be compared",
                    question.id, question.kind, earlier.kind, earlier.id
                ),
            ).with_note("give it a new id and `new: true`, or keep the earlier kind"));
            return;
        }
        let options = self.choices(&index, "options", &question.options, &earlier.options);
        if question.kind == QuestionKind::Checklist {
            let items = self.choices(&index, "items", &question.items, &earlier.items);
            for (item, earlier_item) in items {
                let measure = format!("{}.{item}", question.id);
                for (option, earlier_option) in &options {
                    self.options
                        .insert((measure.clone(), option.clone()), earlier_option.clone());
                }
                self.measures
                    .insert(measure, format!("{}.{earlier_item}", earlier.id));
            }
        } else {
            for (option, earlier_option) in options {
                self.options
                    .insert((question.id.clone(), option), earlier_option);
            }
            self.measures
                .insert(question.id.clone(), earlier.id.clone());
        }
    }

    /// This round's options (or items) matched to the earlier round's: (id, earlier id).
    fn choices(
        &mut self,
        index: &str,
        list: &str,
        choices: &[Choice],
        earlier: &[Choice],
    ) -> Vec<(String, String)> {
        let mut matched = Vec::new();
        for (c, choice) in choices.iter().enumerate() {
            if choice.new {
                continue;
            }
            let wanted = choice.same_as.as_deref().unwrap_or(&choice.id);
            if earlier.iter().any(|e| e.id == wanted) {
                matched.push((choice.id.clone(), wanted.to_string()));
            } else {
                let key = if choice.same_as.is_some() {
                    "same_as"
                } else {
                    "id"
                };
                let known: Vec<&str> = earlier.iter().map(|e| e.id.as_str()).collect();
                self.problems.push(
                    Diagnostic::error(
                        self.source
                            .locate(&["questions", index, list, &c.to_string(), key]),
                        format!(
                            "`{}` has no match among the earlier round's {list} ({})",
                            choice.id,
                            known.join(", ")
                        ),
                    )
                    .with_note("add `same_as: <id>` naming the earlier one, or `new: true`"),
                );
            }
        }
        matched
    }
}
