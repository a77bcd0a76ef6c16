//! Build script: records the git commit the binary is built from, and lists the protocol
//! files of `data/protocols/` for the library to bundle.
//!
//! Protocols: every `data/protocols/*.toml`, sorted by name, becomes an entry
//! `(stem, include_str!(path))` of `$OUT_DIR/protocol_files.rs`, which
//! `src/validation/quantitative.rs` includes; a file added or removed reruns the script.
//!
//! Sets `VCSIM_GIT_COMMIT` to `git rev-parse HEAD`, with `-dirty` appended when tracked
//! files differ from that commit (untracked files are ignored), or to `unknown` when git
//! or a repository is not available (a crate tarball, a copy without `.git`). It never
//! fails the build. `vcsim run` writes the value into each run's `manifest.json`.
//!
//! The script reruns when `HEAD` or the branch it points to moves (a commit, a checkout).
//! Editing a tracked file does not rerun it, so `-dirty` reflects the state at the last
//! rerun; a commit or checkout refreshes it.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=VCSIM_GIT_COMMIT");
    let commit = std::env::var("VCSIM_GIT_COMMIT")
        .ok()
        .filter(|value| !value.trim().is_empty())
        .or_else(commit_from_git)
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=VCSIM_GIT_COMMIT={commit}");
    list_protocols();
}

/// Writes `$OUT_DIR/protocol_files.rs`: a slice of `(stem, text)` of every
/// `data/protocols/*.toml`, sorted by stem.
fn list_protocols() {
    let dir = manifest_dir().join("data").join("protocols");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut stems: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .filter_map(|p| p.file_stem()?.to_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    stems.sort();
    let mut code = String::from("&[\n");
    for stem in &stems {
        let path = dir.join(format!("{stem}.toml"));
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!(
            "    ({stem:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("]\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("protocol_files.rs"), code).expect("OUT_DIR is writable");
}

/// The commit of the repository around the manifest directory, or `None`.
fn commit_from_git() -> Option<String> {
    let head = git(&["rev-parse", "--verify", "HEAD"])?;
    if head.len() != 40 || !head.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    watch_head_and_branch();
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
        .is_some_and(|status| !status.is_empty());
    Some(if dirty { format!("{head}-dirty") } else { head })
}

/// Asks cargo to rerun this script when `HEAD`, its branch or the packed refs change.
/// Uses `git rev-parse --git-path`, which also resolves the files of a worktree.
fn watch_head_and_branch() {
    let mut files = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        files.push(branch);
    }
    for file in files {
        if let Some(path) = git(&["rev-parse", "--git-path", &file]) {
            let path = PathBuf::from(path);
            let path = if path.is_absolute() {
                path
            } else {
                manifest_dir().join(path)
            };
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}

/// Runs git in the manifest directory; its trimmed standard output, or `None` on any failure.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(manifest_dir())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8(output.stdout).ok()?.trim().to_owned())
}

/// The package root, where `Cargo.toml` is.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from("."), PathBuf::from)
}
