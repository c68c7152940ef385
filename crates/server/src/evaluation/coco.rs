//! The COCO evaluation, computed the way pycocotools' `COCOeval` computes it
//! (`evaluate`, `accumulate`, `summarize`), so every number agrees with the reference:
//! detections ordered by score with a stable sort (ties keep their given order), at
//! most 100 per image and class, ground truth ignored by area with inclusive borders,
//! greedy matching at ten IoU thresholds, precision made monotone from the right and
//! read at 101 recall thresholds, and -1 (here `None`) where nothing was there to measure.

use super::mask::Mask;
use trackboard_api::runs_bbox;

/// The most detections per image and class that count (`maxDets[-1]`).
pub const MAX_DETECTIONS: usize = 100;
/// `COCOeval.params.maxDets`.
const MAX_DETS: [usize; 3] = [1, 10, MAX_DETECTIONS];
/// `np.spacing(1)`: keeps precision defined where nothing was detected.
const EPSILON: f64 = f64::EPSILON;

/// Which geometry IoU is measured on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IouKind {
    /// Boxes (`iouType="bbox"`).
    Bbox,
    /// Polygon masks rasterised as pycocotools does (`iouType="segm"`).
    Segm,
}

/// The four area ranges of `COCOeval`: all, small, medium, large.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AreaRange {
    All,
    Small,
    Medium,
    Large,
}

impl AreaRange {
    pub const ALL: [AreaRange; 4] = [
        AreaRange::All,
        AreaRange::Small,
        AreaRange::Medium,
        AreaRange::Large,
    ];

    /// Inclusive bounds, as `COCOeval.params.areaRng`.
    fn bounds(self) -> (f64, f64) {
        match self {
            AreaRange::All => (0.0, 1e10),
            AreaRange::Small => (0.0, 32.0 * 32.0),
            AreaRange::Medium => (32.0 * 32.0, 96.0 * 96.0),
            AreaRange::Large => (96.0 * 96.0, 1e10),
        }
    }

    fn outside(self, area: f64) -> bool {
        let (low, high) = self.bounds();
        area < low || area > high
    }
}

/// A region of an image: a box `[x, y, width, height]`, polygons (flat point lists) or
/// a run-length mask.
#[derive(Clone, Debug, PartialEq)]
pub enum Region {
    Box([f64; 4]),
    Polygons(Vec<Vec<f64>>),
    /// COCO's RLE: the runs (unset first, column-major) of an image `height` rows high.
    Runs {
        height: u32,
        runs: Vec<u32>,
    },
}

impl Region {
    /// The box that `COCOeval` compares for `bbox`: the region's own, the polygons'
    /// extent, or the mask's as `toBbox` gives it.
    pub fn bbox(&self) -> [f64; 4] {
        match self {
            Region::Box(bbox) => *bbox,
            Region::Polygons(polygons) => {
                let (mut x0, mut y0) = (f64::INFINITY, f64::INFINITY);
                let (mut x1, mut y1) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
                for polygon in polygons {
                    for point in polygon.chunks_exact(2) {
                        x0 = x0.min(point[0]);
                        x1 = x1.max(point[0]);
                        y0 = y0.min(point[1]);
                        y1 = y1.max(point[1]);
                    }
                }
                [x0, y0, x1 - x0, y1 - y0]
            }
            Region::Runs { height, runs } => runs_bbox(runs, *height),
        }
    }

    /// The mask that `COCOeval` compares for `segm` on a `width`×`height` image:
    /// polygons rasterised as pycocotools does, a box as the outline `loadRes` gives
    /// it, a run-length mask as it is.
    pub fn mask(&self, width: u32, height: u32) -> Mask {
        match self {
            Region::Box([x, y, w, h]) => {
                let (x2, y2) = (x + w, y + h);
                Mask::from_polygons(&[vec![*x, *y, *x, y2, x2, y2, x2, *y]], width, height)
            }
            Region::Polygons(polygons) => Mask::from_polygons(polygons, width, height),
            Region::Runs { runs, .. } => Mask::from_runs(runs),
        }
    }
}

/// An image being evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Image {
    pub id: i64,
    pub width: u32,
    pub height: u32,
}

