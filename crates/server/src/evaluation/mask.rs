//! Polygon masks exactly as pycocotools rasterises them (`rleFrPoly` in its `maskApi.c`),
//! so a segmentation IoU computed here counts the same pixels as `COCOeval` does.
//!
//! A mask is kept as its "on" runs over the image's pixels in column-major order (the
//! order of COCO's run-length encoding), which is all IoU and area need.

/// The upsampling factor pycocotools walks a polygon's edges with.
const SCALE: f64 = 5.0;

/// An image's pixels set by one or more polygons: sorted, disjoint, non-touching runs
/// `[start, end)` of column-major pixel indices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mask {
    runs: Vec<(u64, u64)>,
}

impl Mask {
    /// The union of `polygons` (each a flat `x0, y0, x1, y1, …` list of at least three
    /// points) on a `width`×`height` image, as `annToRLE` builds it: each polygon
    /// rasterised by `rleFrPoly`, then merged.
    pub fn from_polygons(polygons: &[Vec<f64>], width: u32, height: u32) -> Mask {
        let mut runs = Vec::new();
        for polygon in polygons {
            runs.extend(polygon_runs(polygon, width, height));
        }
        runs.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::with_capacity(runs.len());
        for (start, end) in runs {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        Mask { runs: merged }
    }

    /// The mask of COCO's runs (unset first, column-major), as pycocotools holds an RLE.
    pub fn from_runs(counts: &[u32]) -> Mask {
        let mut runs = Vec::with_capacity(counts.len() / 2);
        let mut position = 0u64;
        for (index, &count) in counts.iter().enumerate() {
            let end = position + u64::from(count);
            if index % 2 == 1 && count > 0 {
                match runs.last_mut() {
                    // A zero-length unset run between two set ones joins them.
                    Some((_, last_end)) if *last_end == position => *last_end = end,
                    _ => runs.push((position, end)),
                }
            }
            position = end;
        }
        Mask { runs }
    }

    /// COCO's runs of this mask on an image of `pixels` pixels (unset first), as
    /// `mask.encode` gives them.
    pub fn counts(&self, pixels: u64) -> Vec<u32> {
        let mut counts = Vec::with_capacity(self.runs.len() * 2 + 1);
        let mut position = 0;
        for &(start, end) in &self.runs {
            counts.push((start - position) as u32);
            counts.push((end - start) as u32);
            position = end;
        }
        counts.push((pixels.saturating_sub(position)) as u32);
        counts
    }

    /// How many pixels are set.
    pub fn area(&self) -> u64 {
        self.runs.iter().map(|(start, end)| end - start).sum()
    }

    /// How many pixels both masks set.
    pub fn intersection(&self, other: &Mask) -> u64 {
        let (mut a, mut b, mut shared) = (0, 0, 0);
        while a < self.runs.len() && b < other.runs.len() {
            let (start_a, end_a) = self.runs[a];
            let (start_b, end_b) = other.runs[b];
            let overlap = end_a.min(end_b).saturating_sub(start_a.max(start_b));
            shared += overlap;
            if end_a <= end_b {
                a += 1;
            } else {
                b += 1;
            }
        }
        shared
    }

    /// Intersection over union as `rleIou` answers it: 0 when nothing is shared; for a
    /// crowd ground truth the union is the detection's own area.
    pub fn iou(&self, ground_truth: &Mask, crowd: bool) -> f64 {
        let shared = self.intersection(ground_truth);
        if shared == 0 {
            return 0.0;
        }
        let union = if crowd {
            self.area()
        } else {
            self.area() + ground_truth.area() - shared
        };
        shared as f64 / union as f64
    }
}

/// C's `(int)` of a double on x86-64 (`cvttsd2si`): truncation toward zero, and
/// `INT_MIN` for NaN or anything out of range (what pycocotools gets for a repeated point).
fn c_int(value: f64) -> i32 {
    if value > -2_147_483_649.0 && value < 2_147_483_648.0 {
        value as i32
    } else {
        i32::MIN
    }
}

/// The "on" runs of one polygon, following `rleFrPoly` step by step: walk the edges at
/// five times the resolution, keep the points where the walk crosses a pixel column's
/// centre, and toggle the mask at each (column, first row below the edge).
fn polygon_runs(xy: &[f64], width: u32, height: u32) -> Vec<(u64, u64)> {
    let corners = xy.len() / 2;
    let scaled = |value: f64| c_int(SCALE * value + 0.5);
    let mut x: Vec<i32> = (0..corners).map(|j| scaled(xy[2 * j])).collect();
    let mut y: Vec<i32> = (0..corners).map(|j| scaled(xy[2 * j + 1])).collect();
    x.push(x[0]);
    y.push(y[0]);

    let (mut u, mut v) = (Vec::new(), Vec::new());
    for j in 0..corners {
        let (mut xs, mut xe, mut ys, mut ye) = (x[j], x[j + 1], y[j], y[j + 1]);
        let dx = (xe - xs).abs();
        let dy = (ys - ye).abs();
        let flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
        if flip {
            std::mem::swap(&mut xs, &mut xe);
            std::mem::swap(&mut ys, &mut ye);
        }
        if dx >= dy {
            // 0 / 0 for a repeated point: NaN, as in C.
            let slope = f64::from(ye - ys) / f64::from(dx);
            for d in 0..=dx {
                let t = if flip { dx - d } else { d };
                u.push(t + xs);
                v.push(c_int(f64::from(ys) + slope * f64::from(t) + 0.5));
            }
        } else {
            let slope = f64::from(xe - xs) / f64::from(dy);
            for d in 0..=dy {
                let t = if flip { dy - d } else { d };
                v.push(t + ys);
                u.push(c_int(f64::from(xs) + slope * f64::from(t) + 0.5));
            }
        }
    }

    let last_column = f64::from(width) - 1.0;
    let rows = f64::from(height);
    let mut toggles = Vec::new();
    for j in 1..u.len() {
        if u[j] == u[j - 1] {
            continue;
        }
        let column = f64::from(if u[j] < u[j - 1] { u[j] } else { u[j] - 1 });
        let column = (column + 0.5) / SCALE - 0.5;
        if column.floor() != column || column < 0.0 || column > last_column {
            continue;
        }
        let row = f64::from(v[j].min(v[j - 1]));
        let row = ((row + 0.5) / SCALE - 0.5).clamp(0.0, rows).ceil();
        toggles.push(column as u64 * u64::from(height) + row as u64);
    }
    toggles.sort_unstable();

    // Toggles at the same pixel cancel in pairs (pycocotools merges the empty runs).
    let pixels = u64::from(width) * u64::from(height);
    let mut runs = Vec::new();
    let mut start = None;
    let mut index = 0;
    while index < toggles.len() {
        let at = toggles[index];
        let mut repeats = 0;
        while index < toggles.len() && toggles[index] == at {
            repeats += 1;
            index += 1;
        }
        if repeats % 2 == 0 || at >= pixels {
            continue;
        }
        match start.take() {
            None => start = Some(at),
            Some(from) => runs.push((from, at)),
        }
    }
    if let Some(from) = start {
        runs.push((from, pixels));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pixels of a mask as a row-major picture, `#` for set.
    fn picture(mask: &Mask, width: u32, height: u32) -> Vec<String> {
        let mut rows = vec![vec!['.'; width as usize]; height as usize];
        for &(start, end) in &mask.runs {
            for pixel in start..end {
                let column = pixel / u64::from(height);
                let row = pixel % u64::from(height);
                rows[row as usize][column as usize] = '#';
            }
        }
        rows.into_iter()
            .map(|row| row.into_iter().collect())
            .collect()
    }

    #[test]
    fn a_square_on_pixel_borders_sets_the_pixels_whose_centres_it_holds() {
        // pycocotools: frPyObjects([[1,1, 1,3, 3,3, 3,1]], 4, 5) sets columns 1–2 of rows 1–2.
        let mask = Mask::from_polygons(&[vec![1.0, 1.0, 1.0, 3.0, 3.0, 3.0, 3.0, 1.0]], 5, 4);
        assert_eq!(picture(&mask, 5, 4), [".....", ".##..", ".##..", "....."]);
        assert_eq!(mask.area(), 4);
    }

    #[test]
    fn runs_read_as_pycocotools_holds_them() {
        // Rows 1–2 of columns 1–2 on a 4×4 image, as `mask.encode` writes it.
        let runs = Mask::from_runs(&[5, 2, 2, 2, 5]);
        let square = Mask::from_polygons(&[vec![1.0, 1.0, 1.0, 3.0, 3.0, 3.0, 3.0, 1.0]], 4, 4);
        assert_eq!(runs, square);
        assert_eq!(square.counts(16), [5, 2, 2, 2, 5]);
        // A set first pixel (an unset run of 0) and an empty unset run between set ones.
        let joined = Mask::from_runs(&[0, 2, 0, 3, 11]);
        assert_eq!(picture(&joined, 4, 4), ["##..", "#...", "#...", "#..."]);
        assert_eq!(joined.area(), 5);
    }

    #[test]
    fn overlapping_polygons_merge_and_iou_counts_pixels() {
        let left = vec![0.0, 0.0, 0.0, 4.0, 2.0, 4.0, 2.0, 0.0];
        let right = vec![1.0, 0.0, 1.0, 4.0, 3.0, 4.0, 3.0, 0.0];
        let both = Mask::from_polygons(&[left.clone(), right.clone()], 4, 4);
        assert_eq!(both.area(), 12);
        let a = Mask::from_polygons(&[left], 4, 4);
        let b = Mask::from_polygons(&[right], 4, 4);
        assert_eq!(a.intersection(&b), 4);
        assert_eq!(a.iou(&b, false), 4.0 / 12.0);
        assert_eq!(a.iou(&b, true), 4.0 / 8.0);
    }

    #[test]
    fn a_polygon_off_the_image_is_clipped_and_a_repeated_point_is_harmless() {
        let off = Mask::from_polygons(&[vec![-5.0, -5.0, -5.0, 2.0, 2.0, 2.0, 2.0, -5.0]], 4, 4);
        assert_eq!(picture(&off, 4, 4), ["##..", "##..", "....", "...."]);
        let repeated = Mask::from_polygons(
            &[vec![1.0, 1.0, 1.0, 1.0, 1.0, 3.0, 3.0, 3.0, 3.0, 1.0]],
            5,
            4,
        );
        assert_eq!(repeated.area(), 4);
        let nothing = Mask::from_polygons(&[vec![10.0, 10.0, 12.0, 10.0, 11.0, 12.0]], 4, 4);
        assert_eq!(nothing.area(), 0);
        assert_eq!(nothing.iou(&off, false), 0.0);
    }
}
