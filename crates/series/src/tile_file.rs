//! The bytes of a tile chunk ([`Chunk`]). A snapshot's charts download these from a
//! static host, so they are compact: steps increase, so each is written as its
//! distance from the one before (a varint, mostly one byte); values stay bare `f64`
//! (bit for bit, NaN = gap).
//!
//! ```text
//! chunk  = "TBT2" · points: varint · [first step: i64 LE · (points − 1) × delta: varint]
//!          · points × value: f64 LE · buckets: varint
//!          · buckets × (offset delta: varint · count: varint)
//! varint = LEB128, at most 10 bytes
//! ```
//!
//! Bucket offsets (within the chunk) increase too: the first is written as is, each
//! next one as its distance from the previous.
//!
//! A file holds the chunk of every series of a log (a chart draws them together):
//!
//! ```text
//! pack   = "TBK1" · series: varint · series × (byte length: varint · chunk)
//! ```

use crate::tiles::{Chunk, Point};
use trackboard_api::{gap_as_nan, nan_as_gap};

const MAGIC: &[u8; 4] = b"TBT2";
const PACK_MAGIC: &[u8; 4] = b"TBK1";

/// The bytes of a chunk file: one chunk per series of the log, in its order.
pub fn encode_pack(chunks: &[Chunk]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(PACK_MAGIC);
    varint(&mut out, chunks.len() as u64);
    for chunk in chunks {
        let bytes = encode_chunk(chunk);
        varint(&mut out, bytes.len() as u64);
        out.extend_from_slice(&bytes);
    }
    out
}

/// A chunk file read back: one chunk per series.
pub fn decode_pack(bytes: &[u8]) -> Result<Vec<Chunk>, String> {
    let mut reader = Reader { bytes, at: 0 };
    if reader.take(4)? != PACK_MAGIC {
        return Err("not a tile file".to_owned());
    }
    let count = reader.length()?;
    let mut chunks = Vec::with_capacity(count);
    for _ in 0..count {
        let length = reader.length()?;
        chunks.push(decode_chunk(reader.take(length)?)?);
    }
    if reader.at != bytes.len() {
        return Err(format!("{} bytes after the tiles", bytes.len() - reader.at));
    }
    Ok(chunks)
}

/// The bytes of a chunk file (its points in increasing step order).
pub fn encode_chunk(chunk: &Chunk) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + chunk.points.len() * 10 + chunk.buckets.len() * 4);
    out.extend_from_slice(MAGIC);
    varint(&mut out, chunk.points.len() as u64);
    if let Some(&(first, _)) = chunk.points.first() {
        out.extend_from_slice(&first.to_le_bytes());
        for pair in chunk.points.windows(2) {
            varint(&mut out, pair[1].0.wrapping_sub(pair[0].0) as u64);
        }
    }
    for &(_, value) in &chunk.points {
        out.extend_from_slice(&gap_as_nan(value).to_le_bytes());
    }
    varint(&mut out, chunk.buckets.len() as u64);
    let mut previous = 0u32;
    for &(offset, count) in &chunk.buckets {
        varint(&mut out, u64::from(offset.wrapping_sub(previous)));
        varint(&mut out, count);
        previous = offset;
    }
    out
}

/// A chunk file read back; an error names what is wrong (never a panic: the bytes
/// come from a static host).
pub fn decode_chunk(bytes: &[u8]) -> Result<Chunk, String> {
    let mut reader = Reader { bytes, at: 0 };
    if reader.take(4)? != MAGIC {
        return Err("not a tile file".to_owned());
    }
    let count = reader.length()?;
    let mut steps = Vec::with_capacity(count);
    if count > 0 {
        let mut step = i64::from_le_bytes(reader.array()?);
        steps.push(step);
        for _ in 1..count {
            let delta = reader.varint()?;
            step = i64::try_from(delta)
                .ok()
                .filter(|&delta| delta > 0)
                .and_then(|delta| step.checked_add(delta))
                .ok_or_else(|| format!("a step delta of {delta} does not increase the step"))?;
            steps.push(step);
        }
    }
    let mut points: Vec<Point> = Vec::with_capacity(count);
    for step in steps {
        let value = f64::from_le_bytes(reader.array()?);
        points.push((step, nan_as_gap(value)));
    }
    let buckets = reader.length()?;
    let mut chunk = Chunk {
        points,
        buckets: Vec::with_capacity(buckets),
    };
    let mut offset = 0u32;
    for index in 0..buckets {
        let delta = u32::try_from(reader.varint()?).map_err(|_| "a bucket offset is too large")?;
        offset = if index == 0 {
            delta
        } else {
            offset
                .checked_add(delta)
                .filter(|_| delta > 0)
                .ok_or("bucket offsets must increase")?
        };
        chunk.buckets.push((offset, reader.varint()?));
    }
    if reader.at != bytes.len() {
        return Err(format!("{} bytes after the tile", bytes.len() - reader.at));
    }
    Ok(chunk)
}

fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, length: usize) -> Result<&[u8], String> {
        let slice = self
            .bytes
            .get(self.at..self.at.saturating_add(length))
            .ok_or_else(|| format!("a tile ends early at byte {}", self.at))?;
        self.at += length;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let slice = self.take(N)?;
        slice
            .try_into()
            .map_err(|_| format!("a tile ends early at byte {}", self.at))
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let byte = self.take(1)?[0];
            if shift == 63 && byte > 1 {
                break;
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(format!("a varint is too long at byte {}", self.at))
    }

    /// A count of items still to read: no larger than the bytes left could hold, so
    /// a hostile count cannot ask for a huge allocation.
    fn length(&mut self) -> Result<usize, String> {
        let count = self.varint()?;
        let left = (self.bytes.len() - self.at) as u64;
        if count > left {
            return Err(format!("a count of {count} with {left} bytes left"));
        }
        Ok(count as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_read_back_bit_for_bit() {
        let chunk = Chunk {
            points: vec![
                (i64::MIN, Some(1.5)),
                (-3, Some(-0.0)),
                (7, None),
                (i64::MAX, Some(f64::MIN_POSITIVE)),
            ],
            buckets: vec![(0, 2), (1, 1), (4095, u64::MAX)],
        };
        let bytes = encode_chunk(&chunk);
        let back = decode_chunk(&bytes).expect("decodes");
        assert_eq!(back, chunk);
        assert!(back.points[1].1.is_some_and(|v| v.is_sign_negative()));
        assert_eq!(
            decode_chunk(&encode_chunk(&Chunk::default())),
            Ok(Chunk::default())
        );
    }

    #[test]
    fn a_pack_holds_each_series_chunk_in_order() {
        let one = Chunk {
            points: vec![(5, Some(0.5))],
            buckets: vec![(3, 9)],
        };
        let pack = vec![one.clone(), Chunk::default(), one];
        let bytes = encode_pack(&pack);
        assert_eq!(decode_pack(&bytes), Ok(pack));
        for length in 0..bytes.len() {
            assert!(decode_pack(&bytes[..length]).is_err(), "{length} bytes");
        }
        assert!(
            decode_pack(&encode_chunk(&Chunk::default())).is_err(),
            "a bare chunk"
        );
    }

    #[test]
    fn dense_steps_take_one_byte_each() {
        let chunk = Chunk {
            points: (0..4096).map(|step| (step, Some(step as f64))).collect(),
            buckets: Vec::new(),
        };
        assert!(encode_chunk(&chunk).len() < 4096 * 9 + 16);
    }

    #[test]
    fn every_truncation_and_corruption_is_refused() {
        let chunk = Chunk {
            points: vec![(1, Some(1.0)), (300, None), (301, Some(2.0))],
            buckets: vec![(0, 1), (9, 2)],
        };
        let bytes = encode_chunk(&chunk);
        for length in 0..bytes.len() {
            assert!(decode_chunk(&bytes[..length]).is_err(), "{length} bytes");
        }
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(decode_chunk(&trailing).is_err());
        assert!(decode_chunk(b"TBT1\x00\x00").is_err(), "another format");
        // A step that does not increase, a huge count, an endless varint.
        let mut still = bytes.clone();
        still[13] = 0;
        assert!(decode_chunk(&still).is_err());
        assert!(decode_chunk(b"TBT2\xff\xff\xff\xff\x0f").is_err());
        assert!(decode_chunk(b"TBT2\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80").is_err());
    }
}