/// A ground-truth object.
#[derive(Clone, Debug, PartialEq)]
pub struct GroundTruth {
    pub image_id: i64,
    pub category_id: i64,
    /// What the area ranges judge it by (COCO's `area` field).
    pub area: f64,
    pub region: Region,
    /// A crowd region (`iscrowd: 1`): always ignored; a detection on it is neither a
    /// true nor a false positive, and its IoU is the overlap over the detection's area.
    pub crowd: bool,
}

/// A scored detection.
#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    pub image_id: i64,
    pub category_id: i64,
    pub score: f64,
    /// What the area ranges judge it by when its results file set it (`loadRes` gives
    /// a mask's pixels to the box of a segm results file); else its box's or mask's.
    pub area: Option<f64>,
    pub region: Region,
}

/// What is evaluated. Ground truth and detections are each taken in the order given,
/// which decides ties in score as it does in pycocotools.
#[derive(Clone, Debug, Default)]
pub struct CocoInput {
    pub images: Vec<Image>,
    pub categories: Vec<i64>,
    pub ground_truth: Vec<GroundTruth>,
    pub detections: Vec<Detection>,
}

/// One class's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassFigures {
    pub category_id: i64,
    /// AP at IoU .50:.95, all areas, 100 detections; `None` without ground truth.
    pub average_precision: Option<f64>,
    /// AR at IoU .50:.95, all areas, 100 detections.
    pub average_recall: Option<f64>,
    /// Precision at each of the 101 recall thresholds, IoU .50, all areas, 100
    /// detections (the precision/recall curve; `None` without ground truth).
    pub precision_at_50: Option<Vec<f64>>,
}

/// The result of a COCO evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct CocoFigures {
    /// `COCOeval.stats`, in its order; `None` where it prints -1.
    pub summary: [Option<f64>; 12],
    pub classes: Vec<ClassFigures>,
}

/// The ten IoU thresholds, computed as `np.linspace(.5, .95, 10)` computes them.
pub fn iou_thresholds() -> [f64; 10] {
    let step = (0.95 - 0.5) / 9.0;
    let mut thresholds = [0.0; 10];
    for (index, threshold) in thresholds.iter_mut().enumerate() {
        *threshold = index as f64 * step + 0.5;
    }
    thresholds[9] = 0.95;
    thresholds
}

/// The 101 recall thresholds, as `np.linspace(0, 1, 101)`.
pub fn recall_thresholds() -> [f64; 101] {
    let step = 1.0 / 100.0;
    let mut thresholds = [0.0; 101];
    for (index, threshold) in thresholds.iter_mut().enumerate() {
        *threshold = index as f64 * step;
    }
    thresholds[100] = 1.0;
    thresholds
}

/// What `evaluateImg` keeps of one image, class and area range.
struct ImageMatches {
    /// Scores of the kept detections, highest first.
    scores: Vec<f64>,
    /// Per threshold, per detection: matched a ground truth.
    matched: Vec<Vec<bool>>,
    /// Per threshold, per detection: ignored.
    ignored: Vec<Vec<bool>>,
    /// How many ground truths are not ignored.
    counted_ground_truth: usize,
}

/// One image and class: its ground truth and detections (best first, at most 100),
/// and their IoU matrix `[detection][ground truth]`.
struct Pair<'a> {
    ground_truth: Vec<&'a GroundTruth>,
    detections: Vec<&'a Detection>,
    ious: Vec<Vec<f64>>,
    detection_areas: Vec<f64>,
}

/// Evaluates `input` (images and categories need not be sorted; ids are what count).
pub fn evaluate(input: &CocoInput, kind: IouKind) -> CocoFigures {
    evaluate_with_progress(input, kind, &mut |_| {})
}

/// [`evaluate`], calling `progress` with how many categories are done after each one.
/// As COCOeval reads: `evaluate` and `accumulate` per class, then `summarize`.
pub fn evaluate_with_progress(
    input: &CocoInput,
    kind: IouKind,
    progress: &mut dyn FnMut(usize),
) -> CocoFigures {
    let cells = Cells::of(input);
    let tables = evaluate_and_accumulate(&cells, kind, progress);
    CocoFigures {
        summary: tables.summary(),
        classes: tables.classes(&cells.categories),
    }
}

