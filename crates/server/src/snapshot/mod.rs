//! `trackboard-server snapshot`: a comparison published as a static directory, the
//! built dashboard plus the comparison's data as plain files, for any static host.
//! Reviewers need no server and no token; the dashboard reads `snapshot/index.json`
//! (see `trackboard_series::snapshot`) instead of the API, and draws charts from tiles.

mod dashboard_copy;
mod selection;

pub use selection::Selection;

use crate::objects::Objects;
use crate::storage::Storage;
use anyhow::{bail, Context};
use futures_util::TryStreamExt;
use std::path::Path;
use trackboard_api::{ComparedExperiments, ExperimentWithLogs, LogContent};
use trackboard_series::snapshot::{
    tile_line, SeriesPoints, SnapshotImage, SnapshotIndex, SnapshotLine,
};
use trackboard_series::tile_file::encode_pack;

/// The data directory inside the snapshot, and what `config.json` points at.
pub const DATA_DIR: &str = "snapshot";

/// Points read from the database at a time while tiling a series.
const POINTS_PAGE: u32 = 50_000;

/// What a snapshot holds, for the command's report.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub experiments: usize,
    pub series: usize,
    pub points: u64,
    pub images: usize,
    pub files: usize,
}

/// Writes the snapshot of `selection` into `out`, which must not exist or be empty
/// (nothing already there is overwritten).
pub async fn write(
    storage: &Storage,
    objects: &Objects,
    dashboard_dir: &Path,
    selection: &Selection,
    out: &Path,
) -> anyhow::Result<Written> {
    let (ids, title, view_path) = selection.resolve(storage).await?;
    // Everything is read and checked before anything is written.
    let mut compared = ComparedExperiments {
        experiments: Vec::new(),
    };
    for &id in &ids {
        let Some(experiment) = storage.get_experiment(id).await? else {
            bail!("no experiment with id {id}");
        };
        let logs = storage.every_log(id).await?;
        compared
            .experiments
            .push(ExperimentWithLogs { experiment, logs });
    }
    refuse_non_empty(out)?;
    let index_html = dashboard_dir.join("index.html");
    if !index_html.is_file() {
        bail!(
            "{} has no built dashboard (index.html); build it first (bash scripts/build_dashboard.sh)",
            dashboard_dir.display()
        );
    }
    let data = out.join(DATA_DIR);
    std::fs::create_dir_all(&data).with_context(|| format!("cannot create {}", data.display()))?;
    let mut written = Written {
        files: dashboard_copy::copy(dashboard_dir, out)?,
        ..Written::default()
    };
    let config = serde_json::json!({ "snapshot": format!("{DATA_DIR}/index.json") });
    std::fs::write(out.join("config.json"), serde_json::to_vec_pretty(&config)?)?;

    let mut line_names: Vec<&str> = Vec::new();
    let mut images = Vec::new();
    for compared in &compared.experiments {
        for log in &compared.logs {
            match &log.content {
                LogContent::Line(_) if !line_names.contains(&log.name.as_str()) => {
                    line_names.push(&log.name);
                }
                LogContent::Image(gallery) => {
                    for image in &gallery.images {
                        let entry = SnapshotImage::new(image.id, &image.content_type);
                        copy_image(storage, objects, &data.join(&entry.file), image.id).await?;
                        images.push(entry);
                    }
                }
                _ => {}
            }
        }
    }
    let mut lines = Vec::with_capacity(line_names.len());
    for (number, name) in line_names.into_iter().enumerate() {
        let (line, points, files) = tile_log(storage, &data, &ids, name, number).await?;
        written.series += line.series.len();
        written.points += points;
        written.files += files;
        lines.push(line);
    }
    written.experiments = compared.experiments.len();
    written.images = images.len();
    written.files += images.len() + 2;
    let index = SnapshotIndex {
        title,
        taken_at: crate::timestamp::now(),
        view_path,
        compared,
        lines,
        images,
    };
    std::fs::write(data.join("index.json"), serde_json::to_vec(&index)?)?;
    Ok(written)
}

/// Refuses an output directory that holds anything.
fn refuse_non_empty(out: &Path) -> anyhow::Result<()> {
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                bail!(
                    "{} is not empty; a snapshot is written into a new or empty directory",
                    out.display()
                );
            }
            Ok(())
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error).with_context(|| format!("cannot read {}", out.display())),
    }
}

/// Tiles every series of LINE log `name` across the experiments `ids` into `logs/{n}`;
/// answers the index entry, the points read and the files written.
async fn tile_log(
    storage: &Storage,
    data: &Path,
    ids: &[i64],
    name: &str,
    number: usize,
) -> anyhow::Result<(SnapshotLine, u64, usize)> {
    let mut read = Vec::new();
    for (experiment_id, row) in storage.line_series_by_experiment(ids, name).await? {
        let mut points = Vec::with_capacity(row.points.max(0) as usize);
        loop {
            let after = points.last().map(|(step, _)| *step);
            let page = storage.points_after(row.id, after, POINTS_PAGE).await?;
            let done = page.len() < POINTS_PAGE as usize;
            points.extend(page);
            if done {
                break;
            }
        }
        read.push((experiment_id, row.name, points));
    }
    let every: Vec<SeriesPoints<'_>> = read
        .iter()
        .map(|(experiment_id, name, points)| SeriesPoints {
            experiment_id: *experiment_id,
            name,
            points,
        })
        .collect();
    let (line, files) = tile_line(name, format!("logs/{number}"), &every);
    for (path, pack) in &files {
        let path = data.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, encode_pack(pack))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let points = read.iter().map(|(_, _, points)| points.len() as u64).sum();
    Ok((line, points, files.len()))
}

/// Copies an image's bytes to `file`.
async fn copy_image(
    storage: &Storage,
    objects: &Objects,
    file: &Path,
    id: i64,
) -> anyhow::Result<()> {
    let Some((key, _, _)) = storage.get_image(id).await? else {
        bail!("image {id} was deleted while the snapshot was taken");
    };
    let mut stream = objects
        .get_stream(&key)
        .await
        .with_context(|| format!("cannot read image {id}"))?;
    let mut bytes = Vec::new();
    while let Some(part) = stream.try_next().await? {
        bytes.extend_from_slice(&part);
    }
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(file, bytes).with_context(|| format!("cannot write {}", file.display()))?;
    Ok(())
}
