//! The playground's clock controls as a plain reducer: playing or paused, the speed, a seek in
//! progress, and where playing stops. The page's frame loop asks it for each frame's virtual
//! target; the session does the work.

/// The speeds offered, virtual milliseconds per wall millisecond.
pub const SPEEDS: [u64; 8] = [1, 2, 5, 10, 50, 100, 500, 1000];

/// How many happenings one slice of a frame may handle before the driver checks the wall clock.
pub const SLICE_STEPS: usize = 400;
/// Wall milliseconds a frame may spend simulating (a 60 Hz frame is 16.7 ms).
pub const FRAME_BUDGET_MS: f64 = 10.0;
/// Wall time that counts for one frame at most: a tab in the background must not come back to
/// a jump of minutes.
const MAX_FRAME_WALL_MS: f64 = 100.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Motion {
    Paused,
    Playing,
    /// Going to a time (the scrubber, the end of the run): shows progress and can be stopped.
    Seeking {
        from_ms: u64,
        to_ms: u64,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clock {
    pub motion: Motion,
    pub speed: u64,
    /// Playing pauses here (the preset's suggested length), unless already past it.
    pub pause_at_ms: Option<u64>,
    /// The pause time this play stops at: set when playing starts before it.
    stop_at_ms: Option<u64>,
    /// Virtual time owed to the next frames (fractions of a millisecond at low speed).
    carry: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockAction {
    /// Play from the time shown.
    Play {
        now_ms: u64,
    },
    Pause,
    SetSpeed(u64),
    Seek {
        from_ms: u64,
        to_ms: u64,
    },
    /// The frame loop reached the target of a seek, or the pause time.
    Arrived,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            motion: Motion::Paused,
            speed: 10,
            pause_at_ms: None,
            stop_at_ms: None,
            carry: 0.0,
        }
    }
}

impl Clock {
    pub fn apply(&mut self, action: ClockAction) {
        match action {
            ClockAction::Play { now_ms } => {
                self.motion = Motion::Playing;
                self.carry = 0.0;
                self.stop_at_ms = self.pause_at_ms.filter(|pause| *pause > now_ms);
            }
            ClockAction::Pause | ClockAction::Arrived => self.motion = Motion::Paused,
            ClockAction::SetSpeed(speed) => {
                if SPEEDS.contains(&speed) {
                    self.speed = speed;
                }
            }
            ClockAction::Seek { from_ms, to_ms } => {
                self.motion = Motion::Seeking { from_ms, to_ms }
            }
        }
    }

    pub fn is_running(&self) -> bool {
        self.motion != Motion::Paused
    }

    /// The virtual time this frame aims at, given the time shown and the wall time since the
    /// last frame; `None` when paused.
    pub fn frame_target(&mut self, now_ms: u64, wall_ms: f64) -> Option<u64> {
        match self.motion {
            Motion::Paused => None,
            Motion::Seeking { to_ms, .. } => Some(to_ms),
            Motion::Playing => {
                self.carry += wall_ms.min(MAX_FRAME_WALL_MS) * self.speed as f64;
                let whole = self.carry.floor();
                self.carry -= whole;
                let target = now_ms.saturating_add(whole as u64);
                Some(match self.stop_at_ms {
                    Some(stop) => target.min(stop),
                    None => target,
                })
            }
        }
    }

    /// Whether reaching `now_ms` ends the current motion (a seek's target, the pause time).
    pub fn arrived(&self, now_ms: u64) -> bool {
        match self.motion {
            Motion::Paused => false,
            Motion::Seeking { to_ms, .. } => now_ms == to_ms,
            Motion::Playing => self.stop_at_ms.is_some_and(|stop| now_ms >= stop),
        }
    }

    /// Where a seek in progress is going.
    pub fn seek_target(&self) -> Option<u64> {
        match self.motion {
            Motion::Seeking { to_ms, .. } => Some(to_ms),
            _ => None,
        }
    }

    /// A seek's progress, 0..=1.
    pub fn seek_progress(&self, now_ms: u64) -> Option<f64> {
        match self.motion {
            Motion::Seeking { from_ms, to_ms } if to_ms != from_ms => {
                let done = now_ms.abs_diff(from_ms) as f64 / to_ms.abs_diff(from_ms) as f64;
                Some(done.clamp(0.0, 1.0))
            }
            Motion::Seeking { .. } => Some(1.0),
            _ => None,
        }
    }
}

/// "1x", "1000x".
pub fn speed_label(speed: u64) -> String {
    format!("{speed}x")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playing_turns_wall_time_into_virtual_time_at_the_speed() {
        let mut clock = Clock::default();
        assert_eq!(clock.frame_target(0, 16.0), None, "paused");
        clock.apply(ClockAction::SetSpeed(1000));
        clock.apply(ClockAction::Play { now_ms: 0 });
        assert_eq!(clock.frame_target(0, 16.0), Some(16_000));
        // A background tab's long gap counts as one frame's worth at most.
        assert_eq!(clock.frame_target(0, 60_000.0), Some(100_000));
    }

    #[test]
    fn at_1x_fractions_of_a_millisecond_add_up() {
        let mut clock = Clock::default();
        clock.apply(ClockAction::SetSpeed(1));
        clock.apply(ClockAction::Play { now_ms: 0 });
        let mut now = 0;
        for _ in 0..60 {
            now = clock.frame_target(now, 16.667).unwrap();
        }
        assert_eq!(now, 1000);
    }

    #[test]
    fn playing_pauses_at_the_pause_time_then_plays_on_when_asked() {
        let mut clock = Clock {
            pause_at_ms: Some(5_000),
            ..Clock::default()
        };
        clock.apply(ClockAction::SetSpeed(1000));
        clock.apply(ClockAction::Play { now_ms: 4_990 });
        assert_eq!(clock.frame_target(4_990, 16.0), Some(5_000));
        assert!(clock.arrived(5_000));
        clock.apply(ClockAction::Arrived);
        assert!(!clock.is_running());
        // Play again at the pause time: it goes on past it.
        clock.apply(ClockAction::Play { now_ms: 5_000 });
        assert!(!clock.arrived(5_000));
        assert_eq!(clock.frame_target(5_000, 10.0), Some(15_000));
        assert!(!clock.arrived(15_000));
    }

    #[test]
    fn a_seek_reports_progress_and_ends_at_its_target() {
        let mut clock = Clock::default();
        clock.apply(ClockAction::Seek {
            from_ms: 1_000,
            to_ms: 3_000,
        });
        assert_eq!(clock.frame_target(1_000, 16.0), Some(3_000));
        assert_eq!(clock.seek_progress(2_000), Some(0.5));
        assert!(clock.arrived(3_000));
        clock.apply(ClockAction::SetSpeed(3));
        assert_eq!(clock.speed, 10, "only offered speeds");
    }
}