/// The images and classes evaluated (sorted by id, each once), and each (class, image)
/// cell's ground truth and detections in the order given.
struct Cells<'a> {
    images: Vec<Image>,
    categories: Vec<i64>,
    ground_truth: Vec<Vec<&'a GroundTruth>>,
    detections: Vec<Vec<&'a Detection>>,
}

impl<'a> Cells<'a> {
    fn of(input: &'a CocoInput) -> Self {
        let mut images = input.images.clone();
        images.sort_by_key(|image| image.id);
        images.dedup_by_key(|image| image.id);
        let mut categories = input.categories.clone();
        categories.sort_unstable();
        categories.dedup();
        let mut cells = Cells {
            ground_truth: vec![Vec::new(); categories.len() * images.len()],
            detections: vec![Vec::new(); categories.len() * images.len()],
            images,
            categories,
        };
        for object in &input.ground_truth {
            if let Some(at) = cells.cell_of(object.category_id, object.image_id) {
                cells.ground_truth[at].push(object);
            }
        }
        for detection in &input.detections {
            if let Some(at) = cells.cell_of(detection.category_id, detection.image_id) {
                cells.detections[at].push(detection);
            }
        }
        cells
    }

    fn cell(&self, category: usize, image: usize) -> usize {
        category * self.images.len() + image
    }

    fn cell_of(&self, category_id: i64, image_id: i64) -> Option<usize> {
        let category = self.categories.binary_search(&category_id).ok()?;
        let image = self
            .images
            .binary_search_by_key(&image_id, |image| image.id)
            .ok()?;
        Some(self.cell(category, image))
    }
}

const T_COUNT: usize = 10;
const R_COUNT: usize = 101;
const A_COUNT: usize = AreaRange::ALL.len();
const M_COUNT: usize = MAX_DETS.len();

/// `COCOeval.eval`: `precision[t][r][k][a][m]` and `recall[t][k][a][m]`, -1 where
/// undefined (t: IoU threshold, r: recall threshold, k: class, a: area range, m: cap).
struct Tables {
    precision: Vec<f64>,
    recall: Vec<f64>,
    classes: usize,
}

impl Tables {
    fn new(classes: usize) -> Self {
        Tables {
            precision: vec![-1.0; T_COUNT * R_COUNT * classes * A_COUNT * M_COUNT],
            recall: vec![-1.0; T_COUNT * classes * A_COUNT * M_COUNT],
            classes,
        }
    }

    fn p_at(&self, t: usize, r: usize, k: usize, a: usize, m: usize) -> usize {
        (((t * R_COUNT + r) * self.classes + k) * A_COUNT + a) * M_COUNT + m
    }

    fn r_at(&self, t: usize, k: usize, a: usize, m: usize) -> usize {
        ((t * self.classes + k) * A_COUNT + a) * M_COUNT + m
    }

    /// `summarize`'s one figure: the mean of the defined values, `None` when none is.
    fn summarize(
        &self,
        ap: bool,
        iou: Option<f64>,
        range: AreaRange,
        max_dets: usize,
    ) -> Option<f64> {
        let a = AreaRange::ALL.iter().position(|r| *r == range).unwrap_or(0);
        let m = cap_index(max_dets);
        let ts: Vec<usize> = match iou {
            Some(iou) => iou_thresholds()
                .iter()
                .position(|t| *t == iou)
                .into_iter()
                .collect(),
            None => (0..T_COUNT).collect(),
        };
        let classes = self.classes;
        if ap {
            mean_defined(
                ts.iter()
                    .flat_map(|&t| {
                        (0..R_COUNT).flat_map(move |r| (0..classes).map(move |k| (t, r, k)))
                    })
                    .map(|(t, r, k)| self.precision[self.p_at(t, r, k, a, m)]),
            )
        } else {
            mean_defined(
                ts.iter()
                    .flat_map(|&t| (0..classes).map(move |k| (t, k)))
                    .map(|(t, k)| self.recall[self.r_at(t, k, a, m)]),
            )
        }
    }

