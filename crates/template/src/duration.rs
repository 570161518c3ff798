//! Durations as people write them in playground settings and on the command line: `250ms`, `5s`,
//! `10m`, `2h`, `1d`, or a bare number of seconds. Virtual time is kept in milliseconds.

/// Parse a duration into milliseconds. `None` for anything else (negative, overflow, unknown unit).
pub fn parse_duration_ms(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let scale_ms = match unit.trim() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1_000.0,
        "ms" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60_000.0,
        "h" | "hour" | "hours" => 3_600_000.0,
        "d" | "day" | "days" => 86_400_000.0,
        _ => return None,
    };
    let ms = value * scale_ms;
    // 2^53 ms is about 285,000 years: far beyond any run, and exact in f64.
    if !ms.is_finite() || !(0.0..=9_007_199_254_740_992.0).contains(&ms) {
        return None;
    }
    Some(ms.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(parse_duration_ms("10m"), Some(600_000));
        assert_eq!(parse_duration_ms("5s"), Some(5_000));
        assert_eq!(parse_duration_ms("250ms"), Some(250));
        assert_eq!(parse_duration_ms("1.5"), Some(1_500));
        assert_eq!(parse_duration_ms("2h"), Some(7_200_000));
        assert_eq!(parse_duration_ms("-1s"), None);
        assert_eq!(parse_duration_ms("5 parsecs"), None);
        assert_eq!(parse_duration_ms(""), None);
    }
}
