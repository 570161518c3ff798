//! Reading one resource's (already resolved) properties: typed getters that apply AWS defaults,
//! check ranges from `limits`, and record every problem with the logical id and position.

use crate::error::Errors;
use crate::limits::Limit;
use crate::node::{Node, Pos, Value};

pub struct Props<'a> {
    pub logical_id: &'a str,
    /// Position of the resource (for missing required properties).
    pub pos: Pos,
    pub node: Option<&'a Node>,
}

impl<'a> Props<'a> {
    pub fn get(&self, name: &str) -> Option<&'a Node> {
        self.node?.get(name)
    }

    fn pos_of(&self, name: &str) -> Pos {
        self.get(name).map_or(self.pos, |n| n.pos)
    }

    pub fn string(&self, name: &str, errors: &mut Errors) -> Option<String> {
        let node = self.get(name)?;
        match &node.value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            _ => {
                errors.push(
                    self.logical_id,
                    node.pos,
                    format!("{name} must be a string, not {}", node.kind_name()),
                );
                None
            }
        }
    }

    pub fn required_string(&self, name: &str, errors: &mut Errors) -> Option<String> {
        let value = self.string(name, errors);
        if value.is_none() && self.get(name).is_none() {
            errors.push(
                self.logical_id,
                self.pos,
                format!("Property {name} cannot be empty."),
            );
        }
        value
    }

    pub fn bool(&self, name: &str, errors: &mut Errors) -> bool {
        let Some(node) = self.get(name) else {
            return false;
        };
        match &node.value {
            Value::Bool(b) => *b,
            Value::String(s) if s.eq_ignore_ascii_case("true") => true,
            Value::String(s) if s.eq_ignore_ascii_case("false") => false,
            Value::Null => false,
            _ => {
                errors.push(
                    self.logical_id,
                    node.pos,
                    format!("{name} must be a boolean, not {}", node.kind_name()),
                );
                false
            }
        }
    }

    /// An integer property (numbers or numeric strings, as CloudFormation accepts) within
    /// `min..=max`; `default` when absent.
    pub fn integer(
        &self,
        name: &str,
        default: u64,
        min: u64,
        max: &Limit,
        errors: &mut Errors,
    ) -> u64 {
        let Some(node) = self.get(name) else {
            return default;
        };
        match integer_of(node) {
            Some(value) if value >= min && value <= max.value => value,
            _ => {
                errors.push(
                    self.logical_id,
                    self.pos_of(name),
                    format!(
                        "Invalid value for {name}: {} (must be an integer from {min} to {} {}; AWS limit since {})",
                        crate::resolve::scalar_text(node).unwrap_or_else(|| node.kind_name().to_string()),
                        max.value,
                        max.unit,
                        max.since
                    ),
                );
                default
            }
        }
    }
}

/// An unsigned integer from a number or a numeric string, by one rule for both: the exact
/// value written must be a whole number (`30`, `"30"`, `30.0`, `1e2`), so `1e-5` and
/// `11941e-579` (which a double would round to 0) are refused alike.
pub fn integer_of(node: &Node) -> Option<u64> {
    match &node.value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9.0e15)
                .map(|f| f as u64)
        }),
        Value::String(s) => {
            let text = s.trim();
            if let Ok(value) = text.parse::<u64>() {
                return Some(value);
            }
            let decimal = eventyard_pattern::number::Decimal::parse(text)?;
            let value = decimal.to_f64();
            (decimal.is_integer() && decimal.is_comparable() && (0.0..9.0e15).contains(&value))
                .then_some(value as u64)
        }
        _ => None,
    }
}
