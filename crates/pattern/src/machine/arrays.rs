//! Array consistency (eb-event-patterns-arrays; event-ruler's `ArrayMembership`): the fields
//! of one branch must be satisfied by values that can sit together in one element of every
//! array they share.
//!
//! Each flattened value carries its trail, the `(array, index)` steps from the root. Two
//! values are compatible when, wherever their trails pass through the same array, they pass
//! through the same element. A branch holds when one satisfying value per condition can be
//! picked so that all picks are pairwise compatible: a small backtracking search with a step
//! budget; when the budget runs out the caller asks the interpreter instead of guessing.

use super::scan::{Flat, Step};
use super::CondId;

/// Search steps before giving up (the interpreter then decides).
const BUDGET: usize = 10_000;

/// Reusable search state.
#[derive(Debug, Default)]
pub(crate) struct Search {
    /// per remaining condition: its range in `hits`
    ranges: Vec<(usize, usize)>,
    picks: Vec<u32>,
}

/// Whether two trails agree on every array they share.
pub(crate) fn compatible(a: &[Step], b: &[Step]) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x.array != y.array {
            // different arrays at the same depth: the values live in different elements of a
            // shared parent, or under different keys; nothing deeper is shared
            return true;
        }
        if x.index != y.index {
            return false;
        }
    }
    true
}

impl Search {
    /// `hits` is sorted by condition: (condition, entry index). Some(answer), or None when
    /// the budget ran out.
    pub(crate) fn consistent(
        &mut self,
        conditions: &[CondId],
        hits: &[(CondId, u32)],
        flat: &Flat,
    ) -> Option<bool> {
        self.ranges.clear();
        self.picks.clear();
        for &c in conditions {
            let start = hits.partition_point(|h| h.0 < c);
            let end = hits.partition_point(|h| h.0 <= c);
            if start == end {
                return Some(false);
            }
            // a value outside every array is compatible with anything: the condition is done
            let free = hits.get(start..end).unwrap_or(&[]).iter().any(|h| {
                flat.entries
                    .get(h.1 as usize)
                    .is_some_and(|e| e.trail_len == 0)
            });
            if !free {
                self.ranges.push((start, end));
            }
        }
        if self.ranges.len() <= 1 {
            return Some(true);
        }
        // fewest candidates first prunes soonest
        self.ranges.sort_unstable_by_key(|(s, e)| e - s);
        let mut budget = BUDGET;
        self.dfs(0, hits, flat, &mut budget)
    }

    fn dfs(
        &mut self,
        depth: usize,
        hits: &[(CondId, u32)],
        flat: &Flat,
        budget: &mut usize,
    ) -> Option<bool> {
        let Some(&(start, end)) = self.ranges.get(depth) else {
            return Some(true);
        };
        for h in hits.get(start..end).unwrap_or(&[]) {
            *budget = budget.checked_sub(1)?;
            let Some(entry) = flat.entries.get(h.1 as usize) else {
                continue;
            };
            let trail = flat.trail(entry);
            let fits = self.picks.iter().all(|&p| {
                flat.entries
                    .get(p as usize)
                    .is_some_and(|other| compatible(trail, flat.trail(other)))
            });
            if fits {
                self.picks.push(h.1);
                if self.dfs(depth + 1, hits, flat, budget)? {
                    return Some(true);
                }
                self.picks.pop();
            }
        }
        Some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(steps: &[(u32, u32)]) -> Vec<Step> {
        steps
            .iter()
            .map(|&(array, index)| Step { array, index })
            .collect()
    }

    #[test]
    fn same_element_is_compatible() {
        assert!(compatible(&t(&[(0, 1)]), &t(&[(0, 1), (3, 0)])));
        assert!(!compatible(&t(&[(0, 1)]), &t(&[(0, 2)])));
        assert!(compatible(&t(&[(0, 1)]), &t(&[(5, 0)])));
        assert!(compatible(&t(&[]), &t(&[(5, 0)])));
        assert!(!compatible(&t(&[(0, 0), (1, 0)]), &t(&[(0, 0), (1, 1)])));
    }
}
