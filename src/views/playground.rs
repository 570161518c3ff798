//! The flow playground: a template drawn as a live diagram with events moving through it.

use yew::prelude::*;

#[function_component(Playground)]
pub fn playground() -> Html {
    html! {
        <section class="view" aria-labelledby="view-title">
            <h1 id="view-title">{ "Playground" }</h1>
            <p class="lede">
                { "Paste a CloudFormation template of buses, rules, topics, subscriptions, queues and functions, \
                   send events, and watch them flow on a virtual clock you can pause, step and rewind." }
            </p>
            <p class="notice" role="status">
                { "Not in this build yet: the simulator engine is being written. Until it lands, the \
                   command line runs templates: " }
                <code>{ "eventyard run template.yaml" }</code>
            </p>
        </section>
    }
}
