//! Undo history for a document: every edit, load and replacement is a step that Undo takes
//! back, so no button, example or sample ever loses work.
//!
//! Typing is grouped the way browsers group it: edits of the same field less than
//! [`GROUP_MS`] apart join one step, so one Undo takes back a burst of typing, not one letter.
//! Loads (an example, a sample, a preset, a link) are always a step of their own.

/// Edits of one field closer together than this join one undo step.
pub const GROUP_MS: f64 = 1_000.0;
/// The most steps kept; the oldest go first.
pub const DEPTH: usize = 200;

/// A document with its past and future.
#[derive(Clone, Debug, PartialEq)]
pub struct Tracked<T> {
    present: T,
    past: Vec<T>,
    future: Vec<T>,
    /// The field and time of the last typing edit, while it can still grow.
    group: Option<(String, f64)>,
}

impl<T: Clone + PartialEq> Tracked<T> {
    pub fn new(present: T) -> Tracked<T> {
        Tracked {
            present,
            past: Vec::new(),
            future: Vec::new(),
            group: None,
        }
    }

    pub fn present(&self) -> &T {
        &self.present
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }

    /// A typing edit of `field` at `now_ms`: joins the last step when it is the same field and
    /// soon after, else starts a new one. A change to nothing is no step.
    pub fn edit(mut self, next: T, field: &str, now_ms: f64) -> Tracked<T> {
        if next == self.present {
            return self;
        }
        let joins = matches!(&self.group, Some((last, at)) if last == field && now_ms - at < GROUP_MS && now_ms >= *at);
        if !joins {
            self.push_past();
        }
        self.present = next;
        self.future.clear();
        self.group = Some((field.to_string(), now_ms));
        self
    }

    /// A replacement (a load, a button): always a step of its own.
    pub fn replace(mut self, next: T) -> Tracked<T> {
        if next == self.present {
            return self;
        }
        self.push_past();
        self.present = next;
        self.future.clear();
        self.group = None;
        self
    }

    pub fn undo(mut self) -> Tracked<T> {
        if let Some(previous) = self.past.pop() {
            let now = std::mem::replace(&mut self.present, previous);
            self.future.push(now);
        }
        self.group = None;
        self
    }

    pub fn redo(mut self) -> Tracked<T> {
        if let Some(next) = self.future.pop() {
            let now = std::mem::replace(&mut self.present, next);
            self.past.push(now);
        }
        self.group = None;
        self
    }

    fn push_past(&mut self) {
        self.past.push(self.present.clone());
        if self.past.len() > DEPTH {
            self.past.remove(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_in_one_field_groups_and_a_pause_or_another_field_splits() {
        let doc = Tracked::new("".to_string())
            .edit("a".into(), "p", 0.0)
            .edit("ab".into(), "p", 300.0)
            .edit("abc".into(), "p", 600.0);
        assert_eq!(doc.clone().undo().present(), "");
        let doc = doc.edit("abcd".into(), "p", 5_000.0);
        assert_eq!(doc.clone().undo().present(), "abc");
        let doc = doc.edit("abcde".into(), "e0", 5_100.0);
        assert_eq!(doc.undo().present(), "abcd");
    }

    #[test]
    fn a_load_is_its_own_step_and_undo_redo_walk_back_and_forth() {
        let doc = Tracked::new(1)
            .edit(2, "p", 0.0)
            .replace(10)
            .edit(11, "p", 100.0);
        let back = doc.clone().undo();
        assert_eq!(*back.present(), 10);
        let back = back.undo();
        assert_eq!(*back.present(), 2);
        assert!(back.can_redo());
        let forth = back.redo().redo();
        assert_eq!(*forth.present(), 11);
        assert!(!forth.can_redo());
        // A new edit after an undo drops the future.
        let branched = doc.undo().replace(5);
        assert!(!branched.can_redo());
        assert_eq!(*branched.undo().present(), 10);
    }

    #[test]
    fn no_change_is_no_step_and_depth_is_bounded() {
        let doc = Tracked::new(0).replace(0).edit(0, "p", 0.0);
        assert!(!doc.can_undo());
        let mut doc = Tracked::new(0);
        for i in 1..=(DEPTH as i32 + 50) {
            doc = doc.replace(i);
        }
        let mut steps = 0;
        while doc.can_undo() {
            doc = doc.undo();
            steps += 1;
        }
        assert_eq!(steps, DEPTH);
    }

    #[test]
    fn an_undo_ends_the_typing_group() {
        let doc = Tracked::new(String::new())
            .edit("a".into(), "p", 0.0)
            .edit("ab".into(), "p", 100.0)
            .undo()
            .edit("x".into(), "p", 150.0)
            .edit("xy".into(), "p", 200.0);
        assert_eq!(doc.undo().present(), "");
    }
}
