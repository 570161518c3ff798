//! EventBridge event patterns and SNS subscription filter policies: parse, validate, match, explain.
