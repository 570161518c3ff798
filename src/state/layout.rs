//! A small layered (Sugiyama-style) layout for the topology, left to right.
//!
//! Resources have a natural rank (producer → bus → rule → topic → subscription → queue →
//! function), so three classic steps suffice: break cycles (a rule feeding its own bus), give each
//! node the longest-path rank from the sources, then order each column by the barycentre of its
//! neighbours for a few sweeps to reduce crossings. Written by hand rather than taken from a
//! crate: see ARCHITECTURE.md ("Diagram layout") for the crates weighed.
//!
//! Deterministic and linear in nodes + edges per sweep; no floating-point surprises across
//! machines matter here because the result only places boxes on screen.

/// Size of a node's box and the gaps between them, in SVG user units.
pub const NODE_WIDTH: f64 = 176.0;
pub const NODE_HEIGHT: f64 = 64.0;
pub const COLUMN_GAP: f64 = 96.0;
pub const ROW_GAP: f64 = 28.0;
/// Space around the drawing.
pub const MARGIN: f64 = 16.0;

/// Barycentre sweeps (down then up counts as two).
const SWEEPS: usize = 8;

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Top-left corner of each node's box, by node index.
    pub positions: Vec<(f64, f64)>,
    /// Column of each node.
    pub ranks: Vec<usize>,
    pub width: f64,
    pub height: f64,
}

/// Places `count` nodes joined by `edges` (from, to).
pub fn layout(count: usize, edges: &[(usize, usize)]) -> Layout {
    let edges: Vec<(usize, usize)> = edges
        .iter()
        .copied()
        .filter(|(from, to)| *from < count && *to < count && from != to)
        .collect();
    let forward = acyclic(count, &edges);
    let ranks = longest_path_ranks(count, &forward);
    let columns = order_columns(count, &ranks, &forward);
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
    let column_height = |len: usize| len as f64 * (NODE_HEIGHT + ROW_GAP) - ROW_GAP;
    let height = column_height(tallest).max(NODE_HEIGHT) + 2.0 * MARGIN;
    let mut positions = vec![(0.0, 0.0); count];
    for (rank, column) in columns.iter().enumerate() {
        let top = MARGIN + (column_height(tallest) - column_height(column.len())) / 2.0;
        for (row, node) in column.iter().enumerate() {
            let x = MARGIN + rank as f64 * (NODE_WIDTH + COLUMN_GAP);
            let y = top + row as f64 * (NODE_HEIGHT + ROW_GAP);
            positions[*node] = (x, y);
        }
    }
    let width = columns.len().max(1) as f64 * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP + 2.0 * MARGIN;
    Layout {
        positions,
        ranks,
        width,
        height,
    }
}

