//! One link of every format version ever written, and what it must open, forever: a link in an
//! old pull request or lesson must keep working. When the format changes, add the new version's
//! link here; never edit or remove one.

use eventyard_links::{decode, encode, LinkDocument, PlaygroundLink, TesterLink, TransformerLink};

fn tester_v1() -> LinkDocument {
    LinkDocument::PatternTester(TesterLink {
        dialect: "eventbridge".into(),
        pattern: "{\"source\": [\"shop.web\"], \"detail\": {\"type\": [\"donut\"]}}".into(),
        events: vec![
            "{\"source\": \"shop.web\", \"detail\": {\"type\": \"donut\"}}".into(),
            "{\"source\": \"shop.web\", \"detail\": {\"type\": \"pie\"}}".into(),
        ],
        transformer: None,
    })
}

/// Version 2: the pattern tester with an input transformer.
fn tester_v2() -> LinkDocument {
    LinkDocument::PatternTester(TesterLink {
        dialect: "eventbridge".into(),
        pattern: "{\"source\": [\"aws.ec2\"]}".into(),
        events: vec!["{\"source\": \"aws.ec2\", \"detail\": {\"state\": \"stopped\"}}".into()],
        transformer: Some(TransformerLink {
            paths: "{\"state\": \"$.detail.state\"}".into(),
            template: "{\"text\": \"now <state>\"}".into(),
        }),
    })
}

fn playground_v1() -> LinkDocument {
    LinkDocument::Playground(PlaygroundLink {
        template: "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n".into(),
        seed: Some(7),
        until_ms: Some(60_000),
        time_ms: Some(1_500),
        speed: Some(10),
        following: None,
        sends: vec![serde_json::json!({"at_ms": 500, "target": "Q", "body": "hello"})],
    })
}

/// A golden link's text, and the document it must open.
type Golden = (&'static str, fn() -> LinkDocument);

const GOLDEN: &[Golden] = &[
    (include_str!("golden/tester-v1.txt"), tester_v1),
    (include_str!("golden/playground-v1.txt"), playground_v1),
    (include_str!("golden/tester-v2.txt"), tester_v2),
];

#[test]
fn every_golden_link_still_opens() {
    for (link, expected) in GOLDEN {
        assert_eq!(decode(link.trim()), Ok(expected()), "{link}");
    }
}

/// Writes the golden files when asked (EVENTYARD_BLESS=1), only for a new format version.
#[test]
fn golden_links_are_what_this_version_writes() {
    if std::env::var_os("EVENTYARD_BLESS").is_some() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");
        std::fs::write(format!("{dir}/tester-v1.txt"), encode(&tester_v1())).unwrap();
        std::fs::write(format!("{dir}/playground-v1.txt"), encode(&playground_v1())).unwrap();
        std::fs::write(format!("{dir}/tester-v2.txt"), encode(&tester_v2())).unwrap();
    }
    for (link, expected) in GOLDEN {
        assert!(link.starts_with(&format!("{}.", expected().version())));
        assert_eq!(decode(&encode(&expected())), Ok(expected()));
    }
}
