//! `AWS::Events::EventBus`, `AWS::Events::Rule` (with its targets) and `AWS::Events::Archive`
//! (CloudFormation pages of the same names; eb-rule-retry-policy, eb-rule-dlq,
//! eb-transform-target-input, eb-scheduled-rule-pattern).

use crate::error::Errors;
use crate::limits;
use crate::model::{
    Archive, EventBus, InputTransformer, Origin, RetryPolicy, Rule, RuleState, Schedule, Target,
    TargetInput,
};
use crate::node::{Node, Value};
use crate::props::{integer_of, Props};
use crate::resolve::Identity;

pub fn event_bus(origin: Origin, identity: Identity) -> EventBus {
    EventBus {
        origin,
        name: identity.name,
        arn: identity.arn,
    }
}

/// Bus ARN from an `EventBusName` (name or ARN); the default bus when absent.
pub fn bus_arn(name_or_arn: Option<&str>, account_id: &str, region: &str) -> String {
    match name_or_arn {
        Some(arn) if arn.starts_with("arn:") => arn.to_string(),
        Some(name) => format!("arn:aws:events:{region}:{account_id}:event-bus/{name}"),
        None => format!("arn:aws:events:{region}:{account_id}:event-bus/default"),
    }
}

/// An EventPattern given as an object or as a JSON string, as JSON text.
/// The pattern is validated as PutRule would (eventyard-pattern); the error is placed at its
/// token in the template when the pattern is a string whose layout is known, else at the node.
pub fn pattern_text(node: &Node, logical_id: &str, errors: &mut Errors) -> Option<String> {
    let text = match &node.value {
        Value::String(text) => Some(text.clone()),
        Value::Map(_) => Some(node.to_json().to_string()),
        _ => {
            errors.push(
                logical_id,
                node.pos,
                "Event pattern is not valid. Reason: Filter is not an object",
            );
            None
        }
    }?;
    if let Err(error) = eventyard_pattern::EventPattern::parse(&text) {
        if node.as_map().is_some() {
            // A pattern written as YAML: the error goes to the YAML node its JSON path names,
            // not to the `EventPattern:` key (the generated JSON text has no place of its own).
            let at = node_at_json_path(node, error.json_path());
            errors.push(logical_id, at.pos, error.to_string());
            return None;
        }
        errors.push_in_text(
            logical_id,
            node,
            error.line(),
            error.column(),
            error.to_string(),
        );
        return None;
    }
    Some(text)
}

/// The deepest node of `root` that a pattern error's JSON path (`$.detail["a b"][0]`) reaches.
pub(crate) fn node_at_json_path<'a>(root: &'a Node, path: &str) -> &'a Node {
    let mut node = root;
    let mut rest = path.strip_prefix('$').unwrap_or_default();
    while !rest.is_empty() {
        let (next, remaining) = if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            (
                after.get(..end).and_then(|key| node.get(key)),
                &after[end..],
            )
        } else if let Some(after) = rest.strip_prefix('[') {
            // A quoted key is a JSON string; an index is digits. Both end at the first `]`
            // after the string's closing quote.
            let end = if let Some(quoted) = after.strip_prefix('"') {
                let mut escaped = false;
                let close = quoted.char_indices().find(|(_, c)| {
                    let found = *c == '"' && !escaped;
                    escaped = *c == '\\' && !escaped;
                    found
                });
                close.map(|(i, _)| i + 2)
            } else {
                after.find(']')
            };
            let Some(end) = end else { break };
            let inside = &after[..end];
            let next = if inside.starts_with('"') {
                serde_json::from_str::<String>(inside)
                    .ok()
                    .and_then(|key| node.get(&key))
            } else {
                inside
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| node.as_seq()?.get(i))
            };
            (next, after.get(end + 1..).unwrap_or_default())
        } else {
            break;
        };
        match next {
            Some(found) => node = found,
            None => break,
        }
        rest = remaining;
    }
    node
}

/// `rate(5 minutes)` or `cron(0 12 * * ? *)`.
pub fn schedule(text: &str) -> Option<Schedule> {
    let text = text.trim();
    if let Some(inner) = text.strip_prefix("rate(").and_then(|t| t.strip_suffix(')')) {
        let (value, unit) = inner.trim().split_once(' ')?;
        let value: u64 = value.parse().ok()?;
        // AWS wants the singular for 1 and the plural otherwise.
        let unit_ms = match (value, unit.trim()) {
            (1, "minute") | (2.., "minutes") => 60_000,
            (1, "hour") | (2.., "hours") => 3_600_000,
            (1, "day") | (2.., "days") => 86_400_000,
            _ => return None,
        };
        return Some(Schedule::Rate {
            period_ms: value.checked_mul(unit_ms)?,
        });
    }
    if let Some(inner) = text.strip_prefix("cron(").and_then(|t| t.strip_suffix(')')) {
        let fields: Vec<String> = inner.split_whitespace().map(str::to_string).collect();
        if fields.len() == 6 {
            return Some(Schedule::Cron { fields });
        }
    }
    None
}

