//! "Make a pattern from this event": the event's fields as a list to pick from, and the pattern
//! that matches the picked fields' values exactly.

use serde_json::{Map, Value};

/// One field of an event that a pattern can name: a dot-joined path and its value(s).
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub path: Vec<String>,
    /// The values a pattern would list: the scalar, or each scalar of an array.
    pub values: Vec<Value>,
}

impl Field {
    pub fn name(&self) -> String {
        self.path.join(".")
    }

    /// `"stopped"` or `1, 2`, to show beside the name.
    pub fn shown(&self) -> String {
        self.values
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The fields of an event (leaves and arrays of scalars), in the event's order; `None` when
/// the text is not a JSON object.
pub fn fields(event: &str) -> Option<Vec<Field>> {
    let value: Value = serde_json::from_str(event).ok()?;
    let Value::Object(map) = value else {
        return None;
    };
    let mut out = Vec::new();
    walk(&map, &mut Vec::new(), &mut out);
    Some(out)
}

fn walk(map: &Map<String, Value>, path: &mut Vec<String>, out: &mut Vec<Field>) {
    for (key, value) in map {
        path.push(key.clone());
        match value {
            Value::Object(inner) => walk(inner, path, out),
            Value::Array(items) => {
                let scalars: Vec<Value> = items
                    .iter()
                    .filter(|item| !item.is_object() && !item.is_array())
                    .cloned()
                    .collect();
                if !scalars.is_empty() {
                    out.push(Field {
                        path: path.clone(),
                        values: scalars,
                    });
                }
            }
            scalar => out.push(Field {
                path: path.clone(),
                values: vec![scalar.clone()],
            }),
        }
        path.pop();
    }
}

/// The fields of SNS message attributes: one per attribute, its value as a filter policy lists
/// it (a Number as `{"numeric": ["=", n]}`, each element of a String.Array); Binary attributes
/// are left out, since SNS does not filter on them.
pub fn attribute_fields(text: &str) -> Option<Vec<Field>> {
    let rows = crate::state::attributes::rows(text)?;
    Some(
        rows.into_iter()
            .filter_map(|row| {
                let values = match row.data_type.split('.').next().unwrap_or_default() {
                    "Number" => {
                        let number: Value = serde_json::from_str(row.value.trim()).ok()?;
                        vec![serde_json::json!({ "numeric": ["=", number] })]
                    }
                    "String" if row.data_type == "String.Array" => {
                        match serde_json::from_str::<Value>(&row.value).ok()? {
                            Value::Array(items) => items,
                            _ => return None,
                        }
                    }
                    "String" => vec![Value::String(row.value)],
                    _ => return None,
                };
                Some(Field {
                    path: vec![row.name],
                    values,
                })
            })
            .collect(),
    )
}

/// The pattern matching the picked fields' values, nested as the event is, pretty-printed.
pub fn pattern_from(fields: &[Field]) -> String {
    let mut root = Map::new();
    for field in fields {
        insert(&mut root, &field.path, Value::Array(field.values.clone()));
    }
    serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_default()
}

fn insert(node: &mut Map<String, Value>, path: &[String], value: Value) {
    match path {
        [] => {}
        [last] => {
            node.insert(last.clone(), value);
        }
        [parent, rest @ ..] => {
            let entry = node
                .entry(parent.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                insert(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::pattern_tester::{evaluate, Dialect, TesterDocument, Verdict};
    use crate::state::samples::SAMPLES;

    #[test]
    fn picked_fields_make_a_pattern_that_matches_the_event() {
        let event = SAMPLES[1].event;
        let all = fields(event).unwrap();
        let picked: Vec<Field> = all
            .into_iter()
            .filter(|f| ["source", "resources", "detail.object.size"].contains(&f.name().as_str()))
            .collect();
        assert_eq!(picked.len(), 3);
        let pattern = pattern_from(&picked);
        assert!(pattern.contains("\"size\": [\n"), "{pattern}");
        let document = TesterDocument {
            pattern,
            events: vec![event.to_string()],
            ..TesterDocument::example(Dialect::EventBridge)
        };
        assert!(matches!(
            evaluate(&document).events[0],
            Verdict::Judged { matched: true, .. }
        ));
    }

    #[test]
    fn picked_attributes_make_a_filter_policy_that_matches_them() {
        let attributes = r#"{
            "store": {"DataType": "String", "StringValue": "donut-shop"},
            "quantity": {"DataType": "Number", "StringValue": "24"},
            "tags": {"DataType": "String.Array", "StringValue": "[\"fresh\", \"warm\"]"},
            "blob": {"DataType": "Binary", "BinaryValue": "AAE="}
        }"#;
        let fields = attribute_fields(attributes).unwrap();
        assert_eq!(fields.len(), 3);
        let document = TesterDocument {
            dialect: Dialect::SnsAttributes,
            pattern: pattern_from(&fields),
            events: vec![attributes.to_string()],
            ..TesterDocument::example(Dialect::SnsAttributes)
        };
        assert!(
            matches!(
                evaluate(&document).events[0],
                Verdict::Judged { matched: true, .. }
            ),
            "{}",
            document.pattern
        );
    }

    #[test]
    fn not_an_object_has_no_fields() {
        assert_eq!(fields("[1]"), None);
        assert_eq!(fields("nope"), None);
        assert_eq!(pattern_from(&[]), "{}");
    }
}
