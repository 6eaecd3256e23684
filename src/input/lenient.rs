//! A file that failed to read only for keys its type does not have, read again without them,
//! so that what depends on it can still be checked: a misspelt key in questions.yaml hid every
//! problem of every return. The error for the key stands, so nothing is built from this
//! reading; it only lets the rest of the audit's problems be listed in the same run.
//!
//! The keys a type has come from its JSON Schema (the same one `schema` writes for editors),
//! so the list cannot drift from the types.

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

/// `text` read as `T` with every key `T`'s schema does not have left out; `None` if it still
/// does not read (a wrong value, broken YAML).
pub fn without_unknown_keys<T: DeserializeOwned + JsonSchema>(text: &str) -> Option<T> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
    let mut value = serde_json::to_value(yaml).ok()?;
    let schema = serde_json::to_value(schemars::schema_for!(T)).ok()?;
    strip(&mut value, &schema, &schema, 0);
    serde_json::from_value(value).ok()
}

/// The schema `schema` stands for: a `$ref` followed into the root's definitions, and of
/// `anyOf`/`oneOf` (an `Option`) the first that describes an object, a list or a map.
fn resolved<'a>(schema: &'a Json, root: &'a Json) -> &'a Json {
    if let Some(reference) = schema.get("$ref").and_then(Json::as_str) {
        let path = reference.trim_start_matches('#');
        if let Some(target) = root.pointer(path) {
            return resolved(target, root);
        }
    }
    for alternatives in ["anyOf", "oneOf", "allOf"] {
        if let Some(list) = schema.get(alternatives).and_then(Json::as_array)
            && let Some(first) = list
                .iter()
                .map(|s| resolved(s, root))
                .find(|s| s.get("properties").is_some() || s.get("items").is_some())
        {
            return first;
        }
    }
    schema
}

/// Leaves out of `value` every key its schema does not have, at every depth (at most 32).
fn strip(value: &mut Json, schema: &Json, root: &Json, depth: usize) {
    if depth > 32 {
        return;
    }
    let schema = resolved(schema, root);
    match value {
        Json::Object(map) => {
            if let Some(properties) = schema.get("properties").and_then(Json::as_object) {
                map.retain(|key, _| properties.contains_key(key));
                for (key, inner) in map.iter_mut() {
                    if let Some(of) = properties.get(key) {
                        strip(inner, of, root, depth + 1);
                    }
                }
            } else if let Some(of) = schema.get("additionalProperties").filter(|s| s.is_object()) {
                for inner in map.values_mut() {
                    strip(inner, of, root, depth + 1);
                }
            }
        }
        Json::Array(items) => {
            if let Some(of) = schema.get("items") {
                for inner in items {
                    strip(inner, of, root, depth + 1);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::model::QuestionBank;

    #[test]
    fn a_misspelt_key_is_left_out_and_the_rest_read() {
        let text = "title: t\nquestions:\n  - id: q1\n    number: '1'\n    text: Asked?\n    kind: single\n    optoins: [x]\n    options: [{id: 'yes', text: 'Yes', colour: red}]\n    chart: {title: T, colour: blue}\n";
        assert!(serde_yaml::from_str::<QuestionBank>(text).is_err());
        let bank: QuestionBank = without_unknown_keys(text).unwrap();
        assert_eq!(bank.questions[0].options[0].id, "yes");
        assert_eq!(bank.questions[0].chart.as_ref().unwrap().title, "T");
        // a wrong value is no unknown key: still not read
        assert!(without_unknown_keys::<QuestionBank>("title: t\nquestions: 3\n").is_none());
    }
}
