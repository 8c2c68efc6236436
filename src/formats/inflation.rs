//! The one rule for how much a zip entry may inflate, shared by the writer and the
//! verifier so that every bundle `build` makes is one `verify` accepts.
//!
//! A decompression bomb is a small entry that inflates to something huge. Real
//! evidence rarely deflates beyond 10:1, but a mostly white screenshot saved as BMP
//! deflates 360:1, so a ratio alone would call honest bundles bombs. The rule is
//! therefore: an entry larger than [`RATIO_FLOOR`] must not inflate more than
//! [`MAX_RATIO`]:1, and all the smaller entries that do may together inflate to at
//! most [`HIGH_RATIO_BUDGET`]. The writer checks each deflated entry with the same
//! [`InflationGuard`] and stores (does not compress) any entry the guard would refuse;
//! the verifier refuses what the guard refuses. It must never depend on anything but
//! the two sizes a zip declares, so both sides judge the same numbers.

/// Deflate cannot honestly shrink real evidence beyond this; bombs do.
pub const MAX_RATIO: u64 = 200;
/// Entries up to this size may have any ratio, within the budget below.
pub const RATIO_FLOOR: u64 = 1 << 20;
/// What all the highly compressed small entries of one zip may inflate to together.
pub const HIGH_RATIO_BUDGET: u64 = 64 << 20;

/// Why an entry was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The entry alone inflates too far.
    Ratio,
    /// Together with earlier highly compressed entries it exceeds the budget.
    Budget,
}

impl Refusal {
    /// A sentence for the verifier's report.
    pub fn explain(self, compressed: u64, uncompressed: u64) -> String {
        match self {
            Refusal::Ratio => format!(
                "declares {uncompressed} bytes from {compressed} compressed (more than {MAX_RATIO}:1): a decompression bomb"
            ),
            Refusal::Budget => format!(
                "declares {uncompressed} bytes from {compressed} compressed; with the other entries compressed more than {MAX_RATIO}:1 the zip would inflate past {} MiB: a decompression bomb",
                HIGH_RATIO_BUDGET >> 20
            ),
        }
    }
}

/// Judges the entries of one zip in order.
#[derive(Debug, Default)]
pub struct InflationGuard {
    high_ratio_bytes: u64,
}

impl InflationGuard {
    /// Whether an entry with these declared sizes is acceptable; an accepted highly
    /// compressed entry counts against the budget.
    pub fn admit(&mut self, compressed: u64, uncompressed: u64) -> Result<(), Refusal> {
        if uncompressed <= compressed.saturating_mul(MAX_RATIO) {
            return Ok(());
        }
        if uncompressed > RATIO_FLOOR {
            return Err(Refusal::Ratio);
        }
        let total = self.high_ratio_bytes.saturating_add(uncompressed);
        if total > HIGH_RATIO_BUDGET {
            return Err(Refusal::Budget);
        }
        self.high_ratio_bytes = total;
        Ok(())
    }

    /// Like [`admit`](Self::admit) without counting: would the entry pass?
    pub fn would_admit(&self, compressed: u64, uncompressed: u64) -> bool {
        let mut copy = InflationGuard {
            high_ratio_bytes: self.high_ratio_bytes,
        };
        copy.admit(compressed, uncompressed).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_entries_pass_and_stored_ones_always_do() {
        let mut guard = InflationGuard::default();
        assert_eq!(guard.admit(1_000, 10_000), Ok(()));
        assert_eq!(guard.admit(5 << 30, 5 << 30), Ok(()));
        assert_eq!(guard.admit(0, 0), Ok(()));
        assert_eq!(guard.high_ratio_bytes, 0);
    }

    #[test]
    fn large_bombs_are_refused_and_small_ones_share_a_budget() {
        let mut guard = InflationGuard::default();
        // guards: a 24.9 MB white BMP deflates 359:1.
        assert_eq!(guard.admit(69_000, 24_883_254), Err(Refusal::Ratio));
        for _ in 0..64 {
            assert_eq!(guard.admit(1_000, 1 << 20), Ok(()));
        }
        assert!(!guard.would_admit(1_000, 1 << 20));
        assert_eq!(guard.admit(1_000, 1 << 20), Err(Refusal::Budget));
        // An ordinary entry still passes once the budget is spent.
        assert_eq!(guard.admit(1 << 20, 4 << 20), Ok(()));
    }
}