pub struct RuleContext<'a> {
    pub account_id: &'a str,
    pub region: &'a str,
}

pub fn rule(
    origin: Origin,
    identity: Identity,
    props: &Props<'_>,
    context: &RuleContext<'_>,
    errors: &mut Errors,
) -> Rule {
    let id = props.logical_id;
    let event_bus_arn = bus_arn(
        props.string("EventBusName", errors).as_deref(),
        context.account_id,
        context.region,
    );
    let event_pattern = props
        .get("EventPattern")
        .and_then(|node| pattern_text(node, id, errors));
    let schedule_text = props.string("ScheduleExpression", errors);
    let schedule = schedule_text.as_deref().and_then(|text| {
        let parsed = schedule(text);
        if parsed.is_none() {
            errors.push(
                id,
                props
                    .get("ScheduleExpression")
                    .map_or(origin.pos, |n| n.pos),
                "Parameter ScheduleExpression is not valid.",
            );
        }
        parsed
    });
    if props.get("EventPattern").is_none() && schedule_text.is_none() {
        errors.push(
            id,
            origin.pos,
            "Parameter(s) EventPattern or ScheduleExpression must be specified.",
        );
    }
    let state = match props.string("State", errors).as_deref() {
        None | Some("ENABLED") | Some("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS") => {
            RuleState::Enabled
        }
        Some("DISABLED") => RuleState::Disabled,
        Some(other) => {
            errors.push(
                id,
                props.get("State").map_or(origin.pos, |n| n.pos),
                format!("Invalid State {other}: must be ENABLED or DISABLED"),
            );
            RuleState::Enabled
        }
    };
    let mut targets = Vec::new();
    if let Some(node) = props.get("Targets") {
        match node.as_seq() {
            Some(items) => {
                if items.len() as u64 > limits::EB_TARGETS_PER_RULE_MAX.value {
                    errors.push(
                        id,
                        node.pos,
                        format!(
                            "The requested resource exceeds the maximum number allowed: at most {} targets per rule (AWS limit since {})",
                            limits::EB_TARGETS_PER_RULE_MAX.value,
                            limits::EB_TARGETS_PER_RULE_MAX.since
                        ),
                    );
                }
                for item in items {
                    if let Some(target) = target(id, item, errors) {
                        if targets.iter().any(|t: &Target| t.id == target.id) {
                            errors.push(
                                id,
                                item.pos,
                                format!("Target Id {} is used twice in this rule", target.id),
                            );
                        }
                        targets.push(target);
                    }
                }
            }
            None => errors.push(id, node.pos, "Targets must be a list"),
        }
    }
    Rule {
        origin,
        name: identity.name,
        arn: identity.arn,
        event_bus_arn,
        event_pattern,
        schedule,
        state,
        targets,
    }
}

fn target(logical_id: &str, node: &Node, errors: &mut Errors) -> Option<Target> {
    if node.as_map().is_none() {
        errors.push(logical_id, node.pos, "Each target must be an object");
        return None;
    }
    let props = Props {
        logical_id,
        pos: node.pos,
        node: Some(node),
    };
    let id = props.required_string("Id", errors)?;
    let arn = props.required_string("Arn", errors)?;
    let given: Vec<&str> = ["Input", "InputPath", "InputTransformer"]
        .into_iter()
        .filter(|name| props.get(name).is_some())
        .collect();
    if given.len() > 1 {
        errors.push(
            logical_id,
            node.pos,
            format!(
                "Target {id}: Only one of Input, InputPath, or InputTransformer must be provided."
            ),
        );
    }
    let input = if let Some(text) = props.string("Input", errors) {
        if serde_json::from_str::<serde_json::Value>(&text).is_err() {
            errors.push(
                logical_id,
                props.get("Input").map_or(node.pos, |n| n.pos),
                format!("Target {id}: Input is not valid JSON"),
            );
        }
        TargetInput::Constant(text)
    } else if let Some(path) = props.string("InputPath", errors) {
        TargetInput::Path(path)
    } else if let Some(transformer_node) = props.get("InputTransformer") {
        match input_transformer(logical_id, transformer_node, "InputTemplate", errors) {
            Some(transformer) => TargetInput::Transformer(transformer),
            None => TargetInput::MatchedEvent,
        }
    } else {
        TargetInput::MatchedEvent
    };
    let mut retry_policy = RetryPolicy {
        maximum_event_age_s: limits::EB_EVENT_AGE_DEFAULT.value,
        maximum_retry_attempts: limits::EB_RETRY_ATTEMPTS_DEFAULT.value,
    };
    if let Some(policy) = props.get("RetryPolicy") {
        let policy = Props {
            logical_id,
            pos: policy.pos,
            node: Some(policy),
        };
        retry_policy.maximum_event_age_s = policy.integer(
            "MaximumEventAgeInSeconds",
            limits::EB_EVENT_AGE_DEFAULT.value,
            limits::EB_EVENT_AGE_MIN.value,
            &limits::EB_EVENT_AGE_MAX,
            errors,
        );
        retry_policy.maximum_retry_attempts = policy.integer(
            "MaximumRetryAttempts",
            limits::EB_RETRY_ATTEMPTS_DEFAULT.value,
            0,
            &limits::EB_RETRY_ATTEMPTS_MAX,
            errors,
        );
    }
    let dead_letter_arn = props.get("DeadLetterConfig").and_then(|config| {
        Props {
            logical_id,
            pos: config.pos,
            node: Some(config),
        }
        .string("Arn", errors)
    });
    let message_group_id = props.get("SqsParameters").and_then(|params| {
        Props {
            logical_id,
            pos: params.pos,
            node: Some(params),
        }
        .string("MessageGroupId", errors)
    });
    Some(Target {
        id,
        pos: node.pos,
        arn,
        input,
        retry_policy,
        dead_letter_arn,
        message_group_id,
    })
}

