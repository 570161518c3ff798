//! Reading the shared conformance corpus: shared by this crate's conformance test and the
//! CLI's `check` test (`crates/cli/tests/pattern_commands.rs` includes this file by path).

/// The corpus was written by Python, whose `json` module writes `Infinity` and `NaN` for
/// the approximate parsed fields of cases that also carry exact `*_raw` text; read those
/// tokens (outside strings) as `null`.
pub fn python_json(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        let token = ["-Infinity", "Infinity", "NaN"]
            .into_iter()
            .find(|t| rest.starts_with(t));
        if let Some(t) = token {
            out.push_str("null");
            rest = &rest[t.len()..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}
