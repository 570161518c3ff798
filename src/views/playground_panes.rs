//! The playground's two panes under the diagram: the template editor with the send form, and the
//! followed message's journey with the trace log. In embed mode only the second shows.

use yew::prelude::*;

use crate::components::editor::Editor;
use crate::components::send_form::SendForm;
use crate::components::trace_log::{trace_log, Scroll, TraceFilter, TraceLogArgs};
use crate::state::editor::Mark;
use crate::state::playground::PlaygroundDocument;
use crate::state::sends::{destinations, HandSend};
use crate::state::session::Session;
use crate::views::playground_live::{journey_panel, JourneyCache};

pub struct Panes<'a> {
    pub live: Option<&'a Session>,
    pub document: &'a PlaygroundDocument,
    pub embedded: bool,
    /// The template has problems: the editor says so (`aria-invalid`).
    pub stale: bool,
    /// The template's problems, underlined at their places in the editor.
    pub marks: Vec<Mark>,
    pub template_ref: &'a NodeRef,
    pub on_template: Callback<String>,
    pub on_send: Callback<HandSend>,
    pub on_clear_sends: Callback<()>,
    pub send_problem: Option<String>,
    pub following: &'a UseStateHandle<Option<String>>,
    pub journey_cache: &'a JourneyCache,
    pub on_follow: &'a Callback<String>,
    pub filter: &'a UseStateHandle<TraceFilter>,
    pub scroll: &'a UseStateHandle<Scroll>,
    pub frame_ref: &'a NodeRef,
}

pub fn panes(args: Panes<'_>) -> Html {
    let Panes {
        live,
        document,
        embedded,
        stale,
        marks,
        template_ref,
        on_template,
        on_send,
        on_clear_sends,
        send_problem,
        following,
        journey_cache,
        on_follow,
        filter,
        scroll,
        frame_ref,
    } = args;
    html! {
        <div class="columns">
            if !embedded {
                <div class="pane">
                    <label for="template" class="pane-title">{ "Template (YAML or JSON)" }</label>
                    <Editor id="template" node_ref={template_ref.clone()} rows={24} invalid={stale} {marks}
                        value={document.template.clone()} on_change={on_template} />
                    if let Some(live) = live {
                        <SendForm destinations={destinations(live.template()).into_iter().filter(|(id, _)| live.node(id).is_some()).collect::<Vec<_>>()} sent={document.hand_sends.clone()}
                            {on_send} on_clear={on_clear_sends} problem={send_problem} />
                    }
                </div>
            }
            <div class="pane">
                if let Some(live) = live {
                    if let Some(id) = &**following {
                        { journey_panel(live, id, journey_cache, on_follow, following) }
                    }
                    { trace_log(TraceLogArgs {
                        steps: live.steps_now(),
                        fingerprint: (live.fingerprint(), live.frontier_ms()),
                        resources: live.topology.nodes.iter().map(|n| n.id.clone()).collect(),
                        filter,
                        scroll: **scroll,
                        frame: frame_ref.clone(),
                        on_filter: { let filter = filter.clone(); Callback::from(move |f| filter.set(f)) },
                        on_scroll: { let scroll = scroll.clone(); Callback::from(move |s| scroll.set(s)) },
                        on_follow: on_follow.clone(),
                    }) }
                }
            </div>
        </div>
    }
}
