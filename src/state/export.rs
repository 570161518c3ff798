//! The way out to real AWS: the template as a file `aws cloudformation deploy` takes (with the
//! LocalStack command beside it), the sends to buses as a `put-events` entries file, and a
//! pattern test as `aws events test-event-pattern` command lines.
//!
//! AWS CLI references: <https://docs.aws.amazon.com/cli/latest/reference/cloudformation/deploy/>,
//! <https://docs.aws.amazon.com/cli/latest/reference/events/put-events.html>,
//! <https://docs.aws.amazon.com/cli/latest/reference/events/test-event-pattern.html>.

use eventyard_template::{Send, Template};
use serde_json::{json, Value};

use crate::state::pattern_tester::Dialect;
use crate::state::playground::PlaygroundDocument;
use crate::state::sends::HandSend;

/// One export: a file (or command lines) with what to know before using it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportItem {
    pub title: &'static str,
    /// The download's file name; its type follows from the extension.
    pub file_name: String,
    pub text: String,
    pub notes: Vec<String>,
}

/// The playground's exports: the template, the commands that deploy it, and (when the template
/// loads) its sends to buses as a PutEvents entries file.
pub fn playground_exports(
    document: &PlaygroundDocument,
    template: Option<&Template>,
) -> Vec<ExportItem> {
    let exported = template_export(&document.template);
    let mut items = vec![
        ExportItem {
            title: "CloudFormation template",
            file_name: TEMPLATE_FILE.to_string(),
            text: exported.text,
            notes: exported.notes,
        },
        ExportItem {
            title: "Deploy commands",
            file_name: "eventyard-deploy.sh".to_string(),
            text: deploy_commands("eventyard-playground"),
            notes: vec![],
        },
    ];
    if let Some(template) = template {
        let entries = put_events_entries(template, &document.hand_sends);
        if !entries.is_empty() {
            let (text, command) = put_events_file(&entries);
            items.push(ExportItem {
                title: "PutEvents entries",
                file_name: ENTRIES_FILE.to_string(),
                text,
                notes: vec![format!("Send them with: {}", command.trim_end())],
            });
        }
    }
    items
}

/// The pattern tester's export: for EventBridge, the test as `aws events test-event-pattern`
/// lines; SNS has no such call, so for a filter policy, the command that sets it on a
/// subscription (with its scope), where it then filters for real.
pub fn pattern_test_export(dialect: Dialect, pattern: &str, events: &[String]) -> ExportItem {
    match dialect {
        Dialect::EventBridge => ExportItem {
            title: "test-event-pattern commands",
            file_name: "eventyard-test-event-pattern.sh".to_string(),
            text: test_event_pattern_commands(pattern, events),
            notes: vec![
                "TestEventPattern needs whole events (id, account, source, time, region, \
                 resources, detail-type), as the tester's are."
                    .to_string(),
            ],
        },
        Dialect::SnsAttributes | Dialect::SnsBody => {
            let scope = if dialect == Dialect::SnsBody {
                "MessageBody"
            } else {
                "MessageAttributes"
            };
            let policy = serde_json::from_str::<Value>(pattern)
                .map(|value| value.to_string())
                .unwrap_or_else(|_| pattern.to_string());
            let set = |name: &str, value: &str| {
                format!(
                    "aws sns set-subscription-attributes --subscription-arn \"$SUBSCRIPTION_ARN\" \
                     --attribute-name {name} --attribute-value {}\n",
                    shell_quote(value)
                )
            };
            ExportItem {
                title: "set-subscription-attributes commands",
                file_name: "eventyard-filter-policy.sh".to_string(),
                text: format!(
                    "# SUBSCRIPTION_ARN=arn:aws:sns:...\n{}{}",
                    set("FilterPolicyScope", scope),
                    set("FilterPolicy", &policy)
                ),
                notes: vec![
                    "SNS has no call that tests a filter policy: set it on a subscription and \
                     publish the messages."
                        .to_string(),
                ],
            }
        }
    }
}

/// The file names the exports download as (and the commands name).
pub const TEMPLATE_FILE: &str = "eventyard-template.yaml";
pub const ENTRIES_FILE: &str = "eventyard-put-events.json";

/// PutEvents takes at most 10 entries per call (EventBridge quotas).
pub const PUT_EVENTS_MAX_ENTRIES: usize = 10;

