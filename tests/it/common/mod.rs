//! Helpers shared by the integration tests: running the binary, reading back what the
//! renderers wrote.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use vcsim::record::TimeseriesRow;
use vcsim::scenario::Scenario;
use vcsim::sim::{Simulation, Threads};

/// Runs the `vcsim` binary with `args` and collects its output.
pub fn vcsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vcsim"))
        .args(args)
        .output()
        .expect("cannot run the vcsim binary")
}

/// The `vcsim` binary as a command to configure (for a child to signal or kill).
pub fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vcsim"))
}

/// Waits (up to a minute) until `ready` holds, polling every millisecond, failing the
/// test otherwise.
pub fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// Standard error as text.
pub fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts a failure with one of `codes`: no panic, nothing on stdout, 1 to `max_lines`
/// lines on stderr, the first starting with `error: `, and every one of `needles` in it.
/// Returns stderr.
#[track_caller]
pub fn assert_fails_with(
    output: &Output,
    codes: &[i32],
    max_lines: usize,
    needles: &[&str],
) -> String {
    let stderr = stderr_of(output);
    assert!(!stderr.contains("panicked"), "panic on stderr: {stderr}");
    let code = output.status.code();
    assert!(
        code.is_some_and(|c| codes.contains(&c)),
        "exit code {code:?}, expected one of {codes:?}; stderr: {stderr}"
    );
    let lines = stderr.lines().count();
    assert!(
        (1..=max_lines).contains(&lines),
        "expected 1 to {max_lines} stderr lines, got {lines}: {stderr:?}"
    );
    assert!(
        stderr.starts_with("error: "),
        "stderr does not start with `error: `: {stderr:?}"
    );
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "stderr does not mention {needle:?}: {stderr:?}"
        );
    }
    assert!(
        output.stdout.is_empty(),
        "a failed run wrote to stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    stderr
}

/// The base scenario of the `vcsim compare` tests (`experiment`, `posterior`): a small
/// well in calcifying medium (8 x 8 sites, 4 days, recorded daily, seed 11).
pub const SMALL_WELL: &str = r#"
[meta]
name = "base"
description = "small calcifying well"
seed = 11
[geometry]
mode = "in_vitro"
axial_sites = 8
circumferential_sites = 8
[time]
duration_days = 4.0
[environment]
calcium_mM = 2.8
beta_glycerophosphate_mM = 10.0
medium_change_every_days = 2.0
[record]
every_h = 24.0
"#;

/// Writes an experiment into `dir`: `base.toml` ([`SMALL_WELL`]) and `e.toml`
/// (`experiment`, whose base is `base.toml`).
pub fn write_experiment(dir: &Path, experiment: &str) {
    fs::write(dir.join("base.toml"), SMALL_WELL).expect("write base");
    fs::write(dir.join("e.toml"), experiment).expect("write experiment");
}

/// Runs a scenario in this process on one thread and returns its time series.
pub fn run_serial(scenario: &Scenario) -> Vec<TimeseriesRow> {
    Simulation::new(scenario, Threads::Serial)
        .expect("builds")
        .run(|_, _| {})
        .expect("runs")
        .timeseries
}

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
