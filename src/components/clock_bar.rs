//! The clock's controls: Play / Pause, Step, Speed, the Time scrubber (a slider whose value is the
//! virtual time in milliseconds, with the scripted sends marked under it) and the time shown.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::state::clock::{speed_label, SPEEDS};
use crate::state::playground::clock;

#[derive(Properties, PartialEq)]
pub struct ClockBarProps {
    pub now_ms: u64,
    /// The scrubber's end.
    pub extent_ms: u64,
    /// Where scripted sends happen, for the marks under the scrubber.
    pub marks: Vec<u64>,
    pub playing: bool,
    pub speed: u64,
    /// A seek in progress: its target and how far it got (0..1).
    pub seeking: Option<(u64, f64)>,
    pub on_play: Callback<()>,
    pub on_pause: Callback<()>,
    pub on_step: Callback<()>,
    pub on_speed: Callback<u64>,
    pub on_seek: Callback<u64>,
    pub on_stop: Callback<()>,
    #[prop_or_default]
    pub disabled: bool,
}

#[function_component(ClockBar)]
pub fn clock_bar(props: &ClockBarProps) -> Html {
    let on_speed = {
        let on_speed = props.on_speed.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(speed) = value.parse() {
                on_speed.emit(speed);
            }
        })
    };
    // The seek happens when the slider is let go (or a key moves it), not at every pixel of a
    // drag: each seek may replay from a checkpoint.
    let on_seek = {
        let on_seek = props.on_seek.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(ms) = value.parse::<f64>() {
                on_seek.emit(ms.max(0.0) as u64);
            }
        })
    };
    let extent = props.extent_ms.max(1);
    let play = if props.playing {
        html! { <button type="button" class="primary" onclick={props.on_pause.reform(|_| ())}>{ "Pause" }</button> }
    } else {
        html! { <button type="button" class="primary" disabled={props.disabled} onclick={props.on_play.reform(|_| ())}>{ "Play" }</button> }
    };
    html! {
        <div class="clock-bar" role="group" aria-label="Clock">
            { play }
            <button type="button" disabled={props.disabled || props.playing} onclick={props.on_step.reform(|_| ())}
                title="Go to the next time something happens">{ "Step" }</button>
            <label for="speed">{ "Speed" }</label>
            <select id="speed" onchange={on_speed} ~value={props.speed.to_string()}>
                { for SPEEDS.iter().map(|speed| html! {
                    <option value={speed.to_string()} selected={*speed == props.speed}>{ speed_label(*speed) }</option>
                }) }
            </select>
            <output class="virtual-time" aria-label="Virtual time" aria-live="off">{ clock(props.now_ms) }</output>
            <div class="scrubber">
                <input type="range" aria-label="Time" min="0" max={extent.to_string()} step="1"
                    value={props.now_ms.to_string()} aria-valuetext={clock(props.now_ms)}
                    disabled={props.disabled} onchange={on_seek} />
                <svg class="marks" viewBox="0 0 1000 8" preserveAspectRatio="none" aria-hidden="true">
                    { for props.marks.iter().filter(|t| **t <= extent).map(|t| {
                        let x = *t as f64 / extent as f64 * 1000.0;
                        html! { <rect x={format!("{x:.1}")} y="0" width="2" height="8" /> }
                    }) }
                </svg>
            </div>
            <span class="note">{ format!("of {}", clock(extent)) }</span>
            if let Some((target, done)) = props.seeking {
                <div class="seek-progress" role="status">
                    <progress max="1" value={format!("{done:.3}")} aria-label="Going to a time"></progress>
                    { format!(" Going to {}… ", clock(target)) }
                    <button type="button" onclick={props.on_stop.reform(|_| ())}>{ "Stop" }</button>
                </div>
            }
        </div>
    }
}