/// The top-level key that turns on SAM, as the export appends it.
const SAM_TRANSFORM: &str =
    "# Added by Eventyard's export: SAM resource types deploy only through this transform.\nTransform: AWS::Serverless-2016-10-31\n";

/// The template to deploy, and what the person should know before deploying it.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateExport {
    pub text: String,
    pub notes: Vec<String>,
}

/// The template as written (the playground's settings stay under `Metadata: Eventyard:`, which
/// CloudFormation keeps and ignores), with one addition where it is needed to deploy at all: a
/// template using `AWS::Serverless::*` types without a `Transform` gets the SAM transform, as
/// CloudFormation rejects those types without it (the simulator reads them either way).
pub fn template_export(text: &str) -> TemplateExport {
    let mut notes = Vec::new();
    let uses_sam = text.contains("AWS::Serverless::");
    let has_transform = text
        .lines()
        .any(|line| line.starts_with("Transform") || line.contains("\"Transform\""));
    let text = if uses_sam && !has_transform && !text.trim_start().starts_with('{') {
        notes.push(
            "Added `Transform: AWS::Serverless-2016-10-31`: the template uses SAM resource types, \
             which CloudFormation deploys only through the SAM transform."
                .to_string(),
        );
        // Appended, so every line keeps its number (the loader's positions, the person's memory).
        let separator = if text.ends_with('\n') { "" } else { "\n" };
        format!("{text}{separator}{SAM_TRANSFORM}")
    } else {
        text.to_string()
    };
    if text.contains("123456789012") {
        notes.push(
            "The template names the example account 123456789012 (in role ARNs): put your own \
             account's roles there before deploying."
                .to_string(),
        );
    }
    TemplateExport { text, notes }
}

/// `aws cloudformation deploy` for the exported file, then the same through LocalStack's
/// `awslocal` wrapper (it points the AWS CLI at LocalStack's endpoint).
pub fn deploy_commands(stack_name: &str) -> String {
    let args = format!(
        "cloudformation deploy --template-file {TEMPLATE_FILE} --stack-name {stack_name} \
         --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM CAPABILITY_AUTO_EXPAND"
    );
    format!("# AWS\naws {args}\n\n# LocalStack (https://docs.localstack.cloud/user-guide/integrations/aws-cli/)\nawslocal {args}\n")
}

/// Every distinct event the template's scripted sends and the sends by hand put on a bus, as
/// PutEvents entries (`Detail` is a string, as the API takes it); a scripted send with several
/// details gives one entry per detail, once, however often it repeats.
pub fn put_events_entries(template: &Template, hand_sends: &[HandSend]) -> Vec<Value> {
    let bus_name = |arn: &str| {
        template
            .event_buses
            .iter()
            .find(|bus| bus.arn == arn)
            .map_or_else(|| arn.to_string(), |bus| bus.name.clone())
    };
    let entry = |send: &Send| -> Vec<Value> {
        let Send::PutEvents {
            event_bus_arn,
            source,
            detail_type,
            details,
            resources,
        } = send
        else {
            return Vec::new();
        };
        details
            .iter()
            .map(|detail| {
                let mut entry = json!({
                    "Source": source,
                    "DetailType": detail_type,
                    "Detail": detail.to_string(),
                    "EventBusName": bus_name(event_bus_arn),
                });
                if !resources.is_empty() {
                    entry["Resources"] = json!(resources);
                }
                entry
            })
            .collect()
    };
    let mut entries: Vec<Value> = Vec::new();
    let scripted = template.playground.scripted.iter().map(|s| s.send.clone());
    let by_hand = hand_sends.iter().filter_map(|h| h.to_send(template).ok());
    for send in scripted.chain(by_hand) {
        for found in entry(&send) {
            if !entries.contains(&found) {
                entries.push(found);
            }
        }
    }
    entries
}

/// The entries file's text, and the command that sends it; more than PutEvents takes in one
/// call is said, not cut.
pub fn put_events_file(entries: &[Value]) -> (String, String) {
    let text = serde_json::to_string_pretty(entries).unwrap_or_else(|_| "[]".to_string());
    let mut command = format!("aws events put-events --entries file://{ENTRIES_FILE}\n");
    if entries.len() > PUT_EVENTS_MAX_ENTRIES {
        command.push_str(&format!(
            "# {} entries: PutEvents takes at most {PUT_EVENTS_MAX_ENTRIES} per call; split the file.\n",
            entries.len()
        ));
    }
    (text, command)
}

