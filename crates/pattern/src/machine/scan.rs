//! The event flattener: one pass over the raw bytes of a JSON event that extracts only the
//! `(field, value, array trail)` triples some rule names, and skips everything else without
//! building values.
//!
//! Why: parsing a ~900-byte event into a `serde_json::Value` costs more than matching it (see
//! BENCHMARKS.md). Quamina's `flattener.go` and event-ruler's `ArrayMembership` showed the way:
//! walk the event against a trie of the paths the rules use, and remember for each value the
//! array elements it sits in (its *trail*) so a sub-pattern's fields can be required to come
//! from the same element ("array consistency", eb-event-patterns-arrays).
//!
//! Invariants:
//! - Never panics on any input: every byte access is bounds-checked (`peek`), nesting is
//!   limited to [`MAX_DEPTH`] (serde_json's own limit, so the reference interpreter and the
//!   machine reject the same events), and lengths are kept in `u32` only after a size check.
//! - Paths are compared segment by segment; an event key with a dot is split into segments, so
//!   `{"a.b": 1}` and `{"a": {"b": 1}}` reach the same trie node (dotted keys equal nesting).
//! - Within one object a repeated key replaces the earlier value (serde_json keeps the last
//!   one, and the interpreter sees what serde_json built).
//! - Parts of the event that no rule names are checked only for balanced brackets and closed
//!   strings; parts that are read are checked fully.

/// serde_json refuses events nested deeper than this; so does the scanner.
pub(crate) const MAX_DEPTH: usize = 128;

/// A trie node id; the root is 0. A node that some condition tests is a *field*.
pub(crate) type NodeId = u32;

/// Marks an entry removed because a later duplicate key replaced it.
const DEAD: NodeId = NodeId::MAX;

/// The paths the rules name, one node per path segment.
#[derive(Debug, Clone)]
pub(crate) struct FieldTrie {
    nodes: Vec<TrieNode>,
}

/// A child whose segment is shorter than 16 bytes.
#[derive(Debug, Clone)]
struct ShortChild {
    /// the segment, packed (`pack`)
    packed: u128,
    len: usize,
    /// the segment followed by a dot, packed, and the mask of its bytes: a short event key
    /// starting with it is a dotted key that leads into this child (never equal when the
    /// segment has 15 bytes: such a dotted key is not short)
    dotted: u128,
    dotted_mask: u128,
    id: NodeId,
}

#[derive(Debug, Clone, Default)]
struct TrieNode {
    /// Children by segment bytes; short lists beat hashing for the few keys JSON objects have.
    children: Vec<(Box<[u8]>, NodeId)>,
    /// The children whose segment is shorter than 16 bytes, packed (`pack`): an event key that
    /// short is found with one integer compare per child.
    short: Vec<ShortChild>,
    /// One bit per byte value that a key leading into a short child can start with (its
    /// segment's first byte; byte 0 and `.` for an empty segment): most keys of an event name
    /// no child, and this turns them away with one bit test instead of a walk of `short`.
    short_first: [u64; 4],
    /// Some condition tests the leaf values found at this path.
    is_field: bool,
    /// The node one segment up (the root is its own parent): tells a key that names a child
    /// directly from a dotted key that leads deeper (`Scanner::object`'s early stop).
    parent: NodeId,
}

impl Default for FieldTrie {
    fn default() -> Self {
        FieldTrie {
            nodes: vec![TrieNode::default()],
        }
    }
}

impl FieldTrie {
    /// The node of a path (its segments), created if needed, marked as a field.
    pub(crate) fn insert<S: AsRef<str>>(&mut self, segments: &[S]) -> NodeId {
        let mut node: NodeId = 0;
        for segment in segments {
            for part in segment.as_ref().split('.') {
                node = self.child_or_insert(node, part.as_bytes());
            }
        }
        if let Some(n) = self.nodes.get_mut(node as usize) {
            n.is_field = true;
        }
        node
    }

