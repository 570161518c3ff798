//! The pattern tester: one pattern, many events, and why each matches or not.

use yew::prelude::*;

#[function_component(PatternTester)]
pub fn pattern_tester() -> Html {
    html! {
        <section class="view" aria-labelledby="view-title">
            <h1 id="view-title">{ "Pattern tester" }</h1>
            <p class="lede">
                { "Write an EventBridge event pattern or an SNS filter policy, add events, and see \
                   which match and why." }
            </p>
        </section>
    }
}
