//! The emulator's notion of "now": real time plus an offset that tests may move, so
//! expiry, status and issued `validFrom` can be exercised without waiting.

use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

use crate::dates;
use crate::state::lock;

#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset: Mutex<SignedDuration>,
}

impl Clock {
    pub(crate) fn now(&self) -> Timestamp {
        dates::add(Timestamp::now(), *lock(&self.offset))
    }

    pub(crate) fn advance(&self, by: SignedDuration) -> Timestamp {
        let mut offset = lock(&self.offset);
        *offset = offset.saturating_add(by);
        dates::add(Timestamp::now(), *offset)
    }

    pub(crate) fn set(&self, to: Timestamp) -> Timestamp {
        let mut offset = lock(&self.offset);
        *offset = to.duration_since(Timestamp::now());
        to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_then_advance_moves_from_the_set_time() {
        let clock = Clock::default();
        let start: Timestamp = "2020-11-02T22:56:52Z".parse().unwrap();
        clock.set(start);
        let moved = clock.advance(SignedDuration::from_hours(24));
        let expected: Timestamp = "2020-11-03T22:56:52Z".parse().unwrap();
        assert!(moved.duration_since(expected).abs() < SignedDuration::from_secs(5));
    }
}
