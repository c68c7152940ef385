//! COCO's run-length masks (RLE) as they are spelled on the wire: `counts` alternate
//! runs of unset and set pixels in column-major order, starting with an unset run
//! (possibly 0). COCO writes them either as a list of numbers ("uncompressed", how its
//! crowd regions come) or as a string ("compressed", what `pycocotools.mask.encode` and
//! every results file write). Both read to the same runs here, for the server's metrics
//! and the dashboard's drawing alike.

use serde::{Deserialize, Serialize};

/// A mask's `counts`, in either of COCO's spellings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum RleCounts {
    /// COCO's compressed string (`rleToString`): each count a variable-length group of
    /// 6-bit characters from `'0'`, counts after the second as differences.
    Compressed(String),
    /// The runs as numbers.
    Runs(Vec<u64>),
}

/// Why `counts` cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RleError {
    /// A character outside COCO's alphabet (`'0'` to `'o'`), at this byte.
    BadCharacter(usize),
    /// The string ends inside a count.
    Truncated,
    /// A count is negative or beyond 2³²−1 (pycocotools' `uint`), at this position.
    OutOfRange(usize),
}

impl std::fmt::Display for RleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RleError::BadCharacter(at) => write!(
                f,
                "character {at} is not one of COCO's RLE characters ('0' to 'o')"
            ),
            RleError::Truncated => write!(f, "the string ends inside a count"),
            RleError::OutOfRange(at) => {
                write!(f, "count {at} is negative or larger than 4294967295")
            }
        }
    }
}

impl RleCounts {
    /// The runs, unset first, as `rleFrString` (compressed) or the list (uncompressed)
    /// gives them.
    pub fn runs(&self) -> Result<Vec<u32>, RleError> {
        match self {
            RleCounts::Runs(runs) => runs
                .iter()
                .enumerate()
                .map(|(at, &run)| u32::try_from(run).map_err(|_| RleError::OutOfRange(at)))
                .collect(),
            RleCounts::Compressed(text) => decompress(text.as_bytes()),
        }
    }
}

/// `rleFrString`: each count is read 5 bits a character, low bits first, while the
/// character's sixth bit says more follow; the last character's fifth bit is the sign.
/// From the third count on, each is a difference from the count two before.
fn decompress(text: &[u8]) -> Result<Vec<u32>, RleError> {
    let mut runs: Vec<u32> = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let mut value: i64 = 0;
        let mut shift = 0;
        loop {
            let Some(&byte) = text.get(at) else {
                return Err(RleError::Truncated);
            };
            let code = i64::from(byte) - 48;
            if !(0..64).contains(&code) {
                return Err(RleError::BadCharacter(at));
            }
            if shift > 60 {
                return Err(RleError::OutOfRange(runs.len()));
            }
            value |= (code & 0x1f) << shift;
            shift += 5;
            at += 1;
            if code & 0x20 == 0 {
                if code & 0x10 != 0 {
                    value |= -1i64 << shift;
                }
                break;
            }
        }
        if runs.len() > 2 {
            value += i64::from(runs[runs.len() - 2]);
        }
        let run = u32::try_from(value).map_err(|_| RleError::OutOfRange(runs.len()))?;
        runs.push(run);
    }
    Ok(runs)
}

/// `rleToString`: the compressed spelling of `runs`, as pycocotools writes it.
pub fn compress_runs(runs: &[u32]) -> String {
    let mut text = String::new();
    for (index, &run) in runs.iter().enumerate() {
        let mut value = i64::from(run);
        if index > 2 {
            value -= i64::from(runs[index - 2]);
        }
        loop {
            let mut code = value & 0x1f;
            value >>= 5;
            let more = if code & 0x10 != 0 {
                value != -1
            } else {
                value != 0
            };
            if more {
                code |= 0x20;
            }
            text.push(char::from((code + 48) as u8));
            if !more {
                break;
            }
        }
    }
    text
}

