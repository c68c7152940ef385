//! The demo's generated numbers: loss curves, counts, a confusion matrix and pictures.
//! Deterministic (a fixed-seed xorshift), so every first start shows the same demo.

/// A small deterministic generator.
pub struct Noise(u64);

impl Noise {
    pub fn new(seed: u64) -> Noise {
        Noise(seed.max(1))
    }

    /// Uniform in [-1, 1).
    pub fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
}

/// How one demo experiment trains: how fast and how well.
#[derive(Clone, Copy, Debug)]
pub struct Recipe {
    pub seed: u64,
    /// Steps for the loss to fall by e.
    pub time_constant: f64,
    /// Where the training loss settles.
    pub floor: f64,
    /// How far validation loss stays above training loss at the end.
    pub overfit: f64,
}

/// Train and validation loss for `steps` steps, with noise and a few spikes.
pub fn loss_curves(recipe: Recipe, steps: usize) -> (Vec<f64>, Vec<f64>) {
    let mut noise = Noise::new(recipe.seed);
    let mut train = Vec::with_capacity(steps);
    let mut validation = Vec::with_capacity(steps);
    for step in 0..steps {
        let t = step as f64;
        let base = recipe.floor + 2.2 * (-t / recipe.time_constant).exp();
        let spike = if step % 1_237 == 611 { 0.9 } else { 0.0 };
        train.push((base * (1.0 + 0.08 * noise.next()) + spike).max(0.0));
        let gap = recipe.overfit * (t / steps as f64);
        validation.push((base + 0.05 + gap) * (1.0 + 0.03 * noise.next()));
    }
    (train, validation)
}

/// A confusion matrix over `classes` with FP and FN as the extra row and column.
pub fn confusion(classes: usize, accuracy: f64, seed: u64) -> Vec<Vec<f64>> {
    let mut noise = Noise::new(seed);
    let size = classes + 1;
    let mut matrix = vec![vec![0.0; size]; size];
    for (truth, row) in matrix.iter_mut().enumerate().take(classes) {
        let total = 400.0 + 150.0 * truth as f64;
        row[truth] = (total * accuracy).round();
        let rest = total - row[truth];
        for (predicted, cell) in row.iter_mut().enumerate() {
            if predicted != truth {
                *cell = (rest / classes as f64 * (1.0 + 0.5 * noise.next()))
                    .round()
                    .max(0.0);
            }
        }
    }
    // The FP row: detections of each class where there was nothing.
    for cell in matrix[classes].iter_mut().take(classes) {
        *cell = (30.0 * (1.0 + noise.next())).round().max(0.0);
    }
    matrix
}

/// A `size`×`size` picture: a gradient sky, a road, and boxes where "detections" are.
pub fn street_picture(size: u32, variant: u32) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((size * size * 3) as usize);
    for y in 0..size {
        for x in 0..size {
            let horizon = size / 2;
            let (mut r, mut g, mut b) = if y < horizon {
                (
                    90 + (y * 80 / horizon) as u8,
                    150 + (y * 60 / horizon) as u8,
                    230u8,
                )
            } else {
                (70u8, 74u8, 80u8)
            };
            if y >= horizon && x.abs_diff(size / 2) < (y - horizon) / 6 + 1 && (y / 6) % 2 == 0 {
                (r, g, b) = (235, 235, 210);
            }
            let box_x = 10 + variant * 22;
            let in_box = x >= box_x && x < box_x + 24 && y >= horizon + 4 && y < horizon + 20;
            let on_edge =
                in_box && (x == box_x || x == box_x + 23 || y == horizon + 4 || y == horizon + 19);
            if on_edge {
                (r, g, b) = if variant.is_multiple_of(2) {
                    (255, 80, 60)
                } else {
                    (60, 220, 120)
                };
            }
            pixels.extend_from_slice(&[r, g, b]);
        }
    }
    pixels
}
