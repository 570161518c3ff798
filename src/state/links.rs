//! The page's documents as share links and back (the format is `eventyard-links`, shared with
//! the CLI's `eventyard link`), and what opening a link does to work already here.

use eventyard_links::{
    LinkDocument, PlaygroundLink, TesterLink, TransformerLink, CHAT_SAFE_LENGTH,
};

use crate::state::pattern_tester::{Dialect, TesterDocument, TransformerText, EVENTS_MAX};
use crate::state::playground::PlaygroundDocument;
use crate::state::sends::HandSend;
use crate::state::topology::clip;

/// Characters of a link named in a message (enough to tell links apart, not to paste it all).
const LINK_NAMED: usize = 33;

/// How the playground was being watched when the link was made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Watching {
    pub time_ms: u64,
    pub speed: u64,
    pub following: Option<String>,
}

pub fn playground_link(document: &PlaygroundDocument, watching: &Watching) -> LinkDocument {
    LinkDocument::Playground(PlaygroundLink {
        template: document.template.clone(),
        seed: document.seed,
        until_ms: Some(document.until_ms),
        time_ms: Some(watching.time_ms),
        speed: Some(watching.speed),
        following: watching.following.clone(),
        sends: document
            .hand_sends
            .iter()
            .filter_map(|send| serde_json::to_value(send).ok())
            .collect(),
    })
}

/// The document and the watching state a playground link opens; sends that are not the page's
/// shape are a problem, never a panic.
pub fn playground_from(link: &PlaygroundLink) -> Result<(PlaygroundDocument, Watching), String> {
    let defaults = PlaygroundDocument::default();
    let hand_sends = link
        .sends
        .iter()
        .map(|send| serde_json::from_value::<HandSend>(send.clone()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| format!("a message sent by hand in it cannot be read ({error})"))?;
    let document = PlaygroundDocument {
        template: link.template.clone(),
        seed: link.seed,
        until_ms: link.until_ms.unwrap_or(defaults.until_ms),
        hand_sends,
    };
    let watching = Watching {
        time_ms: link.time_ms.unwrap_or(0),
        speed: link.speed.unwrap_or(10),
        following: link.following.clone(),
    };
    Ok((document, watching))
}

pub fn tester_link(document: &TesterDocument) -> LinkDocument {
    LinkDocument::PatternTester(TesterLink {
        dialect: document.dialect.id().to_string(),
        pattern: document.pattern.clone(),
        events: document.events.clone(),
        // Only a transformer someone wrote goes in (and makes the link format 2).
        transformer: (!document.transformer.is_empty()).then(|| TransformerLink {
            paths: document.transformer.paths.clone(),
            template: document.transformer.template.clone(),
        }),
    })
}

pub fn tester_from(link: &TesterLink) -> Result<TesterDocument, String> {
    let dialect = Dialect::from_id(&link.dialect)
        .ok_or_else(|| format!("its dialect “{}” is not one this page knows", link.dialect))?;
    let mut events: Vec<String> = link.events.iter().take(EVENTS_MAX).cloned().collect();
    if events.is_empty() {
        events.push(String::new());
    }
    Ok(TesterDocument {
        dialect,
        pattern: link.pattern.clone(),
        events,
        transformer: link
            .transformer
            .as_ref()
            .map(|t| TransformerText {
                paths: t.paths.clone(),
                template: t.template.clone(),
            })
            .unwrap_or_default(),
    })
}

/// What a link brought, when it was not applied at once.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkArrival<D> {
    /// Work is here: ask before replacing it.
    Ask(Box<D>),
    /// The link cannot be opened: what is wrong, naming the link.
    Problem(String),
}

/// Decodes a link's payload and turns its document into the view's, or says what is wrong
/// (naming the link by its start).
pub fn open_link<D>(
    payload: &str,
    read: impl FnOnce(LinkDocument) -> Result<D, String>,
) -> Result<D, String> {
    let named = |why: String| {
        format!(
            "The link “{}” cannot be opened: {why}. Your work here is unchanged.",
            clip(payload, LINK_NAMED)
        )
    };
    let document = eventyard_links::decode(payload).map_err(|error| named(error.to_string()))?;
    read(document).map_err(named)
}

/// What the page says under the share link about its length.
pub fn length_note(url: &str) -> String {
    let length = url.chars().count();
    if length > CHAT_SAFE_LENGTH {
        format!(
            "{length} characters: longer than {CHAT_SAFE_LENGTH}, where some chat tools and mail \
             clients cut links; paste it where long links survive (a pull request, a document)"
        )
    } else {
        format!("{length} characters")
    }
}

/// The query parameter (before the fragment) that opens a view in embed mode.
pub const EMBED_PARAM: &str = "embed=1";

/// Whether a page's query (`location.search`, `?` included or not) asks for embed mode.
pub fn is_embed_query(search: &str) -> bool {
    search
        .trim_start_matches('?')
        .split('&')
        .any(|pair| pair == EMBED_PARAM)
}