/// `rleToBbox`: the box `[x, y, width, height]` around the set pixels of a
/// `height`-row mask; a run that wraps to the next column spans every row, as there.
/// All zeros when nothing is set.
pub fn runs_bbox(runs: &[u32], height: u32) -> [f64; 4] {
    // pycocotools ignores a trailing unset run, and counts in unsigned 32-bit arithmetic.
    let pairs = runs.len() / 2 * 2;
    if pairs == 0 || height == 0 {
        return [0.0; 4];
    }
    let (mut x_start, mut y_start) = (u32::MAX, height);
    let (mut x_end, mut y_end) = (0u32, 0u32);
    let (mut position, mut x_previous) = (0u32, 0u32);
    for (index, &run) in runs[..pairs].iter().enumerate() {
        position = position.wrapping_add(run);
        let pixel = position.wrapping_sub((index % 2) as u32);
        let y = pixel % height;
        let x = (pixel - y) / height;
        if index % 2 == 0 {
            x_previous = x;
        } else if x_previous < x {
            y_start = 0;
            y_end = height - 1;
        }
        x_start = x_start.min(x);
        x_end = x_end.max(x);
        y_start = y_start.min(y);
        y_end = y_end.max(y);
    }
    [
        f64::from(x_start),
        f64::from(y_start),
        f64::from(x_end - x_start + 1),
        f64::from(y_end - y_start + 1),
    ]
}

/// How many pixels `runs` set (`rleArea`).
pub fn runs_area(runs: &[u32]) -> u64 {
    runs.iter()
        .skip(1)
        .step_by(2)
        .map(|&run| u64::from(run))
        .sum()
}

/// How many pixels `runs` cover in all: the image's `height × width` for a whole mask.
pub fn runs_total(runs: &[u32]) -> u64 {
    runs.iter().map(|&run| u64::from(run)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_written_by_pycocotools_read_back_to_their_runs() {
        // pycocotools.mask.encode of a 4×4 mask with rows 1–2 of columns 1–2 set.
        let runs = vec![5, 2, 2, 2, 5];
        assert_eq!(compress_runs(&runs), "52203");
        assert_eq!(RleCounts::Compressed("52203".into()).runs(), Ok(runs));
        // A 300×200 mask with long runs and negative differences (several characters a
        // count), as pycocotools writes it.
        let runs = vec![1510, 240, 60, 240, 42950, 3, 14996, 1];
        assert_eq!(compress_runs(&runs), "V_1`7l10ZlY1cH^fTON");
        let read = RleCounts::Compressed("V_1`7l10ZlY1cH^fTON".into()).runs();
        assert_eq!(read, Ok(runs));
        let runs = vec![0, 100_000, 7, 3, 4_000_000_000, 1];
        assert_eq!(RleCounts::Compressed(compress_runs(&runs)).runs(), Ok(runs));
    }

    #[test]
    fn bad_strings_and_numbers_are_named() {
        let read = |text: &str| RleCounts::Compressed(text.into()).runs();
        assert_eq!(read("5 2"), Err(RleError::BadCharacter(1)));
        assert_eq!(read("p"), Err(RleError::BadCharacter(0)));
        // '`' (48 + 48) has the "more follows" bit: the string ends inside a count.
        assert_eq!(read("5`"), Err(RleError::Truncated));
        // A negative first count.
        assert_eq!(read("@"), Err(RleError::OutOfRange(0)));
        assert_eq!(
            RleCounts::Runs(vec![1, 1 << 32]).runs(),
            Err(RleError::OutOfRange(1))
        );
    }

    #[test]
    fn the_box_and_area_are_rle_to_bbox_and_rle_area() {
        // Rows 1–2 of columns 1–2 on a 4-row image.
        assert_eq!(runs_bbox(&[5, 2, 2, 2, 5], 4), [1.0, 1.0, 2.0, 2.0]);
        assert_eq!(runs_area(&[5, 2, 2, 2, 5]), 4);
        assert_eq!(runs_total(&[5, 2, 2, 2, 5]), 16);
        // A run wrapping from column 0's last row into column 1: every row is spanned.
        assert_eq!(runs_bbox(&[3, 2, 11], 4), [0.0, 0.0, 2.0, 4.0]);
        assert_eq!(runs_bbox(&[16], 4), [0.0; 4]);
        assert_eq!(runs_bbox(&[], 4), [0.0; 4]);
    }
}
