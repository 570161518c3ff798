//! Asynchronous invocation settings: `AWS::Lambda::EventInvokeConfig` and SAM's
//! `EventInvokeConfig` property (MaximumRetryAttempts, MaximumEventAgeInSeconds, on-success and
//! on-failure destinations; invocation-async-retain-records), read and attached to functions.

use crate::error::Errors;
use crate::lambda::{function_arn, Place};
use crate::limits;
use crate::model::{Function, InvokeConfig, Origin};
use crate::props::Props;

/// An `AWS::Lambda::EventInvokeConfig` as read, before it is attached to its function
/// (resources are read in logical-id order, so the function may come later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInvokeConfigDecl {
    /// `FunctionName`: a name, a full or partial ARN, as given.
    pub function: String,
    /// `Qualifier`: `$LATEST`, a version or an alias. Eventyard has no versions or aliases,
    /// so any qualifier configures the function itself.
    pub qualifier: String,
    /// The settings, with `origin` set.
    pub config: InvokeConfig,
}

/// `AWS::Lambda::EventInvokeConfig`
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventinvokeconfig.html).
pub fn event_invoke_config(
    origin: Origin,
    props: &Props<'_>,
    errors: &mut Errors,
) -> Option<EventInvokeConfigDecl> {
    let function = props.required_string("FunctionName", errors);
    let qualifier = props.required_string("Qualifier", errors);
    let config = invoke_settings(origin, props, false, errors);
    Some(EventInvokeConfigDecl {
        function: function?,
        qualifier: qualifier.unwrap_or_else(|| "$LATEST".into()),
        config,
    })
}

/// SAM's `EventInvokeConfig` property of `AWS::Serverless::Function`
/// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventinvokeconfiguration.html):
/// the same settings, and a SAM-only `Type` beside each `Destination`.
pub fn sam_event_invoke_config(
    function: &Function,
    props: &Props<'_>,
    errors: &mut Errors,
) -> Option<InvokeConfig> {
    let node = props.get("EventInvokeConfig")?;
    if node.as_map().is_none() {
        errors.push(
            props.logical_id,
            node.pos,
            "EventInvokeConfig must be an object",
        );
        return None;
    }
    let inner = Props {
        logical_id: props.logical_id,
        pos: node.pos,
        node: Some(node),
    };
    let origin = Origin {
        logical_id: function.origin.logical_id.clone(),
        pos: node.pos,
    };
    Some(invoke_settings(origin, &inner, true, errors))
}

/// An integer setting checked the way the Lambda API checks it, with its words
/// (PutFunctionEventInvokeConfig answers "1 validation error detected: Value '3' at
/// 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or
/// equal to 2").
fn api_integer(
    props: &Props<'_>,
    name: &str,
    member: &str,
    default: u64,
    min: u64,
    max: &limits::Limit,
    errors: &mut Errors,
) -> u64 {
    let Some(node) = props.get(name) else {
        return default;
    };
    let Some(value) = crate::props::integer_of(node) else {
        // CloudFormation's schema check names the JSON type: "found: String".
        let kind = node.kind_name();
        let kind = kind
            .strip_prefix("an ")
            .or_else(|| kind.strip_prefix("a "))
            .unwrap_or(kind);
        let mut chars = kind.chars();
        let kind: String = chars
            .next()
            .map(|first| first.to_ascii_uppercase())
            .into_iter()
            .chain(chars)
            .collect();
        errors.push(
            props.logical_id,
            node.pos,
            format!("#/{name}: expected type: Integer, found: {kind}"),
        );
        return default;
    };
    let constraint = if value < min {
        format!("greater than or equal to {min}")
    } else if value > max.value {
        format!("less than or equal to {}", max.value)
    } else {
        return value;
    };
    errors.push(
        props.logical_id,
        node.pos,
        format!("1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have value {constraint}"),
    );
    default
}

/// What a SAM destination `Type` says the ARN's service is.
fn sam_type_service(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "SQS" => "sqs",
        "SNS" => "sns",
        "Lambda" => "lambda",
        "EventBridge" => "events",
        "S3" => "s3",
        _ => return None,
    })
}