    /// `COCOeval.stats`, in its order.
    fn summary(&self) -> [Option<f64>; 12] {
        use AreaRange::{All, Large, Medium, Small};
        [
            self.summarize(true, None, All, 100),
            self.summarize(true, Some(0.5), All, 100),
            self.summarize(true, Some(0.75), All, 100),
            self.summarize(true, None, Small, 100),
            self.summarize(true, None, Medium, 100),
            self.summarize(true, None, Large, 100),
            self.summarize(false, None, All, 1),
            self.summarize(false, None, All, 10),
            self.summarize(false, None, All, 100),
            self.summarize(false, None, Small, 100),
            self.summarize(false, None, Medium, 100),
            self.summarize(false, None, Large, 100),
        ]
    }

    /// Each class's AP and AR (IoU .50:.95, all areas, 100 detections) and its
    /// precision curve at IoU .50.
    fn classes(&self, categories: &[i64]) -> Vec<ClassFigures> {
        let m = cap_index(MAX_DETECTIONS);
        categories
            .iter()
            .enumerate()
            .map(|(k, &category_id)| {
                let curve: Vec<f64> = (0..R_COUNT)
                    .map(|r| self.precision[self.p_at(0, r, k, 0, m)])
                    .collect();
                ClassFigures {
                    category_id,
                    average_precision: mean_defined(
                        (0..T_COUNT)
                            .flat_map(|t| (0..R_COUNT).map(move |r| (t, r)))
                            .map(|(t, r)| self.precision[self.p_at(t, r, k, 0, m)]),
                    ),
                    average_recall: mean_defined(
                        (0..T_COUNT).map(|t| self.recall[self.r_at(t, k, 0, m)]),
                    ),
                    precision_at_50: curve.iter().all(|v| *v > -1.0).then_some(curve),
                }
            })
            .collect()
    }
}

/// The index of a detection cap in `MAX_DETS`.
fn cap_index(max_dets: usize) -> usize {
    MAX_DETS.iter().position(|m| *m == max_dets).unwrap_or(0)
}

/// The mean of the values above -1 (COCOeval's "undefined"); `None` when there are none.
fn mean_defined(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (mut sum, mut count) = (0.0, 0usize);
    for value in values.filter(|v| *v > -1.0) {
        sum += value;
        count += 1;
    }
    (count > 0).then(|| sum / count as f64)
}

/// `evaluate` (each image's matches) and `accumulate` (the curves), one class at a time,
/// so only one class's IoU matrices are held at once.
fn evaluate_and_accumulate(
    cells: &Cells,
    kind: IouKind,
    progress: &mut dyn FnMut(usize),
) -> Tables {
    let thresholds = iou_thresholds();
    let recall_points = recall_thresholds();
    let mut tables = Tables::new(cells.categories.len());
    for k in 0..cells.categories.len() {
        let pairs: Vec<Option<Pair>> = (0..cells.images.len())
            .map(|i| {
                let at = cells.cell(k, i);
                pair(
                    &cells.ground_truth[at],
                    &cells.detections[at],
                    &cells.images[i],
                    kind,
                )
            })
            .collect();
        for (a, range) in AreaRange::ALL.into_iter().enumerate() {
            let matches: Vec<ImageMatches> = pairs
                .iter()
                .flatten()
                .map(|pair| match_image(pair, range, &thresholds))
                .collect();
            let counted: usize = matches.iter().map(|m| m.counted_ground_truth).sum();
            if counted == 0 {
                continue;
            }
            for (m, max_dets) in MAX_DETS.into_iter().enumerate() {
                let curves = accumulate(&matches, max_dets, counted, &recall_points, T_COUNT);
                for (t, curve) in curves.into_iter().enumerate() {
                    let at = tables.r_at(t, k, a, m);
                    tables.recall[at] = curve.recall;
                    for (r, value) in curve.precision.into_iter().enumerate() {
                        let at = tables.p_at(t, r, k, a, m);
                        tables.precision[at] = value;
                    }
                }
            }
        }
        progress(k + 1);
    }
    tables
}

