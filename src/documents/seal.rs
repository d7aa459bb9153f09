//! The commission's seal image: a PNG decoded into RGBA pixels, checked for what a seal can be,
//! placed over the date of awards, mediation statements and notices.

/// A decoded seal: RGBA, 8 bits a channel, row by row from the top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealImage {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// The largest seal file accepted.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// The largest side, in pixels (a 42 mm seal at 1,200 dpi is under 2,000).
pub const MAX_SIDE: u32 = 2000;

impl SealImage {
    /// Decodes a PNG; refused (with the reason in Chinese) when it is not a PNG, is too large,
    /// or is far from square, as a round seal scanned is.
    pub fn from_png(bytes: &[u8]) -> Result<SealImage, String> {
        if bytes.len() > MAX_BYTES {
            return Err(format!("印章图片不能超过 {} MB", MAX_BYTES / 1024 / 1024));
        }
        let mut decoder = png::Decoder::new_with_limits(std::io::Cursor::new(bytes), png::Limits { bytes: 64 * 1024 * 1024 });
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info().map_err(|_| "印章图片应为 PNG 格式（最好是透明背景）".to_string())?;
        let (width, height) = (reader.info().width, reader.info().height);
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
            return Err(format!("印章图片的长和宽应在 1 到 {MAX_SIDE} 像素之间"));
        }
        if width.max(height) > 2 * width.min(height) {
            return Err("印章图片应接近正方形（圆形印章的扫描件）".into());
        }
        let mut buf = vec![0; reader.output_buffer_size().ok_or("印章图片太大")?];
        let info = reader.next_frame(&mut buf).map_err(|_| "印章图片已损坏，无法读取".to_string())?;
        let pixels = &buf[..info.buffer_size()];
        let rgba = match info.color_type {
            png::ColorType::Rgba => pixels.to_vec(),
            png::ColorType::Rgb => pixels.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect(),
            png::ColorType::GrayscaleAlpha => pixels.chunks_exact(2).flat_map(|p| [p[0], p[0], p[0], p[1]]).collect(),
            png::ColorType::Grayscale => pixels.iter().flat_map(|&g| [g, g, g, 255]).collect(),
            png::ColorType::Indexed => return Err("印章图片的调色板无法读取".into()),
        };
        Ok(SealImage { width, height, rgba })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG of `w` × `h` red pixels, half transparent.
    pub fn red_png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(png::ColorType::Rgba);
        e.set_depth(png::BitDepth::Eight);
        let mut writer = e.write_header().unwrap();
        writer.write_image_data(&[200, 20, 20, 128].repeat((w * h) as usize)).unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn a_png_seal_decodes_to_rgba() {
        let seal = SealImage::from_png(&red_png(4, 4)).unwrap();
        assert_eq!((seal.width, seal.height, seal.rgba.len()), (4, 4, 64));
        assert_eq!(&seal.rgba[..4], &[200, 20, 20, 128]);
    }

    #[test]
    fn what_is_not_a_seal_png_is_refused_with_the_reason() {
        assert!(SealImage::from_png(b"GIF89a").unwrap_err().contains("PNG"));
        assert!(SealImage::from_png(&red_png(30, 4)).unwrap_err().contains("正方形"));
        assert!(SealImage::from_png(&vec![0; MAX_BYTES + 1]).unwrap_err().contains("MB"));
    }
}
