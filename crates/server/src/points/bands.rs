//! A grouped chart's bands (`domain::line_bands`) read on several tasks: the series are
//! cut into a few contiguous parts, each part's blocks streamed and folded into its own
//! bands on its own task (and database connection), and the parts' bands merged in
//! order, so the members of a column come in the same order as one task would give.

use super::reduce::AbortOnDrop;
use crate::domain::{GroupBand, MemberColumns, Window};
use crate::storage::{BlockPoints, Storage, StoreError, StoreResult};
use std::collections::HashMap;

/// Tasks one grouped chart reads on: enough for every core.
const PARALLEL_PARTS: usize = 4;

/// A series to read: its id, its run, and the band it joins.
#[derive(Clone, Copy, Debug)]
pub struct Member {
    pub series_id: i64,
    pub experiment_id: i64,
    pub band: usize,
}

/// The `bands` bands of `members` over `window`. Each part's series stream in id order,
/// so `members` come sorted by series id.
pub async fn read_bands(
    storage: &Storage,
    members: Vec<Member>,
    bands: usize,
    window: Window,
) -> StoreResult<Vec<GroupBand>> {
    let mut members = members;
    members.sort_by_key(|member| member.series_id);
    let part_size = members.len().div_ceil(PARALLEL_PARTS).max(1);
    let tasks: Vec<_> = members
        .chunks(part_size)
        .map(|part| {
            let (storage, part) = (storage.clone(), part.to_vec());
            AbortOnDrop(tokio::spawn(fold_part(storage, part, bands, window)))
        })
        .collect();
    let mut merged: Vec<GroupBand> = (0..bands).map(|_| GroupBand::new(window)).collect();
    for task in tasks {
        let part = task
            .await
            .map_err(|error| StoreError::Corrupt(format!("a band task failed: {error}")))??;
        for (band, folded) in merged.iter_mut().zip(part) {
            band.merge(folded);
        }
    }
    Ok(merged)
}

/// One part's series folded into bands of its own.
async fn fold_part(
    storage: Storage,
    part: Vec<Member>,
    bands: usize,
    window: Window,
) -> StoreResult<Vec<GroupBand>> {
    let mut folded: Vec<GroupBand> = (0..bands).map(|_| GroupBand::new(window)).collect();
    let ids: Vec<i64> = part.iter().map(|member| member.series_id).collect();
    let at: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut current: Option<(usize, MemberColumns)> = None;
    let fold = |folded: &mut Vec<GroupBand>, (at, columns): (usize, MemberColumns)| {
        let member: &Member = &part[at];
        folded[member.band].add(member.experiment_id, &columns);
    };
    storage
        .visit_series_points(&ids, window, |series_id, points| {
            if current
                .as_ref()
                .is_none_or(|(i, _)| part[*i].series_id != series_id)
            {
                let Some(&index) = at.get(&series_id) else {
                    return;
                };
                if let Some(done) = current.replace((index, MemberColumns::new(window))) {
                    fold(&mut folded, done);
                }
            }
            let Some((_, member)) = current.as_mut() else {
                return;
            };
            match points {
                BlockPoints::Consecutive { first_step, values } => {
                    member.push_consecutive(first_step, values)
                }
                BlockPoints::Sparse(points) => {
                    for &(step, value) in points {
                        member.push(step, value.unwrap_or(f64::NAN));
                    }
                }
            }
        })
        .await?;
    if let Some(done) = current.take() {
        fold(&mut folded, done);
    }
    Ok(folded)
}
