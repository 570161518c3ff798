//! The `wildcard` operator (eb-create-pattern-operators, "Wildcard matching"): `*` matches
//! any run of characters, `\*` a literal star and `\\` a literal backslash.
//!
//! Parsing follows event-ruler's `WildcardParser`, whose positions are UTF-8 byte offsets in the
//! value *as event-ruler quotes it* (`JsonRuleCompiler` parses `'"' + text + '"'`), so one more
//! than the offset in the text: `abc**def` is "Consecutive wildcard characters at pos 4", as
//! event-ruler's `testWildcardConsecutiveWildcards` records. Matching is a linear greedy glob: the first piece anchors the start,
//! the last the end, and the middle pieces are found leftmost in order, which is exact for a
//! glob whose only metacharacter is `*`.

use crate::model::WildcardPattern;

/// Parses a wildcard operand, with event-ruler's reason texts.
pub fn parse(text: &str) -> Result<WildcardPattern, String> {
    let bytes = text.as_bytes();
    let mut pieces: Vec<Vec<u8>> = vec![Vec::new()];
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'*' => {
                if bytes.get(i + 1) == Some(&b'*') {
                    return Err(format!("Consecutive wildcard characters at pos {}", i + 1));
                }
                pieces.push(Vec::new());
            }
            b'\\' => match bytes.get(i + 1) {
                Some(&next @ (b'*' | b'\\')) => {
                    if let Some(piece) = pieces.last_mut() {
                        piece.push(next);
                    }
                    i += 1;
                }
                _ => return Err(format!("Invalid escape character at pos {}", i + 1)),
            },
            _ => {
                if let Some(piece) = pieces.last_mut() {
                    piece.push(b);
                }
            }
        }
        i += 1;
    }
    // Splitting only at ASCII bytes keeps every piece valid UTF-8.
    let pieces = pieces
        .into_iter()
        .map(|p| String::from_utf8(p).unwrap_or_default())
        .collect();
    Ok(WildcardPattern {
        text: text.to_string(),
        pieces,
    })
}

/// Whether `value` matches the glob.
///
/// Byte by byte, without `str::starts_with`/`find`: pieces and event values are short, and
/// those calls (a `memcmp` per piece, a two-way searcher's set-up per `find`) were a quarter
/// of the matcher's time on the citylots WILDCARD workload (BENCHMARKS.md, issue 13).
/// Comparing bytes is exact for UTF-8: a piece found at any byte offset is a whole-character
/// match, since a valid UTF-8 sequence never begins inside another character.
pub fn matches(pattern: &WildcardPattern, value: &str) -> bool {
    let pieces = &pattern.pieces;
    let value = value.as_bytes();
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        return value.is_empty();
    };
    let (first, last) = (first.as_bytes(), last.as_bytes());
    if pieces.len() == 1 {
        return same(value, first);
    }
    let Some(mut rest) = value
        .split_at_checked(first.len())
        .and_then(|(head, rest)| same(head, first).then_some(rest))
    else {
        return false;
    };
    let middle = pieces.get(1..pieces.len() - 1).unwrap_or(&[]);
    for piece in middle {
        match find(rest, piece.as_bytes()) {
            Some(after) => rest = rest.get(after..).unwrap_or(&[]),
            None => return false,
        }
    }
    rest.len()
        .checked_sub(last.len())
        .and_then(|at| rest.get(at..))
        .is_some_and(|tail| same(tail, last))
}

/// Byte equality as a loop the compiler keeps inline (slice `==` calls `memcmp`).
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Where the leftmost occurrence of `needle` in `hay` ends. The first byte is found with
/// `memchr`, then the rest compared: linear for the short values events hold.
#[inline]
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&head, tail)) = needle.split_first() else {
        return Some(0);
    };
    let mut from = 0;
    while let Some(at) = hay.get(from..).and_then(|h| memchr::memchr(head, h)) {
        let start = from + at + 1;
        let end = start + tail.len();
        if hay.get(start..end).is_some_and(|h| same(h, tail)) {
            return Some(end);
        }
        from = start;
    }
    None
}

