//! SNS message attributes as a typed table: name, data type (String, Number, String.Array,
//! Binary) and value, written back as the JSON the tester judges.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::tester_event::selected;
use crate::state::attributes::{row_problem, rows, text, Row, DATA_TYPES};

#[derive(Properties, PartialEq)]
pub struct AttributeTableProps {
    /// The event's title ("Message attributes 1").
    pub title: String,
    pub text: String,
    pub on_change: Callback<String>,
}

#[function_component(AttributeTable)]
pub fn attribute_table(props: &AttributeTableProps) -> Html {
    let Some(current) = rows(&props.text) else {
        return html! {
            <p class="problem" role="alert">
                { "The attributes are not a JSON object of {\"name\": {\"DataType\", \"StringValue\"}}: edit them as JSON first." }
            </p>
        };
    };
    let edit = |at: usize, change: fn(&mut Row, String), read: fn(&Event) -> String| {
        let current = current.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |event: Event| {
            let mut next = current.clone();
            if let Some(row) = next.get_mut(at) {
                change(row, read(&event));
            }
            on_change.emit(text(&next));
        })
    };
    let input_value = |event: &Event| event.target_unchecked_into::<HtmlInputElement>().value();
    let on_add = {
        let current = current.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = current.clone();
            next.push(Row {
                name: format!("attribute{}", next.len() + 1),
                data_type: "String".into(),
                value: String::new(),
            });
            on_change.emit(text(&next));
        })
    };
    html! {
        <div class="attribute-table">
            <table aria-label={format!("{} table", props.title)}>
                <thead><tr><th>{ "Name" }</th><th>{ "Type" }</th><th>{ "Value" }</th><th><span class="visually-hidden">{ "Remove" }</span></th></tr></thead>
                <tbody>
                    { for current.iter().enumerate().map(|(at, row)| {
                        let on_remove = {
                            let current = current.clone();
                            let on_change = props.on_change.clone();
                            Callback::from(move |_: MouseEvent| {
                                let mut next = current.clone();
                                next.remove(at);
                                on_change.emit(text(&next));
                            })
                        };
                        let problem = row_problem(row);
                        html! {
                            <tr>
                                <td><input type="text" value={row.name.clone()} aria-label={format!("Attribute {} name", at + 1)}
                                    onchange={edit(at, |r, v| r.name = v, input_value)} /></td>
                                <td><select aria-label={format!("Attribute {} type", at + 1)} onchange={edit(at, |r, v| r.data_type = v, selected)}>
                                    { for DATA_TYPES.iter().map(|t| html! { <option value={*t} selected={row.data_type == *t}>{ *t }</option> }) }
                                </select></td>
                                <td>
                                    <input type="text" value={row.value.clone()} aria-label={format!("Attribute {} value", at + 1)}
                                        aria-invalid={problem.is_some().to_string()}
                                        onchange={edit(at, |r, v| r.value = v, input_value)} />
                                    if let Some(problem) = problem { <span class="problem small">{ problem }</span> }
                                </td>
                                <td><button type="button" onclick={on_remove} aria-label={format!("Remove attribute {}", at + 1)}>{ "✕" }</button></td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <button type="button" onclick={on_add}>{ "Add attribute" }</button>
        </div>
    }
}
