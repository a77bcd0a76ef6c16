//! The `vcsim` command-line program: clap commands over the `vcsim` library, the only
//! place that prints or exits. Built with the default feature `cli`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
