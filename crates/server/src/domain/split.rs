//! A train/test split of a dataset version's assets (seed 000
//! `run_train_test_split_on_dataset(name, prop, random_seed)`): the assets in id order,
//! shuffled by a generator seeded with `seed`, the first `round(n × proportion)` to train.
//! The same assets and seed always give the same split, on any machine.

use super::Refusal;

/// The proportion if it is a share strictly between 0 and 1.
pub fn checked_proportion(proportion: f64) -> Result<f64, Refusal> {
    if proportion > 0.0 && proportion < 1.0 {
        Ok(proportion)
    } else {
        Err(Refusal::invalid(
            "proportion",
            format!("proportion is the train share, strictly between 0 and 1; got {proportion}"),
        ))
    }
}

/// `(train, test)` asset ids, each ascending.
pub fn split_assets(asset_ids: &[i64], proportion: f64, seed: u64) -> (Vec<i64>, Vec<i64>) {
    let mut shuffled = asset_ids.to_vec();
    shuffled.sort_unstable();
    let mut state = seed;
    for i in (1..shuffled.len()).rev() {
        let j = (split_mix(&mut state) % (i as u64 + 1)) as usize;
        shuffled.swap(i, j);
    }
    let train_count = (shuffled.len() as f64 * proportion).round() as usize;
    let mut test = shuffled.split_off(train_count.min(shuffled.len()));
    shuffled.sort_unstable();
    test.sort_unstable();
    (shuffled, test)
}

/// SplitMix64: a small generator whose sequence is fixed by its seed.
fn split_mix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_fixes_the_split_and_sides_partition_the_assets() {
        let ids: Vec<i64> = (1..=101).collect();
        let (train, test) = split_assets(&ids, 0.8, 7);
        assert_eq!(train.len(), 81);
        assert_eq!(test.len(), 20);
        let mut all = [train.clone(), test.clone()].concat();
        all.sort_unstable();
        assert_eq!(all, ids);
        assert_eq!(split_assets(&ids, 0.8, 7), (train.clone(), test));
        assert_ne!(
            split_assets(&ids, 0.8, 8).0,
            train,
            "another seed, another split"
        );
        let reversed: Vec<i64> = ids.iter().rev().copied().collect();
        assert_eq!(
            split_assets(&reversed, 0.8, 7).0,
            train,
            "order of the input is irrelevant"
        );
    }

    #[test]
    fn proportions_outside_the_open_interval_are_refused() {
        for bad in [0.0, 1.0, -0.5, 1.5, f64::NAN] {
            assert_eq!(
                checked_proportion(bad).expect_err("refused").field,
                "proportion"
            );
        }
        assert_eq!(checked_proportion(0.5), Ok(0.5));
        assert_eq!(split_assets(&[], 0.5, 1), (vec![], vec![]));
    }
}
