//! CloudFormation-style templates (YAML or JSON) loaded into a validated model of AWS resources.
