//! The trace log (every step up to the time shown, filtered by resource, action, message id and
//! free text, drawing only the rows in view so 100,000 records stay fast) and a followed
//! message's journey, hop by hop with its payload in AWS's shape.

use eventyard_sim::TraceRecord;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::state::editor::{segments, Mark};
use crate::state::journey::Journey;
use crate::state::pattern_tester::rule_decision;
use crate::state::playground::clock;
use crate::state::session::Step;
use crate::views::pattern_tester::leaf_line;

/// Height of one row of the log, in CSS pixels (the style sheet uses the same).
pub const ROW_HEIGHT: f64 = 28.0;
/// Height of the log's frame.
const FRAME_HEIGHT: f64 = 336.0;
/// Rows drawn beyond the frame, above and below, so scrolling shows no gap.
const OVERSCAN: usize = 8;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TraceFilter {
    pub resource: String,
    pub action: String,
    pub message_id: String,
    pub text: String,
}

impl TraceFilter {
    pub fn is_empty(&self) -> bool {
        self.resource.is_empty()
            && self.action.is_empty()
            && self.message_id.is_empty()
            && self.text.is_empty()
    }

    pub fn accepts(&self, record: &TraceRecord) -> bool {
        (self.resource.is_empty() || *record.resource == *self.resource)
            && (self.action.is_empty() || record.action.as_str() == self.action)
            && (self.message_id.is_empty() || record.message_id.contains(self.message_id.trim()))
            && (self.text.is_empty() || {
                let needle = self.text.to_lowercase();
                record.reason.to_lowercase().contains(&needle)
                    || record.resource.to_lowercase().contains(&needle)
                    || record.message_id.to_lowercase().contains(&needle)
            })
    }
}

/// Where the log is scrolled: following the newest rows, or held at a row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scroll {
    Newest,
    At(f64),
}

pub struct TraceLogArgs<'a> {
    pub steps: &'a [Step],
    /// The fingerprint of the whole trace so far, and how far that is.
    pub fingerprint: (String, u64),
    pub resources: Vec<String>,
    pub filter: &'a TraceFilter,
    pub scroll: Scroll,
    pub frame: NodeRef,
    pub on_filter: Callback<TraceFilter>,
    pub on_scroll: Callback<Scroll>,
    pub on_follow: Callback<String>,
}

const ACTIONS: [&str; 11] = [
    "received",
    "matched",
    "filtered",
    "transformed",
    "delivered",
    "failed",
    "retried",
    "moved_to_dlq",
    "expired",
    "deleted",
    "deduplicated",
];