    fn child_or_insert(&mut self, node: NodeId, key: &[u8]) -> NodeId {
        if let Some(child) = self.child(node, key) {
            return child;
        }
        let id = self.nodes.len() as NodeId;
        self.nodes.push(TrieNode {
            parent: node,
            ..TrieNode::default()
        });
        if let Some(n) = self.nodes.get_mut(node as usize) {
            n.children.push((key.into(), id));
            if key.len() < 16 {
                let len = key.len();
                let mut chunk = [0u8; 16];
                if let Some(dst) = chunk.get_mut(..len) {
                    dst.copy_from_slice(key);
                }
                let packed = pack(&chunk, len);
                let (dotted, dotted_mask) = if len < 15 {
                    (packed | u128::from(b'.') << (8 * len), low_bytes(len + 1))
                } else {
                    (u128::MAX, 0)
                };
                n.short.push(ShortChild {
                    packed,
                    len,
                    dotted,
                    dotted_mask,
                    id,
                });
                // a key equal to the segment, or a dotted key starting with it, starts with
                // its first byte; an empty segment is met by "" (packed: byte 0) or ".x"
                let firsts: &[u8] = match key.first() {
                    Some(first) => &[*first][..],
                    None => &[0, b'.'][..],
                };
                for &b in firsts {
                    if let Some(word) = n.short_first.get_mut(usize::from(b >> 6)) {
                        *word |= 1 << (b & 63);
                    }
                }
            }
        }
        id
    }

    #[inline]
    fn child(&self, node: NodeId, key: &[u8]) -> Option<NodeId> {
        let n = self.nodes.get(node as usize)?;
        n.children
            .iter()
            .find(|(k, _)| k.as_ref() == key)
            .map(|(_, id)| *id)
    }

    /// The child of `node` a short event key (`packed` by `pack`, `len` < 16 bytes) names:
    /// Ok(Some) when it is a segment, Ok(None) when it leads nowhere, Err(()) when it may be a
    /// dotted key leading into a child (the caller then splits it).
    #[inline]
    fn short_child(&self, node: NodeId, packed: u128, len: usize) -> Result<Option<NodeId>, ()> {
        let Some(n) = self.nodes.get(node as usize) else {
            return Ok(None);
        };
        let first = packed as u8; // the key's first byte (0 for an empty key)
        let word = n
            .short_first
            .get(usize::from(first >> 6))
            .copied()
            .unwrap_or(0);
        if word & (1 << (first & 63)) == 0 {
            return Ok(None);
        }
        let mut dotted = false;
        for c in &n.short {
            if c.packed == packed && c.len == len {
                return Ok(Some(c.id));
            }
            dotted |= packed & c.dotted_mask == c.dotted;
        }
        if dotted {
            Err(())
        } else {
            Ok(None)
        }
    }

    /// The node reached from `node` by an event key, splitting the key on dots.
    #[inline]
    fn descend(&self, node: NodeId, key: &[u8]) -> Option<NodeId> {
        // segments never hold a dot, so a direct hit needs no dot check, and most keys are
        // short enough that the check is cheaper than a vectorised search call
        if let Some(child) = self.child(node, key) {
            return Some(child);
        }
        if !key.contains(&b'.') {
            return None;
        }
        key.split(|&b| b == b'.')
            .try_fold(node, |at, part| self.child(at, part))
    }

    #[inline]
    fn is_field(&self, node: NodeId) -> bool {
        self.nodes.get(node as usize).is_some_and(|n| n.is_field)
    }

    #[inline]
    fn has_children(&self, node: NodeId) -> bool {
        self.nodes
            .get(node as usize)
            .is_some_and(|n| !n.children.is_empty())
    }

    #[inline]
    fn child_count(&self, node: NodeId) -> usize {
        self.nodes
            .get(node as usize)
            .map_or(0, |n| n.children.len())
    }

    #[inline]
    fn is_child_of(&self, child: NodeId, node: NodeId) -> bool {
        self.nodes
            .get(child as usize)
            .is_some_and(|n| n.parent == node)
    }

    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }
}

/// The JSON type of a flattened leaf value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Unescaped string bytes (valid UTF-8).
    Str,
    /// The number token exactly as written.
    Num,
    True,
    False,
    Null,
}

/// One step of an array trail: the value sits in element `index` of array `array` (arrays are
/// numbered in the order the scanner meets them within one event). Only object and array
/// elements make steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step {
    pub array: u32,
    pub index: u32,
}

/// One flattened leaf value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub node: NodeId,
    pub kind: Kind,
    /// Where the bytes are: in the event, or (unescaped) in `Flat::scratch`.
    pub in_scratch: bool,
    pub start: u32,
    pub end: u32,
    pub trail_start: u32,
    pub trail_len: u32,
}