/// The edges that remain once every cycle is broken: an iterative depth-first search drops the
/// edges that lead back to a node still on its path.
fn acyclic(count: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (from, to) in edges {
        out[*from].push(*to);
    }
    // 0 unseen, 1 on the current path, 2 done.
    let mut state = vec![0u8; count];
    let mut kept = Vec::with_capacity(edges.len());
    for root in 0..count {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            if let Some(&to) = out[node].get(*next) {
                *next += 1;
                match state[to] {
                    0 => {
                        kept.push((node, to));
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    2 => kept.push((node, to)),
                    _ => {} // back edge: drawn, but not used to rank
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    kept
}

/// Each node's column: the longest path to it from a node with no incoming edge (Kahn's order).
fn longest_path_ranks(count: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut incoming = vec![0usize; count];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (from, to) in edges {
        incoming[*to] += 1;
        out[*from].push(*to);
    }
    let mut ranks = vec![0usize; count];
    let mut ready: Vec<usize> = (0..count).filter(|n| incoming[*n] == 0).rev().collect();
    while let Some(node) = ready.pop() {
        for &to in &out[node] {
            ranks[to] = ranks[to].max(ranks[node] + 1);
            incoming[to] -= 1;
            if incoming[to] == 0 {
                ready.push(to);
            }
        }
    }
    ranks
}

/// Nodes by column, each column ordered to reduce crossings.
fn order_columns(count: usize, ranks: &[usize], edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let columns_len = ranks.iter().max().map_or(0, |r| r + 1);
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); columns_len];
    for node in 0..count {
        columns[ranks[node]].push(node);
    }
    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (from, to) in edges {
        predecessors[*to].push(*from);
        successors[*from].push(*to);
    }
    // Position of each node within its column, normalised to 0..1 so columns of different
    // heights compare.
    let mut place = vec![0.0f64; count];
    let renumber = |columns: &Vec<Vec<usize>>, place: &mut Vec<f64>| {
        for column in columns {
            let len = column.len().max(1) as f64;
            for (row, node) in column.iter().enumerate() {
                place[*node] = (row as f64 + 0.5) / len;
            }
        }
    };
    renumber(&columns, &mut place);
    for sweep in 0..SWEEPS {
        let downward = sweep % 2 == 0;
        let neighbours = if downward { &predecessors } else { &successors };
        let order: Vec<usize> = if downward {
            (1..columns_len).collect()
        } else {
            (0..columns_len.saturating_sub(1)).rev().collect()
        };
        for rank in order {
            let mut keyed: Vec<(f64, usize, usize)> = columns[rank]
                .iter()
                .enumerate()
                .map(|(row, node)| {
                    let around = &neighbours[*node];
                    let key = if around.is_empty() {
                        place[*node]
                    } else {
                        around.iter().map(|n| place[*n]).sum::<f64>() / around.len() as f64
                    };
                    (key, row, *node)
                })
                .collect();
            // Ties keep their current order, so the layout is stable.
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            columns[rank] = keyed.into_iter().map(|(_, _, node)| node).collect();
            let len = columns[rank].len().max(1) as f64;
            for (row, node) in columns[rank].iter().enumerate() {
                place[*node] = (row as f64 + 0.5) / len;
            }
        }
    }
    columns
}

/// The curve of an edge from the right side of one box to the left side of another, as the
/// four points of a cubic Bézier. An edge that goes back or stays in its column loops below.
pub fn edge_curve(from: (f64, f64), to: (f64, f64)) -> [(f64, f64); 4] {
    let start = (from.0 + NODE_WIDTH, from.1 + NODE_HEIGHT / 2.0);
    let end = (to.0, to.1 + NODE_HEIGHT / 2.0);
    if end.0 > start.0 {
        let bend = (end.0 - start.0) / 2.0;
        [start, (start.0 + bend, start.1), (end.0 - bend, end.1), end]
    } else {
        let below = start.1.max(end.1) + NODE_HEIGHT;
        [
            start,
            (start.0 + COLUMN_GAP, below),
            (end.0 - COLUMN_GAP, below),
            end,
        ]
    }
}

/// A point at `t` (0..1) along a cubic Bézier.
pub fn point_on(curve: &[(f64, f64); 4], t: f64) -> (f64, f64) {
    let t = t.clamp(0.0, 1.0);
    let u = 1.0 - t;
    let [p0, p1, p2, p3] = curve;
    let x = u * u * u * p0.0 + 3.0 * u * u * t * p1.0 + 3.0 * u * t * t * p2.0 + t * t * t * p3.0;
    let y = u * u * u * p0.1 + 3.0 * u * u * t * p1.1 + 3.0 * u * t * t * p2.1 + t * t * t * p3.1;
    (x, y)
}

/// The SVG path data of a curve.
pub fn path_data(curve: &[(f64, f64); 4]) -> String {
    let [p0, p1, p2, p3] = curve;
    format!(
        "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
        p0.0, p0.1, p1.0, p1.1, p2.0, p2.1, p3.0, p3.1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_goes_left_to_right() {
        let placed = layout(4, &[(0, 1), (1, 2), (2, 3)]);
        assert_eq!(placed.ranks, vec![0, 1, 2, 3]);
        let xs: Vec<f64> = placed.positions.iter().map(|p| p.0).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_rank_is_the_longest_path_so_a_dlq_sits_right_of_its_queue() {
        // producer 0 → queue 1 → function 2, queue 1 → dlq 3, producer 0 → dlq 3 (a redrive).
        let placed = layout(4, &[(0, 1), (1, 2), (1, 3), (0, 3)]);
        assert_eq!(placed.ranks, vec![0, 1, 2, 2]);
    }

    #[test]
    fn a_cycle_is_broken_not_followed_forever() {
        // A rule feeding its own bus: bus 0 → rule 1 → bus 0.
        let placed = layout(2, &[(0, 1), (1, 0)]);
        assert_eq!(placed.ranks, vec![0, 1]);
        let self_loop = layout(1, &[(0, 0)]);
        assert_eq!(self_loop.ranks, vec![0]);
    }

    #[test]
    fn no_two_boxes_overlap_and_all_fit_in_the_drawing() {
        // 100 resources: ten buses, each with nine rules to one of 9 queues.
        let mut edges = Vec::new();
        for bus in 0..10 {
            for rule in 0..9 {
                let rule_node = 10 + bus * 9 + rule;
                edges.push((bus, rule_node));
                edges.push((rule_node, 100 + rule % 9));
            }
        }
        let count = 109;
        let placed = layout(count, &edges);
        for a in 0..count {
            let (ax, ay) = placed.positions[a];
            assert!(ax >= 0.0 && ay >= 0.0);
            assert!(ax + NODE_WIDTH <= placed.width && ay + NODE_HEIGHT <= placed.height);
            for b in a + 1..count {
                let (bx, by) = placed.positions[b];
                let apart = (ax - bx).abs() >= NODE_WIDTH || (ay - by).abs() >= NODE_HEIGHT;
                assert!(apart, "{a} and {b} overlap");
            }
        }
    }

    #[test]
    fn barycentres_uncross_two_parallel_chains() {
        // 0→3 and 1→2 would cross if column two kept index order.
        let placed = layout(4, &[(0, 3), (1, 2)]);
        assert!(placed.positions[3].1 < placed.positions[2].1);
    }

    #[test]
    fn points_follow_the_curve_from_end_to_end() {
        let curve = edge_curve((0.0, 0.0), (300.0, 100.0));
        assert_eq!(point_on(&curve, 0.0), curve[0]);
        assert_eq!(point_on(&curve, 1.0), curve[3]);
        let back = edge_curve((300.0, 0.0), (0.0, 0.0));
        assert!(point_on(&back, 0.5).1 > NODE_HEIGHT, "loops below");
    }

    #[test]
    fn out_of_range_edges_are_ignored() {
        let placed = layout(2, &[(0, 5), (7, 1)]);
        assert_eq!(placed.ranks, vec![0, 0]);
    }
}
