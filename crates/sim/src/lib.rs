//! A deterministic simulator of EventBridge, SNS, SQS and Lambda on a virtual clock.
