//! The steps of points appended to a LINE series: after the series' last stored step,
//! never wrapping around the end of the step range.

use super::{Refusal, SeriesBatch};

/// The steps of `batch`'s points when appended after `last_step` (`None`: an empty
/// series): its own steps, which must come after `last_step`, or else the steps
/// following `last_step` (from 0 for an empty series). Refused, naming the steps field,
/// when they would not fit before `i64::MAX`.
pub fn appended_steps(batch: &SeriesBatch, last_step: Option<i64>) -> Result<Vec<i64>, Refusal> {
    let field = &batch.steps_field;
    if let Some(steps) = &batch.steps {
        if let (Some(last), Some(&first)) = (last_step, steps.first()) {
            if first <= last {
                return Err(Refusal::invalid(
                    format!("{field}[0]"),
                    format!(
                        "step {first} is not after step {last}, the last stored step of series {:?}; send replace: true to start over",
                        batch.name
                    ),
                ));
            }
        }
        return Ok(steps.clone());
    }
    let start = match last_step {
        None => 0,
        Some(last) => last.checked_add(1).ok_or_else(|| {
            Refusal::invalid(
                field.clone(),
                "the series has no step left after its last one",
            )
        })?,
    };
    let count = i64::try_from(batch.values.len()).unwrap_or(i64::MAX);
    let last = count
        .checked_sub(1)
        .and_then(|span| start.checked_add(span))
        .ok_or_else(|| {
            Refusal::invalid(
                field.clone(),
                format!(
                    "{count} points after step {} would pass the largest step, {}; send explicit steps or replace: true",
                    start.saturating_sub(1),
                    i64::MAX
                ),
            )
        })?;
    Ok((start..=last).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(steps: Option<Vec<i64>>, values: usize) -> SeriesBatch {
        SeriesBatch {
            name: "train".to_owned(),
            steps_field: "data.steps".to_owned(),
            steps,
            values: vec![Some(1.0); values],
        }
    }

    #[test]
    fn values_continue_after_the_last_step() {
        assert_eq!(appended_steps(&batch(None, 3), None), Ok(vec![0, 1, 2]));
        assert_eq!(appended_steps(&batch(None, 2), Some(9)), Ok(vec![10, 11]));
        assert_eq!(
            appended_steps(&batch(None, 1), Some(i64::MAX - 1)),
            Ok(vec![i64::MAX])
        );
    }

    #[test]
    fn appends_past_the_largest_step_are_refused() {
        for (values, last) in [(3, i64::MAX - 1), (2, i64::MAX - 1), (1, i64::MAX)] {
            let refused = appended_steps(&batch(None, values), Some(last));
            assert_eq!(
                refused.map_err(|refusal| refusal.field),
                Err("data.steps".to_owned()),
                "{values} after {last}"
            );
        }
    }

    #[test]
    fn explicit_steps_must_follow_the_stored_ones() {
        assert_eq!(
            appended_steps(&batch(Some(vec![5, 7]), 2), Some(4)),
            Ok(vec![5, 7])
        );
        assert_eq!(
            appended_steps(&batch(Some(vec![4, 7]), 2), Some(4)).map_err(|r| r.field),
            Err("data.steps[0]".to_owned())
        );
    }
}