/// `text` as one shell word in single quotes (a `'` inside becomes `'\''`).
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// One `aws events test-event-pattern` line per event; JSON is compacted so each is one line.
/// An event or pattern that is not JSON is left out with a comment saying so.
pub fn test_event_pattern_commands(pattern: &str, events: &[String]) -> String {
    let compact = |text: &str| -> Result<String, String> {
        serde_json::from_str::<Value>(text)
            .map(|value| value.to_string())
            .map_err(|e| e.to_string())
    };
    let pattern = match compact(pattern) {
        Ok(pattern) => pattern,
        Err(e) => return format!("# The pattern is not JSON ({e}): fix it first.\n"),
    };
    let mut out = String::new();
    for (i, event) in events.iter().enumerate() {
        match compact(event) {
            Ok(event) => out.push_str(&format!(
                "# Event {}\naws events test-event-pattern --event-pattern {} --event {}\n",
                i + 1,
                shell_quote(&pattern),
                shell_quote(&event)
            )),
            Err(e) => out.push_str(&format!("# Event {}: not JSON ({e}), left out.\n", i + 1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::PRESETS;

    #[test]
    fn every_preset_exports_a_template_that_loads_back_to_the_same_model() {
        for preset in &PRESETS {
            let exported = template_export(preset.template);
            let before = eventyard_template::load(preset.template).expect(preset.id);
            let after = eventyard_template::load(&exported.text)
                .unwrap_or_else(|e| panic!("{}: {e:?}", preset.id));
            assert_eq!(after.event_buses, before.event_buses, "{}", preset.id);
            assert_eq!(after.rules, before.rules, "{}", preset.id);
            assert_eq!(after.queues, before.queues, "{}", preset.id);
            assert_eq!(after.topics, before.topics, "{}", preset.id);
            assert_eq!(
                after.playground.scripted, before.playground.scripted,
                "{}",
                preset.id
            );
        }
    }

    #[test]
    fn sam_types_get_the_transform_they_need_and_it_is_said() {
        let text = "Resources:\n  F:\n    Type: AWS::Serverless::Function\n";
        let exported = template_export(text);
        assert_eq!(exported.text, format!("{text}{SAM_TRANSFORM}"));
        assert_eq!(exported.notes.len(), 1);
        let with = format!("Transform: AWS::Serverless-2016-10-31\n{text}");
        assert!(eventyard_template::load(&exported.text).is_ok());
        assert_eq!(template_export(&with).text, with, "already there");
    }

    #[test]
    fn the_donut_shop_gives_one_entry_per_distinct_order_in_the_api_shape() {
        let preset = PRESETS.iter().find(|p| p.id == "donut-shop").unwrap();
        let template = eventyard_template::load(preset.template).unwrap();
        let entries = put_events_entries(&template, &[]);
        assert_eq!(entries.len(), 3, "{entries:#?}");
        assert_eq!(
            entries[0],
            json!({
                "Source": "shop.web",
                "DetailType": "OrderPlaced",
                "Detail": "{\"orderId\":\"o-1\",\"type\":\"donut\",\"flavour\":\"glazed\"}",
                "EventBusName": "donut-shop",
            })
        );
        // Every entry is what PutEvents takes: Detail a string holding a JSON object.
        for entry in &entries {
            let detail: Value = serde_json::from_str(entry["Detail"].as_str().unwrap()).unwrap();
            assert!(detail.is_object());
        }
        let (_, command) = put_events_file(&entries);
        assert_eq!(
            command,
            "aws events put-events --entries file://eventyard-put-events.json\n"
        );
    }

    #[test]
    fn test_event_pattern_lines_quote_what_the_shell_would_break() {
        let commands = test_event_pattern_commands(
            "{ \"source\": [\"it's\"] }",
            &["{\"source\": \"it's\"}".to_string(), "nope".to_string()],
        );
        assert_eq!(
            commands,
            "# Event 1\naws events test-event-pattern --event-pattern '{\"source\":[\"it'\\''s\"]}' \
             --event '{\"source\":\"it'\\''s\"}'\n# Event 2: not JSON (expected ident at line 1 column 2), left out.\n"
        );
    }
}
