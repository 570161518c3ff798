//! SNS message attributes as a typed table (name, data type, value) and back to the JSON the
//! pattern tester judges: `{"name": {"DataType": "String", "StringValue": "..."}}`, with
//! `BinaryValue` for Binary (base64). String.Array values are written as the JSON array text
//! SNS expects in `StringValue`.

use serde_json::{Map, Value};

pub const DATA_TYPES: [&str; 4] = ["String", "Number", "String.Array", "Binary"];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    pub data_type: String,
    pub value: String,
}

/// The rows of an attributes text; `None` when it is not an object of attributes.
pub fn rows(text: &str) -> Option<Vec<Row>> {
    if text.trim().is_empty() {
        return Some(Vec::new());
    }
    let Value::Object(map) = serde_json::from_str::<Value>(text).ok()? else {
        return None;
    };
    map.into_iter()
        .map(|(name, attribute)| {
            let data_type = attribute.get("DataType")?.as_str()?.to_string();
            let field = if data_type.starts_with("Binary") {
                "BinaryValue"
            } else {
                "StringValue"
            };
            let value = match attribute.get(field) {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => String::new(),
            };
            Some(Row {
                name,
                data_type,
                value,
            })
        })
        .collect()
}

/// The attributes text for rows (rows with no name are kept under an empty name so nothing
/// typed is lost).
pub fn text(rows: &[Row]) -> String {
    let mut map = Map::new();
    for row in rows {
        let field = if row.data_type.starts_with("Binary") {
            "BinaryValue"
        } else {
            "StringValue"
        };
        let mut attribute = Map::new();
        attribute.insert("DataType".into(), Value::String(row.data_type.clone()));
        attribute.insert(field.into(), Value::String(row.value.clone()));
        map.insert(row.name.clone(), Value::Object(attribute));
    }
    serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default()
}

/// What is wrong with a row's value for its type, if anything (SNS checks these on Publish).
pub fn row_problem(row: &Row) -> Option<String> {
    match row.data_type.split('.').next().unwrap_or_default() {
        _ if row.name.trim().is_empty() => Some("Give the attribute a name".into()),
        "Number" if row.value.trim().parse::<f64>().is_err() => {
            Some(format!("“{}” is not a number", row.value))
        }
        "String" if row.data_type == "String.Array" => {
            match serde_json::from_str::<Value>(&row.value) {
                Ok(Value::Array(_)) => None,
                _ => Some("A String.Array value is a JSON array, e.g. [\"a\", 1]".into()),
            }
        }
        "Binary"
            if !row
                .value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)) =>
        {
            Some("A Binary value is written in base64".into())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_through_text() {
        let rows_in = vec![
            Row {
                name: "store".into(),
                data_type: "String".into(),
                value: "donut-shop".into(),
            },
            Row {
                name: "quantity".into(),
                data_type: "Number".into(),
                value: "24".into(),
            },
            Row {
                name: "tags".into(),
                data_type: "String.Array".into(),
                value: "[\"a\", 1]".into(),
            },
            Row {
                name: "blob".into(),
                data_type: "Binary".into(),
                value: "AAEC".into(),
            },
        ];
        let written = text(&rows_in);
        assert!(written.contains("\"BinaryValue\": \"AAEC\""));
        assert_eq!(rows(&written), Some(rows_in.clone()));
        assert!(rows_in.iter().all(|row| row_problem(row).is_none()));
    }

    #[test]
    fn wrong_values_are_named() {
        let row = |t: &str, v: &str| Row {
            name: "n".into(),
            data_type: t.into(),
            value: v.into(),
        };
        assert!(row_problem(&row("Number", "twelve")).is_some());
        assert!(row_problem(&row("String.Array", "a, b")).is_some());
        assert!(row_problem(&row("Binary", "not base64!")).is_some());
        assert!(rows("[1]").is_none());
        assert_eq!(rows(""), Some(vec![]));
    }
}
