//! Exponential moving average of a line, as TensorBoard draws it: debiased, so the
//! first points are not pulled towards zero.

/// The EMA of a run of points with `weight` in [0, 1): 0 is the raw line, 0.99 very
/// smooth. Steps are kept; only values change.
pub fn ema(points: &[(f64, f64)], weight: f64) -> Vec<(f64, f64)> {
    let weight = weight.clamp(0.0, 0.999);
    let mut average = 0.0;
    let mut debias = 1.0;
    points
        .iter()
        .map(|&(step, value)| {
            average = average * weight + (1.0 - weight) * value;
            debias *= weight;
            let smoothed = if debias < 1.0 {
                average / (1.0 - debias)
            } else {
                value
            };
            (step, smoothed)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_weight_is_the_raw_line() {
        let points = vec![(0.0, 1.0), (1.0, 5.0), (2.0, -3.0)];
        assert_eq!(ema(&points, 0.0), points);
    }

    #[test]
    fn the_first_point_is_not_pulled_to_zero_and_noise_is_damped() {
        let points: Vec<(f64, f64)> = (0..200)
            .map(|i| (f64::from(i), if i % 2 == 0 { 11.0 } else { 9.0 }))
            .collect();
        let smooth = ema(&points, 0.9);
        assert!((smooth[0].1 - 11.0).abs() < 1e-9, "debiased start");
        let tail: Vec<f64> = smooth[100..].iter().map(|p| p.1).collect();
        assert!(tail.iter().all(|v| (v - 10.0).abs() < 0.2), "{tail:?}");
        assert_eq!(smooth.len(), points.len());
        assert_eq!(smooth[57].0, 57.0, "steps are kept");
    }

    #[test]
    fn a_constant_line_stays_constant() {
        let points: Vec<(f64, f64)> = (0..50).map(|i| (f64::from(i), 3.5)).collect();
        assert!(ema(&points, 0.95).iter().all(|p| (p.1 - 3.5).abs() < 1e-9));
    }
}
