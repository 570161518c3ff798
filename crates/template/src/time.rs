//! Calendar arithmetic for virtual time: ISO-8601 UTC text ↔ milliseconds since the Unix epoch.
//! (Howard Hinnant's days-from-civil algorithm; no clock is ever read.)

/// Days since 1970-01-01 for a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `2026-01-01T00:00:00Z` (optionally with `.sss`) → ms since the epoch.
pub fn parse_iso_ms(text: &str) -> Option<u64> {
    let text = text.trim().strip_suffix('Z')?;
    let (date, time) = text.split_once('T')?;
    let mut date_parts = date.split('-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: i64 = date_parts.next()?.parse().ok()?;
    let day: i64 = date_parts.next()?.parse().ok()?;
    let (hms, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let mut time_parts = hms.split(':');
    let hour: i64 = time_parts.next()?.parse().ok()?;
    let minute: i64 = time_parts.next()?.parse().ok()?;
    let second: i64 = time_parts.next()?.parse().ok()?;
    let millis: i64 = format!("{fraction:0<3}").get(..3)?.parse().ok()?;
    if !(1970..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let ms = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis;
    u64::try_from(ms).ok()
}

/// ms since the epoch → `2026-01-01T00:00:00Z` (EventBridge's `time`, whole seconds).
pub fn format_iso_s(ms: u64) -> String {
    let mut out = String::with_capacity(24);
    write_iso_s(&mut out, ms);
    out.push('Z');
    out
}

/// ms since the epoch → `2026-01-01T00:00:00.000Z` (SNS's `Timestamp`).
pub fn format_iso_ms(ms: u64) -> String {
    let mut out = String::with_capacity(24);
    write_iso_s(&mut out, ms);
    out.push('.');
    push_digits(&mut out, ms % 1000, 3);
    out.push('Z');
    out
}

/// `2026-01-01T00:00:00` (no zone) onto `out`. Digits are written by hand: the simulator
/// stamps every event and notification, and `format!` with six padded arguments cost
/// ~2,000 instructions a call. Years outside 0..=9999 go through `format!`, which pads and
/// signs them as before.
fn write_iso_s(out: &mut String, ms: u64) {
    let seconds = i64::try_from(ms / 1000).unwrap_or(i64::MAX / 2);
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let rest = seconds.rem_euclid(86_400);
    let (hour, minute, second) = (rest / 3600, rest / 60 % 60, rest % 60);
    if !(0..=9999).contains(&year) {
        out.push_str(&format!(
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}"
        ));
        return;
    }
    // every part is within 0..=9999 and non-negative here
    let part = |v: i64| v.unsigned_abs();
    push_digits(out, part(year), 4);
    out.push('-');
    push_digits(out, part(month), 2);
    out.push('-');
    push_digits(out, part(day), 2);
    out.push('T');
    push_digits(out, part(hour), 2);
    out.push(':');
    push_digits(out, part(minute), 2);
    out.push(':');
    push_digits(out, part(second), 2);
}

/// The last `width` decimal digits of `value`, zero-padded.
fn push_digits(out: &mut String, value: u64, width: u32) {
    for place in (0..width).rev() {
        let digit = (value / 10u64.pow(place) % 10) as u8;
        out.push(char::from(b'0' + digit));
    }
}

/// Day of week for a time, 1 = Sunday .. 7 = Saturday (cron's numbering).
pub fn weekday(ms: u64) -> u32 {
    let days = i64::try_from(ms / 86_400_000).unwrap_or(0);
    // 1970-01-01 was a Thursday (5 in cron numbering).
    ((days + 4).rem_euclid(7) + 1) as u32
}

/// (year, month, day, hour, minute) of a time.
pub fn civil(ms: u64) -> (i64, i64, i64, i64, i64) {
    let seconds = i64::try_from(ms / 1000).unwrap_or(0);
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let rest = seconds.rem_euclid(86_400);
    (year, month, day, rest / 3600, rest / 60 % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let ms = parse_iso_ms("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(ms, 1_767_225_600_000);
        assert_eq!(format_iso_s(ms + 61_500), "2026-01-01T00:01:01Z");
        assert_eq!(format_iso_ms(ms + 61_500), "2026-01-01T00:01:01.500Z");
        assert_eq!(
            parse_iso_ms("2024-02-29T12:30:00.25Z"),
            Some(1_709_209_800_250)
        );
        assert_eq!(parse_iso_ms("nonsense"), None);
        // 2026-01-01 is a Thursday.
        assert_eq!(weekday(ms), 5);
    }

    /// The hand-written digits give what `format!` gave, from the epoch past year 9999.
    #[test]
    fn formatting_matches_format() {
        let reference = |ms: u64| {
            let seconds = i64::try_from(ms / 1000).unwrap_or(i64::MAX / 2);
            let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
            let rest = seconds.rem_euclid(86_400);
            let whole = format!(
                "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
                rest / 3600,
                rest / 60 % 60,
                rest % 60
            );
            let with_ms = format!("{}.{:03}Z", whole.trim_end_matches('Z'), ms % 1000);
            (whole, with_ms)
        };
        let mut ms = 0u64;
        while ms < 400_000_000_000_000 {
            assert_eq!((format_iso_s(ms), format_iso_ms(ms)), reference(ms), "{ms}");
            ms = ms * 3 + 7_919;
        }
        for ms in [253_402_300_799_999, 253_402_300_800_000, u64::MAX] {
            assert_eq!((format_iso_s(ms), format_iso_ms(ms)), reference(ms), "{ms}");
        }
    }
}
