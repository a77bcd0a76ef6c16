//! Helpers shared by the integration tests: running the binary, reading back what the
//! renderers wrote.

use std::fs;
use std::path::{Path, PathBuf};

/// Width, height and the variance of the grey level of a PNG (0 for a blank image).
pub fn png_stats(path: &Path) -> (u32, u32, f64) {
    let decoder = png::Decoder::new(fs::File::open(path).expect("PNG file"));
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG image");
    let channels = info.color_type.samples();
    let greys: Vec<f64> = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| p.iter().take(3).map(|v| f64::from(*v)).sum::<f64>() / 3.0)
        .collect();
    let n = greys.len() as f64;
    let mean = greys.iter().sum::<f64>() / n;
    let variance = greys.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / n;
    (info.width, info.height, variance)
}

/// The file names of written figures.
pub fn names(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .map(|f| {
            f.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect()
}

/// The text of every `<text>` element of an SVG, trimmed.
pub fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|s| {
            let body = s.split_once('>')?.1;
            Some(body.split_once("</text>")?.0.trim().to_string())
        })
        .collect()
}
