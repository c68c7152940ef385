//! An image's type and its width and height read from its first bytes (PNG, GIF, WebP
//! and JPEG headers), so an asset knows both without decoding the picture, and never
//! trusts the type a client declares.

/// The image type of `head`, read from its signature, never from the client.
pub fn image_type(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// `(width, height)` in pixels, or `None` when `head` holds no readable header.
pub fn image_size(head: &[u8]) -> Option<(u32, u32)> {
    let size = if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some((be32(head, 16)?, be32(head, 20)?))
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some((u32::from(le16(head, 6)?), u32::from(le16(head, 8)?)))
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        webp_size(head)
    } else if head.starts_with(&[0xFF, 0xD8]) {
        jpeg_size(head)
    } else {
        None
    };
    size.filter(|(w, h)| *w > 0 && *h > 0)
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn le16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn le24(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 3)?;
    Some(u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
}

/// The first chunk tells: lossy (`VP8 `), lossless (`VP8L`) or extended (`VP8X`).
fn webp_size(head: &[u8]) -> Option<(u32, u32)> {
    match head.get(12..16)? {
        b"VP8 " => Some((
            u32::from(le16(head, 26)? & 0x3FFF),
            u32::from(le16(head, 28)? & 0x3FFF),
        )),
        b"VP8L" => {
            let b = head.get(21..25)?;
            let width = 1 + (u32::from(b[0]) | (u32::from(b[1]) & 0x3F) << 8);
            let height =
                1 + (u32::from(b[1]) >> 6 | u32::from(b[2]) << 2 | (u32::from(b[3]) & 0x0F) << 10);
            Some((width, height))
        }
        b"VP8X" => Some((1 + le24(head, 24)?, 1 + le24(head, 27)?)),
        _ => None,
    }
}

/// Walks the segments to the first start-of-frame marker.
fn jpeg_size(head: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        while *head.get(at)? != 0xFF {
            at += 1;
        }
        while *head.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *head.get(at)?;
        at += 1;
        if marker == 0x01 || (0xD0..=0xD9).contains(&marker) {
            continue;
        }
        let length = usize::from(be16(head, at)?);
        let start_of_frame =
            (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker);
        if start_of_frame {
            let height = u32::from(be16(head, at + 3)?);
            let width = u32::from(be16(head, at + 5)?);
            return Some((width, height));
        }
        at += length;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_types_come_from_signatures() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(image_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(image_type(b"GIF89a..."), Some("image/gif"));
        assert_eq!(image_type(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(image_type(b"<svg onload=alert(1)>"), None);
        assert_eq!(image_type(b"RIFF\x10\0\0\0WAVE"), None);
        assert_eq!(image_type(b""), None);
    }

    #[test]
    fn png_gif_and_webp_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&480u32.to_be_bytes());
        assert_eq!(image_size(&png), Some((640, 480)));
        assert_eq!(image_size(&png[..22]), None, "cut short");

        let gif = b"GIF89a\x20\x03\x58\x02rest";
        assert_eq!(image_size(gif), Some((800, 600)));

        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        webp.extend_from_slice(&[0x3F, 0x01, 0x00, 0xEF, 0x00, 0x00]);
        assert_eq!(image_size(&webp), Some((320, 240)));
    }

    #[test]
    fn jpeg_frame_after_other_segments() {
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0xAA, 0xBB];
        jpeg.extend_from_slice(&[0xFF, 0xC2, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80]);
        assert_eq!(image_size(&jpeg), Some((640, 480)));
        assert_eq!(image_size(&jpeg[..10]), None);
        assert_eq!(image_size(b"not an image"), None);
    }
}
