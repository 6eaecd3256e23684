//! JSON Schemas for every file of the audit folder, made from the same types the build reads
//! them with, so an editor with the YAML language server completes and checks each field as
//! the lead types (see `docs/audit-folder.md` for the line that turns it on).

use crate::edition::EditionList;
use crate::input::AllowList;
use crate::input::model::{AuditInfo, CaseList, Neighbours, QuestionBank, RawReturn, SectionFile};
use crate::input::pack::{BriefingText, CoverText, SlidesText};
use crate::input::spreadsheet::ColumnMap;
use schemars::{JsonSchema, schema_for};

/// Each schema's file name, the audit files it describes, and its JSON text.
pub fn schemas() -> Vec<(&'static str, &'static str, String)> {
    fn json<T: JsonSchema>() -> String {
        serde_json::to_string_pretty(&schema_for!(T)).unwrap_or_default() + "\n"
    }
    vec![
        ("audit.schema.json", "audit.yaml", json::<AuditInfo>()),
        (
            "questions.schema.json",
            "questions.yaml",
            json::<QuestionBank>(),
        ),
        ("cases.schema.json", "cases.yaml", json::<CaseList>()),
        (
            "return.schema.json",
            "returns/**/*.yaml",
            json::<RawReturn>(),
        ),
        (
            "section.schema.json",
            "narrative/*.yaml",
            json::<SectionFile>(),
        ),
        (
            "neighbours.schema.json",
            "neighbours.yaml",
            json::<Neighbours>(),
        ),
        (
            "editions.schema.json",
            "editions.yaml",
            json::<EditionList>(),
        ),
        ("cover.schema.json", "cover.yaml", json::<CoverText>()),
        ("slides.schema.json", "slides.yaml", json::<SlidesText>()),
        (
            "briefing.schema.json",
            "briefing.yaml",
            json::<BriefingText>(),
        ),
        ("allow.schema.json", "allow.yaml", json::<AllowList>()),
        ("columns.schema.json", "columns.yaml", json::<ColumnMap>()),
    ]
}

/// Writes every schema into `folder`, and a `yaml.schemas` setting for editors beside them
/// (`settings.json`, to merge into `.vscode/settings.json`); returns the files written.
pub fn write(folder: &std::path::Path) -> Result<Vec<std::path::PathBuf>, crate::diag::Diagnostic> {
    std::fs::create_dir_all(folder)
        .map_err(|e| crate::diag::Diagnostic::io("create", folder, &e))?;
    let mut written = Vec::new();
    let mut mapping = serde_json::Map::new();
    for (name, files, text) in schemas() {
        let path = folder.join(name);
        crate::output::write_atomic(&path, text.as_bytes())?;
        mapping.insert(
            format!(
                "./{}/{name}",
                folder
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("schemas")
            ),
            serde_json::json!(files),
        );
        written.push(path);
    }
    let settings = serde_json::json!({ "yaml.schemas": mapping });
    let path = folder.join("settings.json");
    crate::output::write_atomic(
        &path,
        (serde_json::to_string_pretty(&settings).unwrap_or_default() + "\n").as_bytes(),
    )?;
    written.push(path);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::schemas;

    #[test]
    fn each_file_has_a_schema_that_knows_its_fields_and_refuses_others() {
        let all = schemas();
        assert_eq!(all.len(), 12);
        let questions: serde_json::Value = serde_json::from_str(
            &all.iter()
                .find(|s| s.0 == "questions.schema.json")
                .unwrap()
                .2,
        )
        .unwrap();
        let text = questions.to_string();
        // the kinds a question may be, as the build reads them
        for kind in ["single", "multiple", "checklist", "text"] {
            assert!(text.contains(&format!("\"{kind}\"")), "{kind}");
        }
        // a misspelt key is an error in the editor as in the build
        assert!(text.contains("\"additionalProperties\":false"));
        // the doc comments become the editor's hover text
        assert!(text.contains("The key returns and prose use for it"));
        let section = &all.iter().find(|s| s.0 == "section.schema.json").unwrap().2;
        for block in ["\"p\"", "\"list\"", "\"question\"", "\"editions\""] {
            assert!(section.contains(block), "{block}");
        }
        // an edition's kind, each named as editions.yaml writes it
        let editions = &all
            .iter()
            .find(|s| s.0 == "editions.schema.json")
            .unwrap()
            .2;
        for kind in ["\"report\"", "\"cover\"", "\"slides\"", "\"briefing\""] {
            assert!(editions.contains(kind), "{kind}");
        }
        let briefing = &all
            .iter()
            .find(|s| s.0 == "briefing.schema.json")
            .unwrap()
            .2;
        assert!(briefing.contains("what_good_looks_like") && briefing.contains("\"p\""));
    }
}