/// `DestinationConfig.OnSuccess` or `.OnFailure`: the destination ARN.
fn destination(
    props: &Props<'_>,
    config: &crate::node::Node,
    which: &str,
    sam: bool,
    errors: &mut Errors,
) -> Option<String> {
    let node = config.get(which)?;
    if node.as_map().is_none() {
        errors.push(
            props.logical_id,
            node.pos,
            format!("DestinationConfig.{which} must be an object"),
        );
        return None;
    }
    let inner = Props {
        logical_id: props.logical_id,
        pos: node.pos,
        node: Some(node),
    };
    let arn = inner
        .string("Destination", errors)
        .filter(|a| !a.is_empty());
    if !sam {
        if arn.is_none() && inner.get("Destination").is_none() {
            errors.push(
                props.logical_id,
                node.pos,
                format!("DestinationConfig.{which}: Property Destination cannot be empty."),
            );
        }
        return arn;
    }
    let kind = inner.string("Type", errors);
    let Some(kind) = kind else {
        errors.push(
            props.logical_id,
            node.pos,
            format!("EventInvokeConfig.DestinationConfig.{which}: Type is required (SQS, SNS, S3, Lambda or EventBridge)"),
        );
        return arn;
    };
    let Some(service) = sam_type_service(&kind) else {
        errors.push(
            props.logical_id,
            node.pos,
            format!("EventInvokeConfig.DestinationConfig.{which}: Type {kind} is not one of SQS, SNS, S3, Lambda or EventBridge"),
        );
        return arn;
    };
    match &arn {
        None if matches!(kind.as_str(), "SQS" | "SNS") => errors.push(
            props.logical_id,
            node.pos,
            format!("EventInvokeConfig.DestinationConfig.{which}: SAM would create a {kind} destination here; Eventyard needs it declared: give its ARN in Destination"),
        ),
        None => errors.push(
            props.logical_id,
            node.pos,
            format!("EventInvokeConfig.DestinationConfig.{which}: Destination is required when Type is {kind}"),
        ),
        Some(arn) if arn.split(':').nth(2) != Some(service) => errors.push(
            props.logical_id,
            node.pos,
            format!("EventInvokeConfig.DestinationConfig.{which}: Type is {kind} but Destination {arn} is not an {kind} ARN"),
        ),
        Some(_) => {}
    }
    arn
}

/// The settings shared by `AWS::Lambda::EventInvokeConfig` and SAM's property
/// (invocation-async-error-handling, invocation-async-retain-records).
fn invoke_settings(
    origin: Origin,
    props: &Props<'_>,
    sam: bool,
    errors: &mut Errors,
) -> InvokeConfig {
    let maximum_retry_attempts = api_integer(
        props,
        "MaximumRetryAttempts",
        "maximumRetryAttempts",
        limits::LAMBDA_ASYNC_RETRIES_DEFAULT.value,
        0,
        &limits::LAMBDA_ASYNC_RETRIES_MAX,
        errors,
    );
    let maximum_event_age_s = api_integer(
        props,
        "MaximumEventAgeInSeconds",
        "maximumEventAgeInSeconds",
        limits::LAMBDA_ASYNC_EVENT_AGE_DEFAULT.value,
        limits::LAMBDA_ASYNC_EVENT_AGE_MIN.value,
        &limits::LAMBDA_ASYNC_EVENT_AGE_MAX,
        errors,
    );
    let (mut on_success_arn, mut on_failure_arn) = (None, None);
    if let Some(config) = props.get("DestinationConfig") {
        if config.as_map().is_some() {
            on_success_arn = destination(props, config, "OnSuccess", sam, errors);
            on_failure_arn = destination(props, config, "OnFailure", sam, errors);
        } else {
            errors.push(
                props.logical_id,
                config.pos,
                "DestinationConfig must be an object",
            );
        }
    }
    InvokeConfig {
        maximum_retry_attempts,
        maximum_event_age_s,
        on_success_arn,
        on_failure_arn,
        origin: Some(origin),
    }
}

/// The function an `EventInvokeConfig`'s `FunctionName` names: a name (`my-function`,
/// `my-function:$LATEST`), a partial ARN (`123456789012:function:my-function`) or a full ARN,
/// each with or without a qualifier (API_PutFunctionEventInvokeConfig, FunctionName).
fn function_index(
    functions: &[Function],
    name_or_arn: &str,
    account_id: &str,
    region: &str,
) -> Option<usize> {
    let name = match name_or_arn.split_once(":function:") {
        Some((_, rest)) => rest,
        None => name_or_arn,
    };
    let name = name.split(':').next().unwrap_or_default();
    let arn = if name_or_arn.starts_with("arn:") {
        match name_or_arn.split_once(":function:") {
            Some((head, _)) => format!("{head}:function:{name}"),
            None => name_or_arn.to_string(),
        }
    } else {
        function_arn(name, account_id, region)
    };
    functions.iter().position(|f| f.arn == arn)
}

/// Attach the read configurations (SAM's already sit on their functions): each names a
/// function of this template, and a function has at most one (the Lambda API keeps one
/// configuration per function and qualifier; Eventyard has only the unqualified function).
pub fn attach_invoke_configs(
    functions: &mut [Function],
    decls: Vec<EventInvokeConfigDecl>,
    place: &Place<'_>,
    errors: &mut Errors,
) {
    for decl in decls {
        let Some(origin) = decl.config.origin.clone() else {
            continue;
        };
        let Some(index) = function_index(functions, &decl.function, place.account_id, place.region)
        else {
            errors.push(
                &origin.logical_id,
                origin.pos,
                format!(
                    "FunctionName {} is not a function of this template",
                    decl.function
                ),
            );
            continue;
        };
        let Some(function) = functions.get_mut(index) else {
            continue;
        };
        if let Some(earlier) = &function.invoke_config.origin {
            errors.push(
                &origin.logical_id,
                origin.pos,
                format!(
                    "ResourceConflictException: function {} already has an EventInvokeConfig for qualifier {} (declared by {}); a function has at most one",
                    function.name, decl.qualifier, earlier.logical_id
                ),
            );
            continue;
        }
        function.invoke_config = decl.config;
    }
}