/// One step of a glob as event-ruler's byte machine sees it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    Byte(u8),
    Star,
}

/// The glob as event-ruler compiles it: UTF-8 bytes between the enclosing quotes that
/// `JsonRuleCompiler` adds to every string value.
fn tokens(pattern: &WildcardPattern, quoted: bool) -> Vec<Token> {
    let mut out = Vec::new();
    if quoted {
        out.push(Token::Byte(b'"'));
    }
    for (i, piece) in pattern.pieces.iter().enumerate() {
        if i > 0 {
            out.push(Token::Star);
        }
        out.extend(piece.bytes().map(Token::Byte));
    }
    if quoted {
        out.push(Token::Byte(b'"'));
    }
    out
}

/// Distinct states of the search above which a set of globs counts as too complex
/// outright (keeps validation fast on pathological input).
const STATES_MAX: usize = 10_000;

/// Event-ruler's `MachineComplexityEvaluator` measure for the wildcard patterns of one
/// field: the largest number of wildcard-pattern prefixes that one input value can match at
/// the same time (`*aa` on `aa` is inside `*`, `*a` and `*aa` at once: event-ruler's own
/// tests give these counts). Computed by walking the sets of active positions reachable by
/// some input, over the bytes the patterns use plus one byte they do not; stops as soon as
/// `limit` is exceeded and returns the count that exceeded it. Identical globs count once.
pub fn complexity(globs: &[&WildcardPattern], limit: usize) -> usize {
    measure(globs, limit, true)
}