/// `{InputPathsMap, InputTemplate}` (the template key is named by the caller so declared
/// function actions can reuse the shape).
pub fn input_transformer(
    logical_id: &str,
    node: &Node,
    template_key: &str,
    errors: &mut Errors,
) -> Option<InputTransformer> {
    let props = Props {
        logical_id,
        pos: node.pos,
        node: Some(node),
    };
    let mut input_paths_map = Vec::new();
    if let Some(map_node) = props.get("InputPathsMap") {
        match map_node.as_map() {
            Some(entries) => {
                if entries.len() as u64 > limits::EB_INPUT_PATHS_MAX.value {
                    errors.push(
                        logical_id,
                        map_node.pos,
                        format!(
                            "InputPathsMap has more than {} variables",
                            limits::EB_INPUT_PATHS_MAX.value
                        ),
                    );
                }
                for (key, value) in entries {
                    match value.as_str() {
                        Some(path) if path.starts_with('$') => {
                            input_paths_map.push((key.name.clone(), path.to_string()));
                        }
                        _ => errors.push(
                            logical_id,
                            value.pos,
                            format!(
                                "InputPathsMap {}: the path must be a JSONPath starting with $",
                                key.name
                            ),
                        ),
                    }
                }
            }
            None => errors.push(logical_id, map_node.pos, "InputPathsMap must be an object"),
        }
    }
    let template = match props.get(template_key) {
        Some(node) => match &node.value {
            Value::String(s) => s.clone(),
            // Declared functions may write their template as YAML structure.
            Value::Map(_) | Value::Seq(_) => node.to_json().to_string(),
            _ => {
                errors.push(
                    logical_id,
                    node.pos,
                    format!("{template_key} must be a string"),
                );
                return None;
            }
        },
        None => {
            errors.push(
                logical_id,
                node.pos,
                format!("Property {template_key} cannot be empty."),
            );
            return None;
        }
    };
    Some(InputTransformer {
        input_paths_map,
        input_template: template,
    })
}

pub fn archive(
    origin: Origin,
    identity: Identity,
    props: &Props<'_>,
    errors: &mut Errors,
) -> Option<Archive> {
    let id = props.logical_id;
    let source_arn = props.required_string("SourceArn", errors)?;
    let event_pattern = props
        .get("EventPattern")
        .and_then(|node| pattern_text(node, id, errors));
    let retention_days = props.get("RetentionDays").and_then(integer_of);
    Some(Archive {
        origin,
        name: identity.name,
        arn: identity.arn,
        source_arn,
        event_pattern,
        retention_days: retention_days.filter(|days| *days > 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_expressions_follow_aws_grammar() {
        assert_eq!(
            schedule("rate(5 minutes)"),
            Some(Schedule::Rate { period_ms: 300_000 })
        );
        assert_eq!(
            schedule("rate(1 hour)"),
            Some(Schedule::Rate {
                period_ms: 3_600_000
            })
        );
        assert_eq!(schedule("rate(1 minutes)"), None);
        assert_eq!(schedule("rate(0 minutes)"), None);
        assert!(matches!(
            schedule("cron(0 12 * * ? *)"),
            Some(Schedule::Cron { .. })
        ));
        assert_eq!(schedule("cron(0 12 * *)"), None);
    }
}