/// `url` with embed mode on: `?embed=1` (or `&embed=1`) before the fragment.
pub fn with_embed(url: &str) -> String {
    with_query_pairs(url, |pairs| {
        if !pairs.contains(&EMBED_PARAM) {
            pairs.push(EMBED_PARAM);
        }
    })
}

/// `url` with embed mode off: where "Open in Eventyard" goes.
pub fn without_embed(url: &str) -> String {
    with_query_pairs(url, |pairs| pairs.retain(|pair| *pair != EMBED_PARAM))
}

/// `url` with the `name=value` pairs of its query (before the fragment) changed by `edit`; the
/// `?` goes when no pair is left.
fn with_query_pairs(url: &str, edit: impl FnOnce(&mut Vec<&str>)) -> String {
    let (address, fragment) = url
        .split_once('#')
        .map_or((url, None), |(a, f)| (a, Some(f)));
    let (path, query) = address.split_once('?').unwrap_or((address, ""));
    let mut pairs: Vec<&str> = query.split('&').filter(|pair| !pair.is_empty()).collect();
    edit(&mut pairs);
    let query = if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    };
    let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
    format!("{path}{query}{fragment}")
}

/// The `<iframe>` a lesson or a blog post pastes to embed `url` (a share link). The title names
/// the frame for screen readers; `loading="lazy"` keeps a long page fast. Attribute values are
/// escaped: a link is data, and the snippet must stay one element whatever it holds.
pub fn embed_snippet(url: &str, title: &str) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"720\" loading=\"lazy\"></iframe>",
        escape(&with_embed(url)),
        escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use eventyard_links::{decode, encode};

    #[test]
    fn embed_mode_is_a_query_parameter_before_the_fragment() {
        let link = "https://example.org/eventyard/#/playground?link=1.abc";
        let embedded = with_embed(link);
        assert_eq!(
            embedded,
            "https://example.org/eventyard/?embed=1#/playground?link=1.abc"
        );
        assert_eq!(with_embed(&embedded), embedded, "added once");
        assert_eq!(without_embed(&embedded), link);
        assert_eq!(
            with_embed("https://h/?lang=en#/learn"),
            "https://h/?lang=en&embed=1#/learn"
        );
        assert_eq!(
            without_embed("https://h/?lang=en&embed=1#/learn"),
            "https://h/?lang=en#/learn"
        );
        assert!(is_embed_query("?embed=1"));
        assert!(is_embed_query("?a=b&embed=1"));
        assert!(!is_embed_query("?embed=10"));
        assert!(!is_embed_query(""));
    }

    #[test]
    fn the_embed_snippet_is_one_iframe_whatever_the_link_holds() {
        let snippet = embed_snippet(
            "https://h/#/playground?link=1.a\"><script>",
            "Eventyard: a <b>",
        );
        assert_eq!(
            snippet,
            "<iframe src=\"https://h/?embed=1#/playground?link=1.a&quot;&gt;&lt;script&gt;\" \
             title=\"Eventyard: a &lt;b&gt;\" width=\"100%\" height=\"720\" loading=\"lazy\"></iframe>"
        );
    }

    #[test]
    fn a_playground_round_trips_through_a_link() {
        let document = PlaygroundDocument {
            seed: Some(42),
            hand_sends: vec![HandSend {
                at_ms: 5,
                target: "ShopBus".into(),
                body: "{}".into(),
                ..HandSend::default()
            }],
            ..PlaygroundDocument::default()
        };
        let watching = Watching {
            time_ms: 30_000,
            speed: 100,
            following: Some("abc".into()),
        };
        let LinkDocument::Playground(link) =
            decode(&encode(&playground_link(&document, &watching))).unwrap()
        else {
            panic!()
        };
        assert_eq!(playground_from(&link), Ok((document, watching)));
    }

    #[test]
    fn a_tester_round_trips_and_a_foreign_dialect_is_a_problem() {
        let document = TesterDocument::example(Dialect::SnsBody);
        let LinkDocument::PatternTester(link) = decode(&encode(&tester_link(&document))).unwrap()
        else {
            panic!()
        };
        assert_eq!(tester_from(&link), Ok(document));
        let foreign = TesterLink {
            dialect: "cel".into(),
            pattern: String::new(),
            events: vec![],
            transformer: None,
        };
        assert!(tester_from(&foreign).unwrap_err().contains("“cel”"));
    }

    #[test]
    fn a_tester_with_a_transformer_round_trips_in_format_2() {
        let document = TesterDocument::example(Dialect::EventBridge)
            .apply(crate::state::pattern_tester::Action::LoadTransformerExample);
        let link = encode(&tester_link(&document));
        assert!(link.starts_with("2."));
        let LinkDocument::PatternTester(found) = decode(&link).unwrap() else {
            panic!()
        };
        assert_eq!(tester_from(&found), Ok(document));
    }

    #[test]
    fn long_links_say_they_may_be_cut() {
        assert_eq!(length_note("abc"), "3 characters");
        assert!(length_note(&"x".repeat(2_500)).contains("some chat tools"));
    }
}