fn measure(globs: &[&WildcardPattern], limit: usize, quoted: bool) -> usize {
    let mut unique: Vec<&WildcardPattern> = Vec::new();
    for glob in globs {
        if !unique.iter().any(|u| u.text == glob.text) {
            unique.push(glob);
        }
    }
    let machines: Vec<Vec<Token>> = unique.iter().map(|g| tokens(g, quoted)).collect();
    let mut alphabet: Vec<Option<u8>> = vec![None];
    for machine in &machines {
        for token in machine {
            if let Token::Byte(b) = token {
                if !alphabet.contains(&Some(*b)) {
                    alphabet.push(Some(*b));
                }
            }
        }
    }
    let closure = |set: &mut Vec<(usize, usize)>| {
        let mut i = 0;
        while let Some(&(g, pos)) = set.get(i) {
            let star = machines.get(g).and_then(|m| m.get(pos)) == Some(&Token::Star);
            if star && !set.contains(&(g, pos + 1)) {
                set.push((g, pos + 1));
            }
            i += 1;
        }
        set.sort_unstable();
    };
    let mut start: Vec<(usize, usize)> = (0..machines.len()).map(|g| (g, 0)).collect();
    closure(&mut start);
    let mut seen: std::collections::HashSet<Vec<(usize, usize)>> = std::collections::HashSet::new();
    let mut pending = vec![start];
    let mut worst = 0;
    while let Some(active) = pending.pop() {
        for byte in &alphabet {
            let mut next: Vec<(usize, usize)> = Vec::new();
            for &(g, pos) in &active {
                let Some(machine) = machines.get(g) else {
                    continue;
                };
                // After a star, any byte keeps the position (the star consumes it).
                if pos > 0
                    && machine.get(pos - 1) == Some(&Token::Star)
                    && !next.contains(&(g, pos))
                {
                    next.push((g, pos));
                }
                if let (Some(Token::Byte(expected)), Some(b)) = (machine.get(pos), byte) {
                    if expected == b && !next.contains(&(g, pos + 1)) {
                        next.push((g, pos + 1));
                    }
                }
            }
            if next.is_empty() {
                continue;
            }
            closure(&mut next);
            let count = next.len();
            if count > limit {
                return count;
            }
            worst = worst.max(count);
            if seen.len() >= STATES_MAX {
                return limit.saturating_add(1);
            }
            if seen.insert(next.clone()) {
                pending.push(next);
            }
        }
    }
    worst
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, v: &str) -> bool {
        matches(&parse(p).unwrap(), v)
    }

    // eb-create-pattern-operators, "Wildcard matching".
    #[test]
    fn globs() {
        assert!(m("dir/*.png", "dir/a.png"));
        assert!(!m("dir/*.png", "dir/a.jpg"));
        assert!(m("*", ""));
        assert!(m("*", "anything"));
        assert!(m("", ""));
        assert!(!m("", "x"));
        assert!(m("a*a", "aa"));
        assert!(!m("a*a", "a"));
        assert!(m("*x*y*", "axbyc"));
        assert!(!m("*x*y*", "aybxc"));
        assert!(m("a\\*b", "a*b"));
        assert!(!m("a\\*b", "axb"));
        assert!(m("a\\\\b", "a\\b"));
    }

    /// The glob by dynamic programming over (pattern, value) positions: slow and obviously
    /// right, the reference for the byte-wise greedy matcher.
    fn reference(glob: &[u8], value: &[u8]) -> bool {
        let mut can = vec![vec![false; value.len() + 1]; glob.len() + 1];
        can[glob.len()][value.len()] = true;
        for g in (0..glob.len()).rev() {
            for v in (0..=value.len()).rev() {
                can[g][v] = if glob[g] == b'*' {
                    can[g + 1][v] || (v < value.len() && can[g][v + 1])
                } else {
                    v < value.len() && glob[g] == value[v] && can[g + 1][v + 1]
                };
            }
        }
        can[0][0]
    }

    proptest::proptest! {
        #[test]
        fn greedy_matching_equals_the_reference(
            glob in "[ab*é]{0,8}",
            value in "[abé]{0,10}",
        ) {
            // consecutive stars are refused by the parser, and mean one star anyway
            let mut glob = glob;
            while glob.contains("**") {
                glob = glob.replace("**", "*");
            }
            let parsed = parse(&glob).expect("no escapes, no double stars");
            proptest::prop_assert_eq!(
                matches(&parsed, &value),
                reference(glob.as_bytes(), value.as_bytes()),
                "{} on {}", glob, value
            );
        }
    }

    #[test]
    fn reasons() {
        // Positions count the opening quote event-ruler adds (JsonRuleCompilerTest:
        // "abc**def" → pos 4).
        assert_eq!(
            parse("abc**def").unwrap_err(),
            "Consecutive wildcard characters at pos 4"
        );
        assert_eq!(
            parse("foo*bar\\").unwrap_err(),
            "Invalid escape character at pos 8"
        );
        assert_eq!(
            parse("a\\b").unwrap_err(),
            "Invalid escape character at pos 2"
        );
    }

    /// The measure on bare globs, as event-ruler's `MachineComplexityEvaluatorTest` adds
    /// them (production patterns carry quotes; see `complexity`).
    fn c(globs: &[&str]) -> usize {
        let parsed: Vec<WildcardPattern> = globs.iter().map(|g| parse(g).unwrap()).collect();
        let refs: Vec<&WildcardPattern> = parsed.iter().collect();
        measure(&refs, 1000, false)
    }

    #[test]
    fn complexity_follows_event_ruler_measure() {
        // The figures of event-ruler's MachineComplexityEvaluatorTest.
        assert_eq!(c(&["abc"]), 1);
        assert_eq!(c(&["a*b"]), 2);
        assert_eq!(c(&["*aa"]), 3);
        assert_eq!(c(&["a*bbb"]), 4);
        assert_eq!(c(&["*ab*ad"]), 4);
        assert_eq!(c(&["a*b*bb"]), 5);
        assert_eq!(c(&["a*aaa", "aa*aa"]), 7);
        assert_eq!(c(&["ab*c", "ab*c"]), 2);
        assert_eq!(c(&["*a*a*a*a*a*a*a*a*"]), 17);
        assert_eq!(c(&["*"]), 1);
        assert_eq!(c(&["aa*"]), 2);
        assert_eq!(c(&["a*bcd", "ab*cd"]), 4);
        assert_eq!(c(&["*ab*b*b*"]), 7);
        assert!(c(&["*aaaaaaaa"]) > c(&["*abcdefgh"]));
    }
}