pub fn trace_log(args: TraceLogArgs<'_>) -> Html {
    let filter = args.filter;
    let rows: Vec<usize> = if filter.is_empty() {
        Vec::new()
    } else {
        args.steps
            .iter()
            .enumerate()
            .filter(|(_, step)| filter.accepts(&step.record))
            .map(|(index, _)| index)
            .collect()
    };
    let count = if filter.is_empty() {
        args.steps.len()
    } else {
        rows.len()
    };
    let total_height = count as f64 * ROW_HEIGHT;
    let top = match args.scroll {
        Scroll::Newest => (total_height - FRAME_HEIGHT).max(0.0),
        Scroll::At(top) => top.min((total_height - FRAME_HEIGHT).max(0.0)),
    };
    let first = ((top / ROW_HEIGHT) as usize).saturating_sub(OVERSCAN);
    let last = (((top + FRAME_HEIGHT) / ROW_HEIGHT) as usize + OVERSCAN).min(count);
    let on_scroll = {
        let on_scroll = args.on_scroll.clone();
        Callback::from(move |event: Event| {
            let frame: Element = event.target_unchecked_into();
            let top = frame.scroll_top() as f64;
            let at_end = top + frame.client_height() as f64 >= frame.scroll_height() as f64 - 2.0;
            on_scroll.emit(if at_end {
                Scroll::Newest
            } else {
                Scroll::At(top)
            });
        })
    };
    let edit = |set: fn(&mut TraceFilter, String)| {
        let filter = filter.clone();
        let on_filter = args.on_filter.clone();
        move |value: String| {
            let mut next = filter.clone();
            set(&mut next, value);
            on_filter.emit(next);
        }
    };
    let on_resource = {
        let edit = edit(|f, v| f.resource = v);
        Callback::from(move |e: Event| edit(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_action = {
        let edit = edit(|f, v| f.action = v);
        Callback::from(move |e: Event| edit(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_id = {
        let edit = edit(|f, v| f.message_id = v);
        Callback::from(move |e: InputEvent| {
            edit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_text = {
        let edit = edit(|f, v| f.text = v);
        Callback::from(move |e: InputEvent| {
            edit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let index_of = |row: usize| {
        if filter.is_empty() {
            Some(row)
        } else {
            rows.get(row).copied()
        }
    };
    html! {
        <section class="trace-log" aria-labelledby="trace-title">
            <h2 id="trace-title">{ "Trace" }</h2>
            <div class="filters" role="search" aria-label="Filter the trace">
                <label>{ "Resource " }
                    <select onchange={on_resource} ~value={filter.resource.clone()}>
                        <option value="" selected={filter.resource.is_empty()}>{ "any" }</option>
                        { for args.resources.iter().map(|id| html! { <option value={id.clone()} selected={*id == filter.resource}>{ id.clone() }</option> }) }
                    </select>
                </label>
                <label>{ "Action " }
                    <select onchange={on_action} ~value={filter.action.clone()}>
                        <option value="" selected={filter.action.is_empty()}>{ "any" }</option>
                        { for ACTIONS.iter().map(|a| html! { <option value={*a} selected={*a == filter.action}>{ a.replace('_', " ") }</option> }) }
                    </select>
                </label>
                <label>{ "Message id " }<input type="search" value={filter.message_id.clone()} oninput={on_id} size="12" /></label>
                <label>{ "Text " }<input type="search" value={filter.text.clone()} oninput={on_text} size="14" /></label>
            </div>
            <p class="note">
                { format!("{count} of {} steps up to the time shown. ", args.steps.len()) }
                <span title="FNV-1a of the trace as JSON Lines, the same as `eventyard run --trace` writes">
                    { format!("Trace fingerprint up to {}: {}", clock(args.fingerprint.1), args.fingerprint.0) }
                </span>
            </p>
            <div class="trace-frame" ref={args.frame} onscroll={on_scroll} tabindex="0" aria-label="Trace steps, scrollable">
                // The rows out of view are two spacers, sized by attribute: the Content-Security-Policy
                // allows no inline style.
                <svg class="spacer" aria-hidden="true" width="1" height={format!("{:.0}", first as f64 * ROW_HEIGHT)}></svg>
                <ol class="trace" aria-label="Trace" start={(first + 1).to_string()}>
                    { for (first..last).filter_map(|row| {
                        let step = args.steps.get(index_of(row)?)?;
                        Some(trace_row(&step.record, &args.on_follow))
                    }) }
                </ol>
                <svg class="spacer" aria-hidden="true" width="1" height={format!("{:.0}", (count.saturating_sub(last)) as f64 * ROW_HEIGHT)}></svg>
            </div>
        </section>
    }
}

fn trace_row(record: &TraceRecord, on_follow: &Callback<String>) -> Html {
    let id = record.message_id.to_string();
    let follow = {
        let id = id.clone();
        on_follow.reform(move |_: MouseEvent| id.clone())
    };
    html! {
        <li class={classes!("step", record.action.as_str())}>
            <span class="time">{ clock(record.time_ms) }</span>
            <span class="resource">{ record.resource.to_string() }</span>
            <span class="action">{ record.action.as_str().replace('_', " ") }</span>
            <button type="button" class="message-id" onclick={follow}
                aria-label={format!("Follow message {id}")} title="Show this message's journey">{ short_id(&id) }</button>
            <span class="reason" title={record.reason.clone()}>{ record.reason.clone() }</span>
        </li>
    }
}

/// The first block of a UUID is enough to tell messages apart on a row; the journey names it whole.
fn short_id(id: &str) -> String {
    match id.split_once('-') {
        Some((head, _)) if head.len() >= 8 => format!("{head}…"),
        _ => id.to_string(),
    }
}

/// The journey of the followed message, hop by hop.
pub fn journey_view(
    message_id: &str,
    journey: &Journey,
    steps: &[Step],
    // A resource's pattern (true) or filter policy (false), where one decided.
    patterns: &dyn Fn(&str) -> Option<(String, bool)>,
    on_follow: &Callback<String>,
    on_close: Callback<MouseEvent>,
) -> Html {
    let records: Vec<&TraceRecord> = journey
        .steps
        .iter()
        .filter_map(|&i| steps.get(i))
        .map(|step| &step.record)
        .collect();
    let resources: std::collections::BTreeSet<&str> =
        records.iter().map(|r| &*r.resource).collect();
    html! {
        <section class="journey" aria-label={format!("Journey of message {message_id}")}>
            <header>
                <h2>{ "Journey" }</h2>
                <button type="button" onclick={on_close}>{ "Stop following" }</button>
            </header>
            <p class="note" role="status">
                { format!("Message {message_id}: {} steps at {} resources, from where it came from to all that came from it, up to the time shown.", records.len(), resources.len()) }
            </p>
            if !journey.batch_mates.is_empty() {
                <p class="note">
                    { format!("It shared a Lambda batch with {} other message{} (not followed here): ", journey.batch_mates.len(), if journey.batch_mates.len() == 1 { "" } else { "s" }) }
                    { for journey.batch_mates.iter().take(12).map(|mate| {
                        let id = mate.clone();
                        let follow = on_follow.reform(move |_: MouseEvent| id.clone());
                        html! { <button type="button" class="message-id" onclick={follow} aria-label={format!("Follow message {mate}")}>{ short_id(mate) }</button> }
                    }) }
                </p>
            }
            <ol class="hops" aria-label="Hops">
                { for records.iter().map(|record| html! {
                    <li class={classes!("hop", record.action.as_str())}>
                        <div class="hop-line">
                            <span class="time">{ clock(record.time_ms) }</span>
                            <strong class="resource">{ record.resource.to_string() }</strong>
                            <span class="action">{ record.action.as_str().replace('_', " ") }</span>
                            <code class="message-id">{ record.message_id.to_string() }</code>
                        </div>
                        <p class="reason">{ record.reason.clone() }</p>
                        if let Some((pattern, is_rule)) = patterns(&record.resource).filter(|_| matches!(record.action.as_str(), "matched" | "filtered")) {
                            <details>
                                <summary>{ if is_rule { "The pattern that decided" } else { "The filter policy that decided" } }</summary>
                                // A rule's record has no payload of its own: the event is the one
                                // its bus received (the same message id).
                                if let Some(decision) = records.iter()
                                    .find(|r| r.message_id == record.message_id && r.payload.is_some())
                                    .and_then(|r| r.payload.as_deref())
                                    .filter(|_| is_rule)
                                    .and_then(|event| rule_decision(&pattern, event)) {
                                    { marked(&pattern, &decision.pattern_marks, "Pattern") }
                                    <ul class="leaves" aria-label="Fields">{ for decision.leaves.iter().map(leaf_line) }</ul>
                                    { marked(&decision.event_text, &decision.event_marks, "Event the rule judged") }
                                } else {
                                    <pre class="code">{ pattern.clone() }</pre>
                                }
                            </details>
                        }
                        if let Some(payload) = &record.payload {
                            <details>
                                <summary>{ "Payload at this hop" }</summary>
                                <pre class="code">{ serde_json::to_string_pretty(&**payload).unwrap_or_default() }</pre>
                            </details>
                        }
                    </li>
                }) }
            </ol>
        </section>
    }
}

/// A text with its marks as `<mark>` elements (the deciding field), as the tester's editors mark
/// them: the same runs, the same classes.
fn marked(text: &str, marks: &[Mark], label: &str) -> Html {
    html! {
        <pre class="code marked" aria-label={label.to_string()}>
            { for segments(text, marks).into_iter().map(|(run, kind)| match kind {
                Some(kind) => html! { <mark class={kind.class()}>{ run }</mark> },
                None => html! { { run } },
            }) }
        </pre>
    }
}
