//! Retries: exponential backoff with jitter, and which failures are worth a
//! retry (429, 5xx, timeouts, dropped connections; BigQuery's rate-limit
//! 403s). Everything else (400, 401, 403, 404, 409) is an answer, not a
//! fault.

use rand::Rng;
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first delay; each next one doubles, up to `max_delay`.
    pub base: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 8,
            base: Duration::from_millis(500),
            max_delay: Duration::from_secs(32),
        }
    }
}

impl RetryPolicy {
    /// The delay before retry number `retry` (0-based): the exponential
    /// step times a random factor in [0.5, 1) ("equal jitter"), so clients
    /// that failed together do not retry together, and the delay never
    /// drops below half the step.
    pub fn delay(&self, retry: u32) -> Duration {
        let step = self
            .base
            .saturating_mul(1u32.checked_shl(retry.min(30)).unwrap_or(u32::MAX))
            .min(self.max_delay);
        step.mul_f64(rand::thread_rng().gen_range(0.5..1.0))
    }
}

/// HTTP statuses that mean "try again later".
pub fn retryable_status(status: u16, body: &str) -> bool {
    match status {
        408 | 429 | 500 | 502 | 503 | 504 => true,
        // BigQuery reports some quota/rate limits as 403 with these reasons.
        403 => body.contains("rateLimitExceeded") || body.contains("backendError"),
        _ => false,
    }
}

/// Transport failures that mean "try again": timeouts, refused or dropped
/// connections, a response cut short.
pub fn retryable_transport(e: &reqwest::Error) -> bool {
    e.is_timeout() || e.is_connect() || e.is_request() || e.is_body() || e.is_decode()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_exponentially_with_jitter_and_a_cap() {
        let p = RetryPolicy {
            max_retries: 10,
            base: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        for retry in 0..12 {
            let step = (100u64 << retry.min(20)).min(1000);
            for _ in 0..50 {
                let d = p.delay(retry).as_millis() as u64;
                assert!(d >= step / 2 && d < step.max(1), "retry {retry}: {d} ms");
            }
        }
        // Jitter: not every delay is the same.
        let ds: std::collections::BTreeSet<u128> =
            (0..50).map(|_| p.delay(3).as_micros()).collect();
        assert!(ds.len() > 1);
    }

    #[test]
    fn which_statuses_are_retried() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(retryable_status(s, ""), "{s}");
        }
        for s in [400, 401, 404, 409] {
            assert!(!retryable_status(s, ""), "{s}");
        }
        assert!(!retryable_status(403, r#"{"reason":"accessDenied"}"#));
        assert!(retryable_status(403, r#"{"reason":"rateLimitExceeded"}"#));
    }
}
