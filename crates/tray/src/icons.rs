//! The tray's two icons (icons/tray.png and icons/tray-attention.png), built in, and the
//! app icon notifications show.

use std::path::{Path, PathBuf};

pub const NORMAL: &[u8] = include_bytes!("../../../icons/tray.png");
pub const ATTENTION: &[u8] = include_bytes!("../../../icons/tray-attention.png");
const APP: &[u8] = include_bytes!("../../../icons/128x128.png");

/// Notification servers take an icon by file path: the app icon is written once into
/// AdoPat's own folder. A failure only costs the icon.
pub fn app_icon_file(dir: &Path) -> String {
    let path: PathBuf = dir.join("adopat.png");
    let fresh = std::fs::read(&path).is_ok_and(|bytes| bytes == APP);
    if !fresh && let Err(e) = adopat_core::files::write_atomically(&path, APP) {
        tracing::warn!("no icon for notifications: {e}");
        return "dialog-information".into();
    }
    path.display().to_string()
}

/// A PNG's pixels as RGBA, 8 bits a channel: width, height, data.
pub fn rgba(png_bytes: &[u8]) -> Option<(u32, u32, Vec<u8>)> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().ok()?;
    let mut rgba = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut rgba).ok()?;
    if info.color_type != png::ColorType::Rgba || info.bit_depth != png::BitDepth::Eight {
        return None;
    }
    rgba.truncate(info.buffer_size());
    Some((info.width, info.height, rgba))
}

/// A PNG as StatusNotifierItem pixmaps want it: ARGB32, network byte order.
#[cfg(target_os = "linux")]
pub fn argb(png_bytes: &[u8]) -> Option<(i32, i32, Vec<u8>)> {
    let (width, height, rgba) = rgba(png_bytes)?;
    let argb = rgba
        .chunks_exact(4)
        .flat_map(|p| [p[3], p[0], p[1], p[2]])
        .collect();
    Some((
        i32::try_from(width).ok()?,
        i32::try_from(height).ok()?,
        argb,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tray_icons_decode_to_rgba() {
        for icon in [NORMAL, ATTENTION] {
            let (w, h, data) = rgba(icon).expect("a tray icon that decodes");
            assert_eq!((w, h), (64, 64));
            assert_eq!(data.len(), 64 * 64 * 4);
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_tray_icons_decode_to_argb_pixmaps() {
        for icon in [NORMAL, ATTENTION] {
            let (w, h, data) = argb(icon).expect("a tray icon that decodes");
            assert_eq!((w, h), (64, 64));
            assert_eq!(data.len(), 64 * 64 * 4);
            assert!(data.chunks(4).any(|p| p[0] == 0), "transparent corners");
        }
        assert_ne!(argb(NORMAL), argb(ATTENTION));
    }
}
