//! The client's second source: a published snapshot's static files. `index.json` is
//! read once at start, a log's chunk files as charts need them (kept, so zooming back
//! reads nothing twice), images by id. Answers are shaped exactly as the API's, so pages
//! need not know the difference; the client holds this as its [`super::Source`].

use crate::error::AppError;
use gloo_net::http::Request;
use send_wrapper::SendWrapper;
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

/// A loaded snapshot, cheap to clone. The browser runs the app on one thread, so the
/// shared files it keeps need no lock (`SendWrapper` lets it live in Leptos' context).
#[derive(Clone)]
pub struct SnapshotSource(SendWrapper<Rc<Loaded>>);

impl std::fmt::Debug for SnapshotSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnapshotSource")
            .field("dir", &self.0.dir)
            .field("title", &self.0.index.title)
            .finish()
    }
}

impl PartialEq for SnapshotSource {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl SnapshotSource {
    /// Reads `index.json` at `path` (relative to the page); answers the source and its
    /// banner.
    pub async fn load(path: &str) -> Result<(SnapshotSource, Banner), String> {
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
        let loaded = Loaded {
            dir,
            index,
            packs: RefCell::new(HashMap::new()),
        };
        Ok((SnapshotSource(SendWrapper::new(Rc::new(loaded))), banner))
    }

    /// The experiments with their logs, in the order asked, as `compared-experiments`.
    pub fn compared(&self, ids: &[i64]) -> Result<ComparedExperiments, AppError> {
        let loaded = &*self.0;
        let mut experiments = Vec::with_capacity(ids.len());
        for &id in ids {
            let found = loaded
                .index
                .compared
                .experiments
                .iter()
                .find(|compared| compared.experiment.id == id)
                .ok_or_else(|| {
                    AppError::Snapshot(format!("experiment {id} is not part of this snapshot"))
                })?;
            experiments.push(found.clone());
        }
        Ok(ComparedExperiments { experiments })
    }

    /// Several LINE logs across `ids`, reduced from tiles as `line-comparisons` would
    /// answer: the range defaults to the compared series' bounds.
    pub async fn line_comparisons(
        &self,
        ids: &[i64],
        logs: &[String],
        range: Option<(i64, i64)>,
        width: u32,
    ) -> Result<LineComparisons, AppError> {
        let loaded: &Rc<Loaded> = &self.0;
        // Every log's files are asked at once: the browser spreads them over its connections.
        let reads = logs
            .iter()
            .map(|log| line_comparison(loaded, ids, log, range, width));
        let comparisons = futures_util::future::join_all(reads)
            .await
            .into_iter()
            .collect::<Result<Vec<_>, _>>()?;
        Ok(LineComparisons { comparisons })
    }

    /// An image's bytes and type, from its file.
    pub async fn image(&self, id: i64) -> Result<(Vec<u8>, String), AppError> {
        let loaded = &*self.0;
        let image = loaded
            .index
            .images
            .iter()
            .find(|image| image.id == id)
            .ok_or_else(|| {
                AppError::Snapshot(format!("image {id} is not part of this snapshot"))
            })?;
        let content_type = image.content_type.clone();
        let bytes = fetch_bytes(&format!("{}/{}", loaded.dir, image.file))
            .await
            .map_err(AppError::Snapshot)?;
        Ok((bytes, content_type))
    }
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

async fn line_comparison(
    loaded: &Rc<Loaded>,
    ids: &[i64],
    log: &str,
    range: Option<(i64, i64)>,
    width: u32,
) -> Result<LineComparison, AppError> {
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
            .map_err(AppError::Snapshot)?
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