/// `computeIoU` for one image and class; `None` when it holds neither ground truth nor
/// detections (`evaluateImg` answers `None` then).
fn pair<'a>(
    ground_truth: &[&'a GroundTruth],
    detections: &[&'a Detection],
    image: &Image,
    kind: IouKind,
) -> Option<Pair<'a>> {
    if ground_truth.is_empty() && detections.is_empty() {
        return None;
    }
    let mut ordered = detections.to_vec();
    // A stable sort on -score, as `np.argsort(..., kind='mergesort')`.
    ordered.sort_by(|a, b| by_score_descending(a.score, b.score));
    ordered.truncate(MAX_DETECTIONS);
    let (ious, detection_areas) = match kind {
        IouKind::Bbox => {
            let boxes: Vec<[f64; 4]> = ground_truth.iter().map(|g| g.region.bbox()).collect();
            let ious = ordered
                .iter()
                .map(|d| {
                    let db = d.region.bbox();
                    boxes
                        .iter()
                        .zip(ground_truth)
                        .map(|(gb, g)| box_iou(&db, gb, g.crowd))
                        .collect()
                })
                .collect();
            let areas: Vec<f64> = ordered
                .iter()
                .map(|d| {
                    let [_, _, w, h] = d.region.bbox();
                    w * h
                })
                .collect();
            (ious, areas)
        }
        IouKind::Segm => {
            let mask = |region: &Region| region.mask(image.width, image.height);
            let truths: Vec<Mask> = ground_truth.iter().map(|g| mask(&g.region)).collect();
            let found: Vec<Mask> = ordered.iter().map(|d| mask(&d.region)).collect();
            let ious = found
                .iter()
                .map(|d| {
                    truths
                        .iter()
                        .zip(ground_truth)
                        .map(|(mask, g)| d.iou(mask, g.crowd))
                        .collect()
                })
                .collect();
            let areas = found.iter().map(|d| d.area() as f64).collect();
            (ious, areas)
        }
    };
    let detection_areas = detection_areas
        .into_iter()
        .zip(&ordered)
        .map(|(area, d)| d.area.unwrap_or(area))
        .collect();
    Some(Pair {
        ground_truth: ground_truth.to_vec(),
        detections: ordered,
        ious,
        detection_areas,
    })
}

/// Highest score first, equal scores (0 and -0 included) as equal, so a stable sort
/// keeps ties in their given order as numpy's mergesort on `-score` does.
pub(crate) fn by_score_descending(a: f64, b: f64) -> std::cmp::Ordering {
    b.partial_cmp(&a).unwrap_or(std::cmp::Ordering::Equal)
}

/// `bbIou` of pycocotools, operation for operation: for a crowd ground truth the union
/// is the detection's own area.
pub(crate) fn box_iou(d: &[f64; 4], g: &[f64; 4], crowd: bool) -> f64 {
    let ground_area = g[2] * g[3];
    let detected_area = d[2] * d[3];
    let w = (d[2] + d[0]).min(g[2] + g[0]) - d[0].max(g[0]);
    if w <= 0.0 {
        return 0.0;
    }
    let h = (d[3] + d[1]).min(g[3] + g[1]) - d[1].max(g[1]);
    if h <= 0.0 {
        return 0.0;
    }
    let i = w * h;
    let union = if crowd {
        detected_area
    } else {
        detected_area + ground_area - i
    };
    i / union
}

/// COCOeval's greedy matching (`evaluateImg`) at one IoU threshold, the one matcher of
/// the metrics and of the asset browser's outcomes. Each detection of `detections` (in
/// that order: by score) takes the untaken ground truth of highest IoU at or above the
/// threshold (capped at 1 − 1e-10), visiting `truth_order` (ground truth not ignored
/// first); on equal IoU the later one wins, and an ignored one is only taken when no
/// other was. A crowd ground truth (`crowd`) stays free for the next detections.
/// Answers the (detection, ground truth) pairs.
pub(crate) fn greedy_matches(
    detections: &[usize],
    truth_order: &[usize],
    ignored_truth: &[bool],
    crowd: &[bool],
    iou: impl Fn(usize, usize) -> f64,
    threshold: f64,
) -> Vec<(usize, usize)> {
    let mut taken = vec![false; truth_order.len()];
    let mut pairs = Vec::new();
    for &d in detections {
        let mut best = threshold.min(1.0 - 1e-10);
        let mut chosen: Option<usize> = None;
        for (slot, &g) in truth_order.iter().enumerate() {
            if taken[slot] && !crowd[g] {
                continue;
            }
            if let Some(c) = chosen {
                if !ignored_truth[truth_order[c]] && ignored_truth[g] {
                    break;
                }
            }
            let overlap = iou(d, g);
            if overlap < best {
                continue;
            }
            best = overlap;
            chosen = Some(slot);
        }
        if let Some(slot) = chosen {
            taken[slot] = true;
            pairs.push((d, truth_order[slot]));
        }
    }
    pairs
}

