//! A snapshot's data, read from static files: `index.json` once at start, a log's chunk
//! files as charts need them (kept, so zooming back reads nothing twice), images by id.
//! Answers are shaped exactly as the API's, so pages need not know the difference.

use crate::api::ApiError;
use gloo_net::http::Request;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use trackboard_api::{
    ComparedExperiments, ComparedLine, LineComparison, LineComparisons, SeriesPoints,
};
use trackboard_series::snapshot::SnapshotIndex;
use trackboard_series::tile_file::decode_pack;
use trackboard_series::tiles::Chunk;
use trackboard_series::Window;

/// What the banner says of a snapshot, and where it opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Banner {
    pub title: String,
    pub taken_at: String,
    pub view_path: String,
}

/// The loaded snapshot: its index and the directory its files are under.
struct Loaded {
    dir: String,
    index: SnapshotIndex,
    packs: RefCell<HashMap<String, Rc<[Chunk]>>>,
}

thread_local! {
    static LOADED: RefCell<Option<Rc<Loaded>>> = const { RefCell::new(None) };
}

fn loaded() -> Result<Rc<Loaded>, ApiError> {
    LOADED
        .with(|loaded| loaded.borrow().clone())
        .ok_or_else(|| ApiError::Snapshot("the snapshot's index is not loaded".into()))
}

/// Reads `index.json` at `path` (relative to the page) and keeps it for the answers
/// below; answers its banner.
pub async fn load(path: &str) -> Result<Banner, String> {
    let bytes = fetch_bytes(path)
        .await
        .map_err(|error| format!("the snapshot's index {path} could not be read: {error}"))?;
    let index: SnapshotIndex = serde_json::from_slice(&bytes)
        .map_err(|error| format!("the snapshot's index {path} is not valid: {error}"))?;
    let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned();
    let banner = Banner {
        title: index.title.clone(),
        taken_at: index.taken_at.clone(),
        view_path: index.view_path.clone(),
    };
    LOADED.with(|loaded| {
        *loaded.borrow_mut() = Some(Rc::new(Loaded {
            dir,
            index,
            packs: RefCell::new(HashMap::new()),
        }))
    });
    Ok(banner)
}

/// The experiments with their logs, in the order asked, as `compared-experiments`.
pub fn compared(ids: &[i64]) -> Result<ComparedExperiments, ApiError> {
    let loaded = loaded()?;
    let mut experiments = Vec::with_capacity(ids.len());
    for &id in ids {
        let found = loaded
            .index
            .compared
            .experiments
            .iter()
            .find(|compared| compared.experiment.id == id)
            .ok_or_else(|| {
                ApiError::Snapshot(format!("experiment {id} is not part of this snapshot"))
            })?;
        experiments.push(found.clone());
    }
    Ok(ComparedExperiments { experiments })
}

/// Several LINE logs across `ids`, reduced from tiles as `line-comparisons` would
/// answer: the range defaults to the compared series' bounds.
pub async fn line_comparisons(
    ids: &[i64],
    logs: &[String],
    range: Option<(i64, i64)>,
    width: u32,
) -> Result<LineComparisons, ApiError> {
    let loaded = loaded()?;
    // Every log's files are asked at once: the browser spreads them over its connections.
    let reads = logs
        .iter()
        .map(|log| line_comparison(&loaded, ids, log, range, width));
    let comparisons = futures_util::future::join_all(reads)
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    Ok(LineComparisons { comparisons })
}

async fn line_comparison(
    loaded: &Rc<Loaded>,
    ids: &[i64],
    log: &str,
    range: Option<(i64, i64)>,
    width: u32,
) -> Result<LineComparison, ApiError> {
    let Some(line) = loaded.index.lines.iter().find(|line| line.log_name == log) else {
        return Ok(LineComparison {
            log_name: log.to_owned(),
            from: range.map(|(from, _)| from),
            to: range.map(|(_, to)| to),
            width,
            experiments: ComparedLine::grouped(ids, []),
        });
    };
    // The series of the compared experiments, in their order (the server's order).
    let wanted: Vec<usize> = ids
        .iter()
        .flat_map(|&id| {
            line.series
                .iter()
                .enumerate()
                .filter(move |(_, series)| series.experiment_id == id)
                .map(|(position, _)| position)
        })
        .collect();
    let bounds = range.or_else(|| {
        let chosen = || wanted.iter().map(|&position| &line.series[position]);
        let from = chosen().filter_map(|series| series.first_step).min()?;
        let to = chosen().filter_map(|series| series.last_step).max()?;
        Some((from, to))
    });
    let points: Vec<SeriesPoints> = match bounds {
        Some((from, to)) => line
            .read(&wanted, Window::new(from, to, width), |path| {
                pack(loaded.clone(), path)
            })
            .await
            .map_err(ApiError::Snapshot)?
            .into_iter()
            .zip(&wanted)
            .map(|(reduced, &position)| reduced.into_series(line.series[position].name.clone()))
            .collect(),
        None => wanted
            .iter()
            .map(|&position| SeriesPoints {
                name: line.series[position].name.clone(),
                ..SeriesPoints::default()
            })
            .collect(),
    };
    let experiments = ComparedLine::grouped(
        ids,
        wanted
            .iter()
            .zip(points)
            .map(|(&position, points)| (line.series[position].experiment_id, points)),
    );
    Ok(LineComparison {
        log_name: log.to_owned(),
        from: bounds.map(|(from, _)| from),
        to: bounds.map(|(_, to)| to),
        width,
        experiments,
    })
}

/// A chunk file (every series' chunk of a log), fetched once and shared, not copied.
async fn pack(loaded: Rc<Loaded>, path: String) -> Result<Rc<[Chunk]>, String> {
    if let Some(kept) = loaded.packs.borrow().get(&path) {
        return Ok(kept.clone());
    }
    let url = format!("{}/{path}", loaded.dir);
    let bytes = fetch_bytes(&url).await?;
    let pack: Rc<[Chunk]> = decode_pack(&bytes)
        .map_err(|error| format!("{url}: {error}"))?
        .into();
    loaded.packs.borrow_mut().insert(path, pack.clone());
    Ok(pack)
}

/// An image's bytes and type, from its file.
pub async fn image(id: i64) -> Result<(Vec<u8>, String), ApiError> {
    let loaded = loaded()?;
    let image = loaded
        .index
        .images
        .iter()
        .find(|image| image.id == id)
        .ok_or_else(|| ApiError::Snapshot(format!("image {id} is not part of this snapshot")))?;
    let content_type = image.content_type.clone();
    let bytes = fetch_bytes(&format!("{}/{}", loaded.dir, image.file))
        .await
        .map_err(ApiError::Snapshot)?;
    Ok((bytes, content_type))
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|error| format!("{url} could not be fetched: {error}"))?;
    if !response.ok() {
        return Err(format!("{url} answered HTTP {}", response.status()));
    }
    response
        .binary()
        .await
        .map_err(|error| format!("{url} could not be read: {error}"))
}
