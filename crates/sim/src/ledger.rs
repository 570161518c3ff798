//! Conservation bookkeeping: every message (token) the simulation creates is in exactly one
//! place at every moment. Live places are tracked per token; final places (consumed, filtered,
//! expired, dropped) only as counts, so memory follows the live messages, not the run length.
//! `Simulator::check_conservation` compares this ledger with the queues and the pending
//! happenings.

use std::collections::BTreeMap;

/// A token: one message at one hop. Internal; the trace shows AWS ids.
pub type Token = u64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// Travelling between resources, being retried, or being processed by a function.
    InFlight,
    /// Stored in an SQS queue (visible, delayed, or received and invisible), by queue index.
    InQueue(usize),
    /// Stored in a queue that some other resource uses as its dead-letter queue.
    InDlq(usize),
    /// Done: processed, deleted, fanned out into new messages, or delivered to an inbox.
    Consumed,
    /// Matched no rule or no subscription's filter policy.
    Filtered,
    /// Outlived its queue's retention period.
    Expired,
    /// Given up on with nowhere to go (no DLQ), or refused as a duplicate.
    Dropped,
}

impl Place {
    fn final_index(self) -> Option<usize> {
        match self {
            Place::Consumed => Some(0),
            Place::Filtered => Some(1),
            Place::Expired => Some(2),
            Place::Dropped => Some(3),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    next: Token,
    live: BTreeMap<Token, Place>,
    /// consumed, filtered, expired, dropped.
    finals: [u64; 4],
    /// Moves of tokens that were not live (must stay 0).
    pub broken: u64,
}

impl Ledger {
    /// A new token, in flight.
    pub fn create(&mut self) -> Token {
        let token = self.next;
        self.next += 1;
        self.live.insert(token, Place::InFlight);
        token
    }

    pub fn place(&self, token: Token) -> Option<Place> {
        self.live.get(&token).copied()
    }

    /// Move a live token. Moving a token that is not live is a bug; it is counted so the
    /// conservation check reports it rather than panicking.
    pub fn move_to(&mut self, token: Token, place: Place) {
        match place.final_index() {
            Some(index) => {
                if self.live.remove(&token).is_some() {
                    self.finals[index] += 1;
                } else {
                    self.broken += 1;
                }
            }
            None => {
                if let Some(slot) = self.live.get_mut(&token) {
                    *slot = place;
                } else {
                    self.broken += 1;
                }
            }
        }
    }

    pub fn created(&self) -> u64 {
        self.next
    }

    pub fn live(&self) -> impl Iterator<Item = (Token, Place)> + '_ {
        self.live.iter().map(|(t, p)| (*t, *p))
    }

    pub fn live_count(&self) -> usize {
        self.live.len()
    }

    pub fn finals(&self) -> [u64; 4] {
        self.finals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_tokens_become_counts_and_double_moves_are_caught() {
        let mut ledger = Ledger::default();
        let a = ledger.create();
        let b = ledger.create();
        ledger.move_to(a, Place::InQueue(0));
        ledger.move_to(b, Place::Filtered);
        assert_eq!(ledger.live_count(), 1);
        assert_eq!(ledger.finals(), [0, 1, 0, 0]);
        ledger.move_to(b, Place::Consumed);
        assert_eq!(ledger.broken, 1);
    }
}
