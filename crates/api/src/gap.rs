//! The one convention for a gap (a step logged without a value) wherever values are
//! packed as bare `f64`: the stored blocks, the binary points frame and the dense runs
//! the M4 reducer takes. A gap is NaN; stored values come from JSON, which has no NaN,
//! so no value is ever mistaken for a gap.

/// The `f64` standing for `value`: NaN for a gap.
pub fn gap_as_nan(value: Option<f64>) -> f64 {
    value.unwrap_or(f64::NAN)
}

/// The value an `f64` stands for: `None` (a gap) for NaN.
pub fn nan_as_gap(value: f64) -> Option<f64> {
    (!value.is_nan()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_and_values_survive_the_round_trip() {
        for value in [None, Some(0.0), Some(-0.0), Some(f64::MAX), Some(-1e-300)] {
            assert_eq!(nan_as_gap(gap_as_nan(value)), value);
        }
        assert!(gap_as_nan(None).is_nan());
    }
}
