//! Dead-letter queues: a message whose receive count passed maxReceiveCount moves to its DLQ
//! (sqs-dead-letter-queues), and StartMessageMoveTask moves a DLQ's messages back to their
//! source queue (redrive).

use std::sync::Arc;

use serde_json::Value;

use crate::sim::{shared, Simulator};
use crate::sqs::MessageState;
use crate::trace::{TraceAction, TraceSink};

impl Simulator {
    pub(crate) fn move_to_dlq(
        &mut self,
        queue: usize,
        key: u64,
        dlq: usize,
        max_count: u64,
        sink: &mut dyn TraceSink,
    ) {
        let world = self.world.clone();
        let (Some(queue_id), Some(dlq_id)) = (world.queue_ids.get(queue), world.queue_ids.get(dlq))
        else {
            return;
        };
        let Some(mut message) = self.remove_message(queue, key) else {
            return;
        };
        let count = message.receive_count;
        message.state = MessageState::Visible;
        message.dead_letter_source_arn = world
            .template
            .queues
            .get(queue)
            .map(|q| Arc::from(q.arn.as_str()));
        let token = message.token;
        let message_id = message.message_id.clone();
        // The whole message as the dead-letter queue holds it (what a ReceiveMessage on it
        // would return, before any receipt handle exists), on both records of the move.
        let mut shown = self.sqs_record_of(dlq, &message, 0);
        if let Value::Object(map) = &mut shown {
            map.remove("ReceiptHandle");
        }
        let moved = shown.clone();
        self.emit(sink, queue_id, TraceAction::MovedToDlq, &message_id, None, || shared(moved), || {
            format!("receive count {count} reached maxReceiveCount {max_count}: moved to the dead-letter queue")
        });
        let Some(state) = self.queues.get_mut(dlq) else {
            return;
        };
        state.insert(message);
        self.ledger.move_to(token, self.queue_place(dlq));
        self.emit(
            sink,
            dlq_id,
            TraceAction::Received,
            &message_id,
            None,
            || shared(shown),
            || "redrive: moved here from its source queue (same MessageId)".into(),
        );
        self.ensure_sweep(dlq);
        self.wake(dlq);
    }

    /// StartMessageMoveTask (sqs-configure-dead-letter-queue-redrive): move every visible
    /// message of a dead-letter queue back to its source queue, receive count reset. Returns
    /// how many moved.
    pub fn start_message_move(&mut self, dlq_logical_id: &str, sink: &mut dyn TraceSink) -> usize {
        let world = self.world.clone();
        let Some(dlq) = world
            .queue_ids
            .iter()
            .position(|id| &**id == dlq_logical_id)
        else {
            return 0;
        };
        let Some(source) = world.queue_dlq.iter().position(|d| *d == Some(dlq)) else {
            return 0;
        };
        let (Some(dlq_id), Some(source_id)) =
            (world.queue_ids.get(dlq), world.queue_ids.get(source))
        else {
            return 0;
        };
        let keys: Vec<u64> = self
            .queues
            .get(dlq)
            .map(|q| q.visible.iter().map(|(_, key)| *key).collect())
            .unwrap_or_default();
        let mut moved = 0;
        for key in keys {
            let Some(mut message) = self.remove_message(dlq, key) else {
                continue;
            };
            let source_name = source_id.clone();
            self.emit(
                sink,
                dlq_id,
                TraceAction::Delivered,
                &message.message_id,
                None,
                || None,
                || format!("StartMessageMoveTask: moved back to {source_name}"),
            );
            message.receive_count = 0;
            message.first_receive_ms = None;
            message.dead_letter_source_arn = None;
            message.state = MessageState::Visible;
            let token = message.token;
            let message_id = message.message_id.clone();
            let Some(state) = self.queues.get_mut(source) else {
                break;
            };
            state.insert(message);
            self.ledger.move_to(token, self.queue_place(source));
            self.emit(
                sink,
                source_id,
                TraceAction::Received,
                &message_id,
                None,
                || None,
                || "redriven from the dead-letter queue (receive count reset)".into(),
            );
            moved += 1;
        }
        self.ensure_sweep(source);
        self.wake(source);
        moved
    }
}