/// `evaluateImg` for one area range: greedy matching at every threshold.
fn match_image(pair: &Pair, range: AreaRange, thresholds: &[f64; 10]) -> ImageMatches {
    let ignored_truth: Vec<bool> = pair
        .ground_truth
        .iter()
        .map(|g| g.crowd || range.outside(g.area))
        .collect();
    let crowd: Vec<bool> = pair.ground_truth.iter().map(|g| g.crowd).collect();
    // Ground truth not ignored first, each group in its order (a stable sort).
    let mut order: Vec<usize> = (0..pair.ground_truth.len()).collect();
    order.sort_by_key(|&g| ignored_truth[g]);
    let detections = pair.detections.len();
    let mut matched = vec![vec![false; detections]; thresholds.len()];
    let mut ignored = vec![vec![false; detections]; thresholds.len()];
    let in_order: Vec<usize> = (0..detections).collect();
    for (t, threshold) in thresholds.iter().enumerate() {
        let pairs = greedy_matches(
            &in_order,
            &order,
            &ignored_truth,
            &crowd,
            |d, g| pair.ious[d][g],
            *threshold,
        );
        for (d, g) in pairs {
            ignored[t][d] = ignored_truth[g];
            matched[t][d] = true;
        }
    }
    for (d, area) in pair.detection_areas.iter().enumerate() {
        if range.outside(*area) {
            for t in 0..thresholds.len() {
                if !matched[t][d] {
                    ignored[t][d] = true;
                }
            }
        }
    }
    ImageMatches {
        scores: pair.detections.iter().map(|d| d.score).collect(),
        matched,
        ignored,
        counted_ground_truth: ignored_truth.iter().filter(|i| !**i).count(),
    }
}

/// One threshold's figures from `accumulate`.
struct Curve {
    precision: Vec<f64>,
    recall: f64,
}

/// `accumulate` for one class, area range and detection cap: every image's kept
/// detections pooled, ordered by score (stable, images in id order), counted.
fn accumulate(
    matches: &[ImageMatches],
    max_dets: usize,
    counted: usize,
    recall_points: &[f64; 101],
    t_count: usize,
) -> Vec<Curve> {
    // (score, image, detection) in image order, then stably by -score.
    let mut pooled: Vec<(f64, usize, usize)> = Vec::new();
    for (image, m) in matches.iter().enumerate() {
        for (d, score) in m.scores.iter().take(max_dets).enumerate() {
            pooled.push((*score, image, d));
        }
    }
    pooled.sort_by(|a, b| by_score_descending(a.0, b.0));
    let npig = counted as f64;
    (0..t_count)
        .map(|t| {
            let (mut tp, mut fp) = (0u64, 0u64);
            let mut recalls = Vec::with_capacity(pooled.len());
            let mut precisions = Vec::with_capacity(pooled.len());
            for &(_, image, d) in &pooled {
                if matches[image].ignored[t][d] {
                    // Neither sum moves, but the point still counts.
                } else if matches[image].matched[t][d] {
                    tp += 1;
                } else {
                    fp += 1;
                }
                let (tp, fp) = (tp as f64, fp as f64);
                recalls.push(tp / npig);
                precisions.push(tp / (fp + tp + EPSILON));
            }
            for i in (1..precisions.len()).rev() {
                if precisions[i] > precisions[i - 1] {
                    precisions[i - 1] = precisions[i];
                }
            }
            let mut precision = vec![0.0; recall_points.len()];
            for (r, point) in recall_points.iter().enumerate() {
                let at = recalls.partition_point(|rc| rc < point);
                match precisions.get(at) {
                    Some(value) => precision[r] = *value,
                    None => break,
                }
            }
            Curve {
                precision,
                recall: recalls.last().copied().unwrap_or(0.0),
            }
        })
        .collect()
}
