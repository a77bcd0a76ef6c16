//! The command line's one error type: an [`anyhow::Error`] (with the context that names
//! the file or flag) and the exit code it maps to.

use std::fmt;

/// What kind of failure, which decides the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitKind {
    /// Invalid user input: flags, values, the content of a scenario or experiment (exit 1).
    Invalid,
    /// A runtime or I/O failure (exit 2).
    Runtime,
    /// Stopped by this signal (SIGINT, SIGTERM): exit 128 + the signal's number.
    Interrupted(u8),
}

/// A failure of a command: what went wrong, with its context, and its exit kind.
///
/// `?` on an [`anyhow::Result`] makes a [`ExitKind::Runtime`] error, so I/O is written as
/// `fs::rename(a, b).with_context(|| format!("--out {}: ...", out.display()))?`; invalid
/// input is said explicitly ([`CliError::invalid`], [`ResultExt::invalid`]).
#[derive(Debug)]
pub struct CliError {
    kind: ExitKind,
    error: anyhow::Error,
}

impl CliError {
    /// An error of this kind.
    pub fn new(kind: ExitKind, error: impl Into<anyhow::Error>) -> Self {
        Self {
            kind,
            error: error.into(),
        }
    }

    /// Invalid user input (exit 1) with this message.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ExitKind::Invalid, anyhow::Error::msg(message.into()))
    }

    /// A runtime or I/O failure (exit 2) with this message.
    pub fn runtime(message: impl Into<String>) -> Self {
        Self::new(ExitKind::Runtime, anyhow::Error::msg(message.into()))
    }

    /// The process exit code: 1 for invalid input, 2 for a runtime or I/O failure.
    pub const fn exit_code(&self) -> u8 {
        match self.kind {
            ExitKind::Invalid => 1,
            ExitKind::Runtime => 2,
            ExitKind::Interrupted(signal) => 128_u8.saturating_add(signal),
        }
    }
}

/// The error and its causes, joined by `: `. The library's errors already name their
/// cause in their own message (`path: cannot read the scenario file: No such file`), so
/// a cause whose text is already there is not repeated.
impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.error.to_string();
        for cause in self.error.chain().skip(1) {
            let cause = cause.to_string();
            if !text.contains(&cause) {
                text.push_str(": ");
                text.push_str(&cause);
            }
        }
        f.write_str(&text)
    }
}

impl From<anyhow::Error> for CliError {
    fn from(error: anyhow::Error) -> Self {
        Self::new(ExitKind::Runtime, error)
    }
}

/// Classifies the error of a `Result` by exit kind.
pub trait ResultExt<T> {
    /// The error as invalid user input (exit 1).
    ///
    /// # Errors
    /// The error, classified.
    fn invalid(self) -> Result<T, CliError>;

    /// The error as a runtime or I/O failure (exit 2).
    ///
    /// # Errors
    /// The error, classified.
    fn runtime(self) -> Result<T, CliError>;
}

impl<T, E: Into<anyhow::Error>> ResultExt<T> for Result<T, E> {
    fn invalid(self) -> Result<T, CliError> {
        self.map_err(|e| CliError::new(ExitKind::Invalid, e))
    }

    fn runtime(self) -> Result<T, CliError> {
        self.map_err(|e| CliError::new(ExitKind::Runtime, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;
    use std::io;

    #[test]
    fn context_and_cause_make_one_line() {
        let failed: Result<(), io::Error> = Err(io::Error::other("disk full"));
        let error = CliError::from(
            failed
                .context("wall.csv")
                .context("--out run: write failed")
                .unwrap_err(),
        );
        assert_eq!(
            error.to_string(),
            "--out run: write failed: wall.csv: disk full"
        );
        assert_eq!(error.exit_code(), 2);
    }

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        #[derive(Debug, thiserror::Error)]
        #[error("s.toml: cannot read the scenario file: {source}")]
        struct Unreadable {
            source: io::Error,
        }
        let error: Result<(), _> = Err(Unreadable {
            source: io::Error::other("no such file"),
        });
        let error = error.invalid().unwrap_err();
        assert_eq!(
            error.to_string(),
            "s.toml: cannot read the scenario file: no such file"
        );
        assert_eq!(error.exit_code(), 1);
    }
}
