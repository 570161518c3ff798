//! What the person changes in the document from the live run: a send by hand at the time shown,
//! clearing the sends, and a fault on a resource (written into `Metadata: Eventyard:`). Each
//! mistake is kept to be shown at its form.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::state::faults::{apply_fault, section_for, Fault};
use crate::state::playground::Action;
use crate::state::sends::HandSend;
use crate::state::session::Session;
use crate::views::playground::Playground;

pub struct LiveEdits {
    pub on_send: Callback<HandSend>,
    pub on_clear_sends: Callback<()>,
    /// What is wrong with the last send, naming its field.
    pub send_problem: Option<String>,
    pub on_fault: Callback<(String, Fault)>,
    pub fault_problem: Option<String>,
}

#[hook]
pub fn use_live_edits(
    playground: &UseReducerHandle<Playground>,
    session: &Rc<RefCell<Option<Session>>>,
) -> LiveEdits {
    let send_problem = use_state(|| None::<String>);
    let fault_problem = use_state(|| None::<String>);
    let on_send = {
        let playground = playground.clone();
        let session = session.clone();
        let send_problem = send_problem.clone();
        Callback::from(move |mut send: HandSend| {
            let guard = session.borrow();
            let Some(live) = guard.as_ref() else { return };
            send.at_ms = live.now_ms();
            match send.to_send(live.template()) {
                Ok(_) => {
                    send_problem.set(None);
                    drop(guard);
                    playground.dispatch(Action::Send(send));
                }
                Err(problem) => send_problem.set(Some(problem)),
            }
        })
    };
    let on_clear_sends = {
        let playground = playground.clone();
        Callback::from(move |_: ()| playground.dispatch(Action::ClearSends))
    };
    let on_fault = {
        let playground = playground.clone();
        let session = session.clone();
        let fault_problem = fault_problem.clone();
        Callback::from(move |(id, fault): (String, Fault)| {
            let section = session
                .borrow()
                .as_ref()
                .and_then(|live| Some(live.resource(&id)?.kind))
                .and_then(section_for);
            let Some(section) = section else { return };
            match apply_fault(&playground.0.template, section, &id, fault) {
                Ok(text) => {
                    fault_problem.set(None);
                    playground.dispatch(Action::EditTemplate(text));
                }
                Err(problem) => fault_problem.set(Some(problem)),
            }
        })
    };
    LiveEdits {
        on_send,
        on_clear_sends,
        send_problem: (*send_problem).clone(),
        on_fault,
        fault_problem: (*fault_problem).clone(),
    }
}
