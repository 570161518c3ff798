//! Time rules: cron expressions for scheduled rules (eb-scheduled-rule-pattern: six fields,
//! minutes hours day-of-month month day-of-week year, UTC), and the retry schedules of
//! EventBridge (exponential backoff with jitter, eb-rule-retry-policy), SNS (the four phases
//! of sns-message-delivery-retries) and Lambda asynchronous invocation (invocation-async).

use eventyard_template::{limits, time};

use crate::rng::Rng;

/// A parsed cron expression: the allowed values of each field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cron {
    minutes: Vec<bool>,
    hours: Vec<bool>,
    days: Option<Vec<bool>>,
    months: Vec<bool>,
    weekdays: Option<Vec<bool>>,
    years: Option<Vec<bool>>,
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const WEEKDAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

fn value(text: &str, names: &[&str], first: u32) -> Option<u32> {
    if let Ok(v) = text.parse::<u32>() {
        return Some(v);
    }
    let upper = text.to_ascii_uppercase();
    names
        .iter()
        .position(|n| *n == upper)
        .map(|i| i as u32 + first)
}

/// One field: `*`, `?`, `a`, `a-b`, `a,b`, `*/n`, `a/n`, names for months and weekdays.
/// `None` for `?` (no constraint); `Err` for anything else (L, W and # are not simulated).
fn field(text: &str, min: u32, max: u32, names: &[&str]) -> Result<Option<Vec<bool>>, String> {
    if text == "?" {
        return Ok(None);
    }
    let mut allowed = vec![false; max as usize + 1];
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (
                r,
                s.parse::<u32>()
                    .map_err(|_| format!("bad step in {text}"))?,
            ),
            None => (part, 1),
        };
        if step == 0 {
            return Err(format!("bad step in {text}"));
        }
        let (low, high) = if range == "*" {
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            let a = value(a, names, min).ok_or_else(|| format!("bad value in {text}"))?;
            let b = value(b, names, min).ok_or_else(|| format!("bad value in {text}"))?;
            (a, b)
        } else {
            let a = value(range, names, min).ok_or_else(|| format!("bad value in {text}"))?;
            (a, if part.contains('/') { max } else { a })
        };
        if low < min || high > max || low > high {
            return Err(format!("value out of range in {text}"));
        }
        let mut v = low;
        while v <= high {
            if let Some(slot) = allowed.get_mut(v as usize) {
                *slot = true;
            }
            v += step;
        }
    }
    Ok(Some(allowed))
}

fn allows(set: &Option<Vec<bool>>, v: i64) -> bool {
    match set {
        None => true,
        Some(list) => allowed(list, v),
    }
}

fn allowed(list: &[bool], v: i64) -> bool {
    usize::try_from(v)
        .ok()
        .and_then(|i| list.get(i))
        .copied()
        .unwrap_or(false)
}

impl Cron {
    pub fn parse(fields: &[String]) -> Result<Cron, String> {
        let [minutes, hours, days, months, weekdays, years] = fields else {
            return Err("Parameter ScheduleExpression is not valid.".into());
        };
        let wrap = |r: Result<Option<Vec<bool>>, String>| {
            r.map_err(|m| format!("Parameter ScheduleExpression is not valid. ({m})"))
        };
        let cron = Cron {
            minutes: wrap(field(minutes, 0, 59, &[]))?.unwrap_or_else(|| vec![true; 60]),
            hours: wrap(field(hours, 0, 23, &[]))?.unwrap_or_else(|| vec![true; 24]),
            days: wrap(field(days, 1, 31, &[]))?,
            months: wrap(field(months, 1, 12, &MONTHS))?.unwrap_or_else(|| vec![true; 13]),
            weekdays: wrap(field(weekdays, 1, 7, &WEEKDAYS))?,
            years: wrap(field(years, 1970, 2199, &[]))?,
        };
        // AWS: one of day-of-month and day-of-week must be '?'.
        if cron.days.is_some() && cron.weekdays.is_some() {
            return Err("Parameter ScheduleExpression is not valid. (day-of-month or day-of-week must be ?)".into());
        }
        Ok(cron)
    }