/// The flattened event, reused between events to avoid allocation.
#[derive(Debug, Default)]
pub(crate) struct Flat {
    pub entries: Vec<Entry>,
    pub trails: Vec<Step>,
    pub scratch: Vec<u8>,
    stack: Vec<Step>,
    seen: Vec<(NodeId, u32, u32)>,
}

impl Flat {
    /// The bytes of an entry's value.
    #[inline]
    pub(crate) fn bytes<'a>(&'a self, event: &'a [u8], e: &Entry) -> &'a [u8] {
        let src = if e.in_scratch {
            &self.scratch[..]
        } else {
            event
        };
        src.get(e.start as usize..e.end as usize).unwrap_or(&[])
    }

    #[inline]
    pub(crate) fn trail(&self, e: &Entry) -> &[Step] {
        let start = e.trail_start as usize;
        self.trails
            .get(start..start + e.trail_len as usize)
            .unwrap_or(&[])
    }

    /// Live entries (not replaced by a duplicate key).
    #[cfg(test)]
    pub(crate) fn live(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.node != DEAD)
    }
}

/// The event is not well-formed JSON (or nests too deep, or is too large).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ScanError {
    pub offset: usize,
}

type Scan<T> = Result<T, ScanError>;

/// Flattens `event` against `trie` into `out` (cleared first).
pub(crate) fn flatten(trie: &FieldTrie, event: &[u8], out: &mut Flat) -> Scan<()> {
    flatten_with::<false>(trie, event, out)
}

/// Like [`flatten`], but stops reading as soon as every path of the trie that the event can
/// still hold has been read: once an object has shown each child of its trie node, and every
/// object around it is in the same state, nothing later can add or change an entry — *provided*
/// no object repeats a key and no path is spelled twice (`"a.b"` beside `"a": {"b"}`), and the
/// rest of the event is well-formed. Neither is checked (that is the point): the caller
/// promises it (`Machine::try_matching_ids_stop_early`). Arrays never stop early (a later
/// element may hold the path again), and neither does an object where a dotted key led deeper.
pub(crate) fn flatten_stopping_early(trie: &FieldTrie, event: &[u8], out: &mut Flat) -> Scan<()> {
    flatten_with::<true>(trie, event, out)
}

/// `STOP`: whether the scan may end before the event does (see `flatten_stopping_early`); a
/// constant so that the checked scan carries none of its tests.
fn flatten_with<const STOP: bool>(trie: &FieldTrie, event: &[u8], out: &mut Flat) -> Scan<()> {
    out.entries.clear();
    out.trails.clear();
    out.scratch.clear();
    out.stack.clear();
    out.seen.clear();
    // Offsets are kept in `u32`: events of u32::MAX bytes or more are refused (written without
    // a `usize` constant, which on 32-bit targets would be usize::MAX).
    if !matches!(u32::try_from(event.len()), Ok(n) if n < u32::MAX) {
        return Err(ScanError { offset: 0 });
    }
    let mut s = Scanner::<STOP> {
        b: event,
        i: 0,
        trie,
        out,
        arrays: 0,
    };
    s.ws();
    if s.value(0, 0, STOP)? {
        return Ok(()); // stopped early: the rest is not read (flatten_stopping_early)
    }
    s.ws();
    if s.i != s.b.len() {
        return Err(s.err());
    }
    Ok(())
}

/// What `Scanner::short_member` read.
enum ShortKey {
    /// A `"key":"value"` member whose key names no child: skipped whole.
    MemberSkipped,
    /// Only the key: the child it names, if any.
    Child(Option<NodeId>),
}

struct Scanner<'a, 'o, const STOP: bool> {
    b: &'a [u8],
    i: usize,
    trie: &'a FieldTrie,
    out: &'o mut Flat,
    arrays: u32,
}

impl<const STOP: bool> Scanner<'_, '_, STOP> {
    #[inline]
    fn peek(&self) -> u8 {
        self.b.get(self.i).copied().unwrap_or(0)
    }

    #[inline]
    fn err(&self) -> ScanError {
        ScanError { offset: self.i }
    }

    #[inline]
    fn ws(&mut self) {
        while matches!(self.peek(), b' ' | b'\n' | b'\r' | b'\t') {
            self.i += 1;
        }
    }

