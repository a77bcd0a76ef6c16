//! The `vcsim` command-line program; all logic lives in `vcsim::cli`.

fn main() -> std::process::ExitCode {
    vcsim::cli::run()
}