    /// The first whole minute strictly after `epoch_ms` that matches, within ten years.
    pub fn next_after(&self, epoch_ms: u64) -> Option<u64> {
        let mut minute = epoch_ms / 60_000 + 1;
        let limit = minute + 10 * 366 * 1440;
        while minute < limit {
            let ms = minute * 60_000;
            let (year, month, day, hour, min) = time::civil(ms);
            if !allows(&self.years, year) || !allowed(&self.months, month) {
                // Jump to the next day quickly; the month check repeats there.
                minute = (minute / 1440 + 1) * 1440;
                continue;
            }
            let day_ok =
                allows(&self.days, day) && allows(&self.weekdays, i64::from(time::weekday(ms)));
            if !day_ok {
                minute = (minute / 1440 + 1) * 1440;
                continue;
            }
            if !allowed(&self.hours, hour) {
                minute = (minute / 60 + 1) * 60;
                continue;
            }
            if allowed(&self.minutes, min) {
                return Some(ms);
            }
            minute += 1;
        }
        None
    }
}

/// EventBridge: delay before retry number `attempt` (1-based): exponential from 1 s, capped so
/// that the default 185 attempts span about 24 hours, with ±50% seeded jitter.
pub fn eventbridge_retry_delay_ms(attempt: u64, rng: &mut Rng) -> u64 {
    const CAP_MS: u64 = 480_000;
    let base = 1_000u64
        .saturating_mul(1u64 << attempt.min(20).saturating_sub(1))
        .min(CAP_MS);
    base / 2 + rng.below(base / 2 + 1)
}

/// An SNS delivery policy's four phases (sns-message-delivery-retries): retries with no delay,
/// retries at the minimum delay, retries backing off from the minimum to the maximum delay, and
/// retries at the maximum delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnsRetryPolicy {
    pub immediate: u64,
    pub pre_backoff: u64,
    pub backoff: u64,
    pub post_backoff: u64,
    pub min_delay_ms: u64,
    pub max_delay_ms: u64,
}

impl SnsRetryPolicy {
    /// AWS-managed endpoints (SQS, Lambda): 100,015 attempts over 23 days.
    pub const AWS_MANAGED: SnsRetryPolicy = SnsRetryPolicy {
        immediate: limits::SNS_IMMEDIATE_RETRIES.value,
        pre_backoff: limits::SNS_PRE_BACKOFF_RETRIES.value,
        backoff: limits::SNS_BACKOFF_RETRIES.value,
        post_backoff: limits::SNS_POST_BACKOFF_RETRIES.value,
        min_delay_ms: 1_000,
        max_delay_ms: 20_000,
    };
    /// Customer-managed endpoints (email, SMS): 50 attempts over 6 hours.
    pub const CUSTOMER_MANAGED: SnsRetryPolicy = SnsRetryPolicy {
        immediate: 0,
        pre_backoff: limits::SNS_CUSTOMER_PRE_BACKOFF_RETRIES.value,
        backoff: limits::SNS_CUSTOMER_BACKOFF_RETRIES.value,
        post_backoff: limits::SNS_CUSTOMER_POST_BACKOFF_RETRIES.value,
        min_delay_ms: 10_000,
        max_delay_ms: 600_000,
    };
    /// HTTP/S endpoints with the default delivery policy: 3 retries 20 s apart.
    pub const HTTP_DEFAULT: SnsRetryPolicy = SnsRetryPolicy {
        immediate: 0,
        pre_backoff: 0,
        backoff: limits::SNS_HTTP_RETRIES_DEFAULT.value,
        post_backoff: 0,
        min_delay_ms: 20_000,
        max_delay_ms: 20_000,
    };

    /// Delay before retry number `retry` (1-based), `None` when the policy is exhausted.
    pub fn delay_ms(&self, retry: u64) -> Option<u64> {
        let pre = self.immediate + self.pre_backoff;
        let backoff = pre + self.backoff;
        let post = backoff + self.post_backoff;
        if retry == 0 || retry > post {
            return None;
        }
        Some(if retry <= self.immediate {
            0
        } else if retry <= pre {
            self.min_delay_ms
        } else if retry <= backoff {
            // Geometric from the minimum to the maximum delay over the backoff phase.
            let step = if self.backoff > 1 {
                (retry - pre - 1) as f64 / (self.backoff - 1) as f64
            } else {
                0.0
            };
            let ratio = self.max_delay_ms as f64 / self.min_delay_ms.max(1) as f64;
            (self.min_delay_ms as f64 * ratio.powf(step)).round() as u64
        } else {
            self.max_delay_ms
        })
    }
}