    #[inline]
    fn expect(&mut self, byte: u8) -> Scan<()> {
        if self.peek() == byte {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err())
        }
    }

    /// A value at trie node `node`. `last` (only with `STOP`): once this value has shown every
    /// path below `node`, the whole event has (see `flatten_stopping_early`). True when the
    /// scan stopped early inside it (`self.i` is then meaningless).
    fn value(&mut self, node: NodeId, depth: usize, last: bool) -> Scan<bool> {
        match self.peek() {
            b'{' => {
                if self.trie.has_children(node) {
                    self.object(node, depth, last)
                } else {
                    self.skip_value(depth).map(|()| false)
                }
            }
            b'[' => self.array(node, depth).map(|()| false),
            b'"' => {
                if self.trie.is_field(node) {
                    let (start, end, in_scratch) = self.string()?;
                    self.push(node, Kind::Str, start, end, in_scratch);
                    Ok(false)
                } else {
                    self.skip_string().map(|()| false)
                }
            }
            _ => {
                let start = self.i;
                let kind = self.scalar()?;
                if self.trie.is_field(node) {
                    self.push(node, kind, start as u32, self.i as u32, false);
                }
                Ok(false)
            }
        }
    }

    fn push(&mut self, node: NodeId, kind: Kind, start: u32, end: u32, in_scratch: bool) {
        let trail_start = self.out.trails.len() as u32;
        let trail_len = self.out.stack.len() as u32;
        if trail_len > 0 {
            self.out.trails.extend_from_slice(&self.out.stack);
        }
        self.out.entries.push(Entry {
            node,
            kind,
            in_scratch,
            start,
            end,
            trail_start,
            trail_len,
        });
    }

    fn object(&mut self, node: NodeId, depth: usize, last: bool) -> Scan<bool> {
        if depth >= MAX_DEPTH {
            return Err(self.err());
        }
        self.i += 1;
        self.ws();
        if self.peek() == b'}' {
            self.i += 1;
            return Ok(false);
        }
        let seen_base = self.out.seen.len();
        // early stop: how many children of `node` this object must show (the `seen` list holds
        // each child once), and whether it still may stop (not after a dotted key)
        let children = if STOP { self.trie.child_count(node) } else { 0 };
        let mut may_stop = STOP && last;
        loop {
            if self.peek() != b'"' {
                return Err(self.err());
            }
            // a compact string member no rule names is skipped in one step (its own copy of the
            // loop's tail: sharing one tail with the long way cost 3 % more instructions); any
            // other member with a short key has its key read once, from the same window
            let child = match self.short_member(node) {
                Some(ShortKey::MemberSkipped) => {
                    if self.object_closes()? {
                        break;
                    }
                    continue;
                }
                Some(ShortKey::Child(child)) => child,
                None => self.key_child(node)?,
            };
            if self.peek() == b':' {
                self.i += 1;
            } else {
                self.ws();
                self.expect(b':')?;
            }
            self.ws();
            match child {
                Some(child) => {
                    let mut child_last = false;
                    if STOP && may_stop {
                        if self.trie.is_child_of(child, node) {
                            // the one child not shown yet: once its value is read, all is
                            child_last = self.out.seen.len() - seen_base + 1 == children;
                        } else {
                            may_stop = false; // a dotted key: counting children says nothing
                        }
                    }
                    let first = self.out.entries.len() as u32;
                    if self.value(child, depth + 1, child_last)? {
                        return Ok(true);
                    }
                    let end = self.out.entries.len() as u32;
                    self.replace_duplicate(seen_base, child, first, end);
                    if child_last {
                        return Ok(true);
                    }
                }
                // most skipped members are strings: no call for them
                None if self.peek() == b'"' => self.skip_string()?,
                None => self.skip_value(depth + 1)?,
            }
            if self.object_closes()? {
                break;
            }
        }
        self.out.seen.truncate(seen_base);
        Ok(false)
    }

    /// After a member: true at the object's `}`, false after a `,` (both consumed).
    #[inline(always)]
    fn object_closes(&mut self) -> Scan<bool> {
        self.ws();
        match self.peek() {
            b',' => {
                self.i += 1;
                self.ws();
                Ok(false)
            }
            b'}' => {
                self.i += 1;
                Ok(true)
            }
            _ => Err(self.err()),
        }
    }

    /// The member at `self.i` (its key's opening quote) read from one window when its key is
    /// short (`skip::short_member`): skipped whole when it names no child of `node` and holds
    /// a string, else its key read (`self.i` then after the key) and the child it names.
    #[inline]
    fn short_member(&mut self, node: NodeId) -> Option<ShortKey> {
        let m = super::skip::short_member(self.b, self.i + 1)?;
        let found = self
            .trie
            .short_child(node, pack(&m.key_window, m.key_len), m.key_len);
        if let (Ok(None), Some(value_end)) = (found, m.value_end) {
            self.i = value_end + 1;
            return Some(ShortKey::MemberSkipped);
        }
        let start = self.i + 1;
        let end = start + m.key_len;
        self.i = end + 1;
        Some(ShortKey::Child(match found {
            Ok(child) => child,
            // maybe a dotted key leading into a child: split it
            Err(()) => self
                .trie
                .descend(node, self.b.get(start..end).unwrap_or(&[])),
        }))
    }

    /// Reads the object key at `self.i` (its opening quote) and returns the trie child of
    /// `node` it leads to, if any: the long way, for keys `short_member` does not take (long,
    /// escaped or within 32 bytes of the event's end). Short printable keys take one 16-byte
    /// vector compare to find their end and one integer compare per child of `node`.
    #[inline]
    fn key_child(&mut self, node: NodeId) -> Scan<Option<NodeId>> {
        let start = self.i + 1;
        if let Some((end, true)) = super::skip::short_string_end(self.b, start) {
            let len = end - start;
            if let Some(chunk) = self
                .b
                .get(start..start + 16)
                .and_then(|c| <&[u8; 16]>::try_from(c).ok())
            {
                self.i = end + 1;
                let packed = pack(chunk, len);
                return match self.trie.short_child(node, packed, len) {
                    Ok(child) => Ok(child),
                    Err(()) => {
                        let key = self.b.get(start..end).unwrap_or(&[]);
                        Ok(self.trie.descend(node, key))
                    }
                };
            }
        }
        let (start, end, in_scratch) = self.string()?;
        let src = if in_scratch {
            &self.out.scratch[..]
        } else {
            self.b
        };
        let key = src.get(start as usize..end as usize).unwrap_or(&[]);
        Ok(self.trie.descend(node, key))
    }

    /// A key seen twice in one object: the earlier value's entries die (last one wins).
    fn replace_duplicate(&mut self, seen_base: usize, child: NodeId, first: u32, last: u32) {
        let seen = self.out.seen.get_mut(seen_base..).unwrap_or(&mut []);
        if let Some(slot) = seen.iter_mut().find(|(n, _, _)| *n == child) {
            let (old_first, old_last) = (slot.1, slot.2);
            *slot = (child, first, last);
            for e in self
                .out
                .entries
                .get_mut(old_first as usize..old_last as usize)
                .unwrap_or(&mut [])
            {
                e.node = DEAD;
            }
        } else {
            self.out.seen.push((child, first, last));
        }
    }

    fn array(&mut self, node: NodeId, depth: usize) -> Scan<()> {
        if depth >= MAX_DEPTH {
            return Err(self.err());
        }
        let array = self.arrays;
        self.arrays = self.arrays.wrapping_add(1);
        self.i += 1;
        self.ws();
        if self.peek() == b']' {
            self.i += 1;
            return Ok(());
        }
        let mut index: u32 = 0;
        loop {
            // Like event-ruler's `Event.loadArray` (and the interpreter), only object and
            // array elements enter the trail: a scalar element is one more value of the path.
            // (never `last`: a later element may hold the same paths again)
            if matches!(self.peek(), b'{' | b'[') {
                self.out.stack.push(Step { array, index });
                self.value(node, depth + 1, false)?;
                self.out.stack.pop();
            } else {
                self.value(node, depth + 1, false)?;
            }
            self.ws();
            match self.peek() {
                b',' => {
                    self.i += 1;
                    self.ws();
                    index = index.wrapping_add(1);
                }
                b']' => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.err()),
            }
        }
    }

    /// A string at `self.i` (the opening quote): returns where its unescaped bytes are.
    ///
    /// Keys and values are short, so a byte loop beats a call to a vectorised search; only
    /// strings with escapes, control bytes or non-ASCII bytes take the slow path.
    #[inline]
    fn string(&mut self) -> Scan<(u32, u32, bool)> {
        let start = self.i + 1;
        if let Some((end, true)) = super::skip::short_string_end(self.b, start) {
            self.i = end + 1;
            return Ok((start as u32, end as u32, false));
        }
        let mut i = start;
        loop {
            let c = *self.b.get(i).ok_or(ScanError { offset: i })?;
            if c == b'"' {
                self.i = i + 1;
                return Ok((start as u32, i as u32, false));
            }
            if c == b'\\' || !(0x20..0x80).contains(&c) {
                return self.slow_string(start);
            }
            i += 1;
        }
    }

    /// A string with escapes or non-ASCII bytes: checked, and decoded into scratch if needed.
    fn slow_string(&mut self, start: usize) -> Scan<(u32, u32, bool)> {
        let rest = self.b.get(start..).unwrap_or(&[]);
        match memchr::memchr2(b'"', b'\\', rest) {
            Some(n) if rest.get(n) == Some(&b'"') => {
                let raw = rest.get(..n).unwrap_or(&[]);
                if raw.iter().any(|&c| c < 0x20) || std::str::from_utf8(raw).is_err() {
                    return Err(ScanError { offset: start });
                }
                self.i = start + n + 1;
                Ok((start as u32, (start + n) as u32, false))
            }
            Some(_) => self.escaped_string(start),
            None => Err(ScanError {
                offset: self.b.len(),
            }),
        }
    }

    /// A string with escapes: decoded into the scratch buffer.
    fn escaped_string(&mut self, start: usize) -> Scan<(u32, u32, bool)> {
        let out_start = self.out.scratch.len();
        self.i = start;
        loop {
            let c = self.peek();
            match c {
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\\' => {
                    self.i += 1;
                    let e = self.peek();
                    self.i += 1;
                    let simple = match e {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 0x08,
                        b'f' => 0x0c,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'u' => {
                            for ch in self.unicode_escape()?.into_iter().flatten() {
                                let mut buf = [0u8; 4];
                                self.out
                                    .scratch
                                    .extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                            }
                            continue;
                        }
                        _ => return Err(self.err()),
                    };
                    self.out.scratch.push(simple);
                }
                0..=0x1f => return Err(self.err()),
                _ => {
                    self.out.scratch.push(c);
                    self.i += 1;
                }
            }
        }
        let decoded = self.out.scratch.get(out_start..).unwrap_or(&[]);
        if std::str::from_utf8(decoded).is_err() {
            return Err(self.err());
        }
        Ok((out_start as u32, self.out.scratch.len() as u32, true))
    }

    fn hex4(&mut self) -> Scan<u32> {
        let digits = self.b.get(self.i..self.i + 4).ok_or(self.err())?;
        let mut v = 0u32;
        for &d in digits {
            let x = (d as char)
                .to_digit(16)
                .ok_or(ScanError { offset: self.i })?;
            v = v * 16 + x;
        }
        self.i += 4;
        Ok(v)
    }

    /// After `\u`: one code point, joining a surrogate pair. A lone surrogate is no error:
    /// AWS's parser (Jackson, in event-ruler) accepts it as one UTF-16 unit, and the reference
    /// reader (`json.rs`) reads it as U+FFFD; this decodes exactly as that reader does, so the
    /// machine and the interpreter agree on every event (a high surrogate followed by an escape
    /// that is not a low one gives U+FFFD and that escape's own character).
    fn unicode_escape(&mut self) -> Scan<[Option<char>; 2]> {
        const REPLACEMENT: char = '\u{FFFD}';
        let hi = self.hex4()?;
        if !(0xD800..0xDC00).contains(&hi) {
            return Ok([Some(char::from_u32(hi).unwrap_or(REPLACEMENT)), None]);
        }
        if self.peek() != b'\\' || self.b.get(self.i + 1) != Some(&b'u') {
            return Ok([Some(REPLACEMENT), None]);
        }
        self.i += 2;
        let lo = self.hex4()?;
        if !(0xDC00..0xE000).contains(&lo) {
            return Ok([
                Some(REPLACEMENT),
                Some(char::from_u32(lo).unwrap_or(REPLACEMENT)),
            ]);
        }
        let code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
        Ok([Some(char::from_u32(code).unwrap_or(REPLACEMENT)), None])
    }

    /// A number or literal at `self.i`.
    fn scalar(&mut self) -> Scan<Kind> {
        let rest = self.b.get(self.i..).unwrap_or(&[]);
        for (word, kind) in [
            (&b"true"[..], Kind::True),
            (b"false", Kind::False),
            (b"null", Kind::Null),
        ] {
            if rest.starts_with(word) {
                self.i += word.len();
                return Ok(kind);
            }
        }
        let n = number_len(rest).ok_or(self.err())?;
        self.i += n;
        Ok(Kind::Num)
    }

    #[inline]
    fn skip_string(&mut self) -> Scan<()> {
        if let Some((end, _)) = super::skip::short_string_end(self.b, self.i + 1) {
            self.i = end + 1;
            return Ok(());
        }
        let mut i = self.i + 1;
        loop {
            match *self.b.get(i).ok_or(ScanError { offset: i })? {
                b'"' => {
                    self.i = i + 1;
                    return Ok(());
                }
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
    }

    /// Skips one value no rule looks into: containers by bracket counting only.
    fn skip_value(&mut self, depth: usize) -> Scan<()> {
        match self.peek() {
            b'"' => self.skip_string(),
            b'{' | b'[' => self.skip_container(depth),
            _ => self.scalar().map(|_| ()),
        }
    }

    fn skip_container(&mut self, depth: usize) -> Scan<()> {
        match super::skip::skip_container(self.b, self.i, depth, MAX_DEPTH) {
            Ok(end) => {
                self.i = end;
                Ok(())
            }
            Err(offset) => Err(ScanError { offset }),
        }
    }
}

/// The first `len` (< 16) bytes of `chunk` as a little-endian integer, the rest zero.
#[inline]
fn pack(chunk: &[u8; 16], len: usize) -> u128 {
    u128::from_le_bytes(*chunk) & low_bytes(len)
}

/// A mask of the low `len` bytes of a u128 (`len` <= 16).
#[inline]
fn low_bytes(len: usize) -> u128 {
    const LOW: [u128; 17] = {
        let mut t = [0u128; 17];
        let mut i = 1;
        while i < 17 {
            t[i] = (t[i - 1] << 8) | 0xff;
            i += 1;
        }
        t
    };
    LOW.get(len).copied().unwrap_or(u128::MAX)
}

/// Length of a JSON number token at the start of `b` (RFC 8259 grammar), or None.
fn number_len(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    if at(i) == b'-' {
        i += 1;
    }
    match at(i) {
        b'0' => i += 1,
        b'1'..=b'9' => {
            while at(i).is_ascii_digit() {
                i += 1;
            }
        }
        _ => return None,
    }
    if at(i) == b'.' {
        i += 1;
        if !at(i).is_ascii_digit() {
            return None;
        }
        while at(i).is_ascii_digit() {
            i += 1;
        }
    }
    if matches!(at(i), b'e' | b'E') {
        i += 1;
        if matches!(at(i), b'+' | b'-') {
            i += 1;
        }
        if !at(i).is_ascii_digit() {
            return None;
        }
        while at(i).is_ascii_digit() {
            i += 1;
        }
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (path, value, trail) of every live entry.
    type Flattened = Vec<(String, String, Vec<(u32, u32)>)>;

    fn check(paths: &[&str], event: &str) -> Flattened {
        let mut trie = FieldTrie::default();
        let ids: Vec<(NodeId, &str)> = paths.iter().map(|p| (trie.insert(&[*p]), *p)).collect();
        let mut flat = Flat::default();
        flatten(&trie, event.as_bytes(), &mut flat).expect("valid event");
        flat.live()
            .map(|e| {
                let name = ids
                    .iter()
                    .find(|(id, _)| *id == e.node)
                    .map(|(_, p)| p.to_string())
                    .unwrap_or_default();
                let value = String::from_utf8_lossy(flat.bytes(event.as_bytes(), e)).into_owned();
                let trail = flat.trail(e).iter().map(|s| (s.array, s.index)).collect();
                (name, value, trail)
            })
            .collect()
    }

    #[test]
    fn extracts_only_named_fields() {
        let got = check(
            &["a.b", "c"],
            r#"{"x": {"deep": [1, {"b": "no"}, "]"]}, "a": {"b": "yes", "z": 2}, "c": 3}"#,
        );
        assert_eq!(
            got,
            vec![
                ("a.b".into(), "yes".into(), vec![]),
                ("c".into(), "3".into(), vec![])
            ]
        );
    }

    #[test]
    fn dotted_event_keys_equal_nesting() {
        let got = check(&["a.b"], r#"{"a.b": true}"#);
        assert_eq!(got, vec![("a.b".into(), "true".into(), vec![])]);
    }

    #[test]
    fn short_long_and_dotted_keys() {
        // 15-byte keys are packed, 16-byte ones are not; a short dotted key is split only when
        // it starts with a child's segment and a dot
        let got = check(
            &[
                "abcdefghijklmno",
                "abcdefghijklmnop",
                "abcdefghijkl.xy",
                "a.b",
            ],
            r#"{"abcdefghijklmno": 1, "abcdefghijklmnop": 2, "abcdefghijkl.xy": 3, "a.b": 4,
                "ab": 0, "a.c": 0, "abcdefghijklmn": 0, "abcdefghijkl": {"xy": 5}, "a": {"b": 6}}"#,
        );
        let values: Vec<String> = got.into_iter().map(|(_, v, _)| v).collect();
        assert_eq!(values, vec!["1", "2", "3", "4", "5", "6"]);
    }

    #[test]
    fn compact_members_skipped_in_one_step_or_read() {
        // `"key":"value"` members are skipped whole (`Scanner::short_member`) unless the key
        // names a child or may be a dotted key into one
        let got = check(
            &["a.b", "k"],
            r#"{"x":"1","a.b":"2","a.c":"3","k":"4","ab":"5","a":{"b":"6"},"k2":"\"","y":"7"}"#,
        );
        let values: Vec<String> = got.into_iter().map(|(_, v, _)| v).collect();
        assert_eq!(values, vec!["2", "4", "6"]);
    }

    #[test]
    fn empty_segments_pass_the_first_byte_filter() {
        // a path with an empty segment is reached by an empty key, by a dotted key starting
        // with `.`, and by a key holding both dots (`TrieNode::short_first`)
        let got = check(&["x..y"], r#"{"x":{"":{"y":1},".y":2},"x..y":3}"#);
        let values: Vec<String> = got.into_iter().map(|(_, v, _)| v).collect();
        assert_eq!(values, vec!["1", "2", "3"]);
    }

    #[test]
    fn arrays_record_trails() {
        let got = check(&["e.n"], r#"{"e": [{"n": "x"}, {"n": ["y", "z"]}]}"#);
        assert_eq!(
            got,
            vec![
                ("e.n".into(), "x".into(), vec![(0, 0)]),
                ("e.n".into(), "y".into(), vec![(0, 1)]),
                ("e.n".into(), "z".into(), vec![(0, 1)]),
            ]
        );
    }

    #[test]
    fn escapes_are_decoded() {
        let got = check(&["k"], r#"{"\u006b": "a\"b\u00e9\ud83d\ude00"}"#);
        assert_eq!(got, vec![("k".into(), "a\"bé😀".into(), vec![])]);
    }

    #[test]
    fn last_duplicate_key_wins() {
        let got = check(&["a"], r#"{"a": 1, "b": 0, "a": [2, 3]}"#);
        let values: Vec<String> = got.into_iter().map(|(_, v, _)| v).collect();
        assert_eq!(values, vec!["2", "3"]);
    }

    #[test]
    fn malformed_events_are_errors_not_panics() {
        let trie = {
            let mut t = FieldTrie::default();
            t.insert(&["a"]);
            t
        };
        let mut flat = Flat::default();
        for bad in [
            "",
            "{",
            "{\"a\"",
            "{\"a\":}",
            "{\"a\": tru}",
            "{\"a\": \"x}",
            "{\"b\": [1, 2}",
            "[",
            "{\"a\": 01}",
            // (A lone surrogate, "\ud800", is read as U+FFFD as AWS's Jackson accepts it:
            // tests/robustness.rs checks the machine against the interpreter on it.)
            "{} x",
            "{\"a\": -}",
        ] {
            assert!(flatten(&trie, bad.as_bytes(), &mut flat).is_err(), "{bad}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(flatten(&trie, deep.as_bytes(), &mut flat).is_err());
        let deep_skipped = format!("{{\"b\": {}}}", "[".repeat(200) + &"]".repeat(200));
        assert!(flatten(&trie, deep_skipped.as_bytes(), &mut flat).is_err());
    }
}
