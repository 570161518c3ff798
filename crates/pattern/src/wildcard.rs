//! The `wildcard` operator (eb-create-pattern-operators, "Wildcard matching"): `*` matches
//! any run of characters, `\*` a literal star and `\\` a literal backslash.
//!
//! Parsing follows event-ruler's `WildcardParser` (positions are UTF-8 byte offsets, as its
//! messages give them). Matching is a linear greedy glob: the first piece anchors the start,
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
                    return Err(format!("Consecutive wildcard characters at pos {i}"));
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
                _ => return Err(format!("Invalid escape character at pos {i}")),
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
pub fn matches(pattern: &WildcardPattern, value: &str) -> bool {
    let pieces = &pattern.pieces;
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        return value.is_empty();
    };
    if pieces.len() == 1 {
        return value == first;
    }
    let Some(mut rest) = value.strip_prefix(first.as_str()) else {
        return false;
    };
    let middle = pieces.get(1..pieces.len() - 1).unwrap_or(&[]);
    for piece in middle {
        match rest.find(piece.as_str()) {
            Some(at) => rest = rest.get(at + piece.len()..).unwrap_or(""),
            None => return false,
        }
    }
    rest.ends_with(last.as_str())
}

/// How many ways a worst-case value can be part-way through this glob at once: one for the
/// start and each star, plus, for the piece after each star, the longest chain of its
/// self-overlaps (every border of a prefix of the piece is a position an input can sit at
/// simultaneously: `*aaaa` on `aaaa…` is in 4 places at once). This is the quantity
/// event-ruler's `MachineComplexityEvaluator` bounds ("the maximum number of wildcard rule
/// prefixes that could match a theoretical input value"), computed per pattern and summed
/// over the wildcard patterns that share a field.
pub fn complexity(pattern: &WildcardPattern) -> usize {
    let mut total = 1usize;
    for piece in pattern.pieces.iter().skip(1) {
        total = total
            .saturating_add(1)
            .saturating_add(max_border_chain(piece.as_bytes()));
    }
    total
}

/// The longest chain of borders over all prefixes of `piece` (KMP failure function).
fn max_border_chain(piece: &[u8]) -> usize {
    let n = piece.len();
    let mut failure = vec![0usize; n + 1];
    let mut chain = vec![0usize; n + 1];
    let mut best = 0;
    let mut k = 0usize;
    for i in 1..n {
        let c = piece.get(i).copied();
        while k > 0 && piece.get(k).copied() != c {
            k = failure.get(k).copied().unwrap_or(0);
        }
        if piece.get(k).copied() == c {
            k += 1;
        }
        if let Some(slot) = failure.get_mut(i + 1) {
            *slot = k;
        }
        let depth = if k == 0 {
            0
        } else {
            chain.get(k).copied().unwrap_or(0) + 1
        };
        if let Some(slot) = chain.get_mut(i + 1) {
            *slot = depth;
        }
        best = best.max(depth);
    }
    best
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

    #[test]
    fn reasons() {
        assert_eq!(
            parse("foo**bar").unwrap_err(),
            "Consecutive wildcard characters at pos 3"
        );
        assert_eq!(
            parse("foo*bar\\").unwrap_err(),
            "Invalid escape character at pos 7"
        );
        assert_eq!(
            parse("a\\b").unwrap_err(),
            "Invalid escape character at pos 1"
        );
    }

    #[test]
    fn complexity_grows_with_repeats_after_a_star() {
        assert_eq!(complexity(&parse("abc").unwrap()), 1);
        assert_eq!(complexity(&parse("a*b").unwrap()), 2);
        assert!(
            complexity(&parse("*aaaaaaaa").unwrap()) > complexity(&parse("*abcdefgh").unwrap())
        );
    }
}