/// Lambda async: delay before retry `retry` (1 or 2), `None` after the default two retries.
pub fn lambda_async_retry_delay_ms(retry: u64) -> Option<u64> {
    match retry {
        1 => Some(limits::LAMBDA_ASYNC_RETRY_FIRST_DELAY.value * 1000),
        2 if retry <= limits::LAMBDA_ASYNC_RETRIES_DEFAULT.value => {
            Some(limits::LAMBDA_ASYNC_RETRY_SECOND_DELAY.value * 1000)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cron(text: &str) -> Cron {
        let fields: Vec<String> = text.split_whitespace().map(str::to_string).collect();
        Cron::parse(&fields).unwrap()
    }

    #[test]
    fn cron_next_fire_times() {
        let start = time::parse_iso_ms("2026-01-01T00:00:00Z").unwrap();
        let noon = cron("0 12 * * ? *").next_after(start).unwrap();
        assert_eq!(time::format_iso_s(noon), "2026-01-01T12:00:00Z");
        let every_15 = cron("0/15 * * * ? *").next_after(start).unwrap();
        assert_eq!(time::format_iso_s(every_15), "2026-01-01T00:15:00Z");
        // 2026-01-01 is a Thursday: the next Monday is the 5th.
        let monday = cron("30 9 ? * MON *").next_after(start).unwrap();
        assert_eq!(time::format_iso_s(monday), "2026-01-05T09:30:00Z");
        assert!(Cron::parse(&[
            "0".into(),
            "12".into(),
            "1".into(),
            "*".into(),
            "MON".into(),
            "*".into()
        ])
        .is_err());
    }

    #[test]
    fn sns_schedule_has_four_phases() {
        let policy = SnsRetryPolicy::AWS_MANAGED;
        let delays: Vec<u64> = (1..=16).filter_map(|r| policy.delay_ms(r)).collect();
        assert_eq!(&delays[..5], &[0, 0, 0, 1_000, 1_000]);
        assert_eq!(delays[5], 1_000);
        assert_eq!(delays[14], 20_000);
        assert_eq!(policy.delay_ms(100_015), Some(20_000));
        assert_eq!(policy.delay_ms(100_016), None);
    }

    /// sns-message-delivery-retries: email and SMS get 50 attempts over more than 6 hours
    /// (AWS counts the retries: 2 at 10 s, 10 backing off to 600 s, 38 at 600 s).
    #[test]
    fn customer_managed_endpoints_get_fifty_attempts_over_six_hours() {
        let policy = SnsRetryPolicy::CUSTOMER_MANAGED;
        let delays: Vec<u64> = (1..).map_while(|r| policy.delay_ms(r)).collect();
        assert_eq!(delays.len(), 50);
        assert_eq!(&delays[..3], &[10_000, 10_000, 10_000]);
        assert_eq!(delays[11], 600_000);
        let total: u64 = delays.iter().sum();
        assert!(total > 6 * 3_600_000, "{total}");
    }

    /// SendMessageToHttp.retry: by default up to three retries, 20 seconds apart.
    #[test]
    fn http_endpoints_get_three_retries_twenty_seconds_apart() {
        let policy = SnsRetryPolicy::HTTP_DEFAULT;
        let delays: Vec<u64> = (1..).map_while(|r| policy.delay_ms(r)).collect();
        assert_eq!(delays, vec![20_000, 20_000, 20_000]);
    }

    #[test]
    fn eventbridge_backoff_grows_and_is_capped() {
        let mut rng = Rng::new(1);
        let first = eventbridge_retry_delay_ms(1, &mut rng);
        assert!((500..=1_000).contains(&first));
        let late = eventbridge_retry_delay_ms(100, &mut rng);
        assert!((240_000..=480_000).contains(&late));
    }
}
