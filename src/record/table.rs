//! CSV plumbing shared by the output files: how numbers are written (Rust's shortest
//! round-trip `Display`, so equal values give equal bytes; the csv crate's own float
//! format differs), how text fields the reports always quote are written, and a reader
//! whose every error names the file, the line and the field (by its header name).
//!
//! **Values that do not exist** (the mean of a readout once no cell is alive, an SD or a
//! confidence interval of one replicate, a ratio to a zero) are written as an empty field,
//! never as `NaN`; the row's cell count or replicate count says why (see
//! [`crate::record`]). Readers take an empty field as a missing value and refuse the text
//! `NaN`: vcsim never writes it, so a file that holds it is damaged or not vcsim's.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serializer};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// A CSV writer that writes every field as given: numbers are formatted by the
/// serializers below and always-quoted text by [`quoted`], so the bytes are those of the
/// hand-written writers this replaced.
pub(crate) fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .quote_style(csv::QuoteStyle::Never)
        .from_writer(out)
}

/// A csv error as an I/O error (what the writers return).
pub(crate) fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Writes `value` with Rust's shortest round-trip `Display` (`NaN`, `inf` as such).
pub(crate) fn display<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// Writes `value` as [`display`] does, but NaN (undefined) as an empty field.
pub(crate) fn display_or_empty<S: Serializer>(
    value: &f64,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if value.is_nan() {
        serializer.serialize_str("")
    } else {
        serializer.collect_str(value)
    }
}

/// Writes text in double quotes (a quote inside doubled), whatever it holds.
pub(crate) fn quoted<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format!("\"{}\"", text.replace('"', "\"\"")))
}

/// Reads a number; an empty field is NaN (a value that does not exist). The text `NaN`
/// and infinities are refused: vcsim writes neither where this is used.
pub(crate) fn number_or_nan<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    let value = bound_or_nan(deserializer)?;
    if value.is_infinite() {
        return Err(serde::de::Error::custom(
            "not a finite number (infinity is not a value here)",
        ));
    }
    Ok(value)
}

/// Reads a number or a bound that may be infinite (`inf`, `-inf`: no bound); an empty
/// field is NaN (a value that does not exist). The text `NaN` is refused.
pub(crate) fn bound_or_nan<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    parse_number(&text).map_err(serde::de::Error::custom)
}

/// Parses a recorded number: an empty field is NaN (a value that does not exist), the
/// text `NaN` is an error (vcsim writes a value that does not exist as an empty field),
/// `inf` and `-inf` are infinities.
///
/// # Errors
/// What is wrong, for a message naming the column.
pub(crate) fn parse_number(text: &str) -> Result<f64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(f64::NAN);
    }
    match text.parse::<f64>() {
        Ok(value) if value.is_nan() => Err(
            "not a number (vcsim writes a value that does not exist as an empty field, never NaN)"
                .to_string(),
        ),
        Ok(value) => Ok(value),
        Err(_) => Err("not a number".to_string()),
    }
}

/// Why a recorded file could not be read. Every variant names the file; a damaged file
/// names the line (1 = header) and, where one is at fault, the field.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file does not exist.
    #[error("{}: not found", path.display())]
    Missing {
        /// The file.
        path: PathBuf,
    },
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The file is damaged, truncated or of another shape.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// Line number (1 = header).
        line: usize,
        /// What is wrong, naming the field.
        message: String,
    },
}

/// An open CSV file with its header read.
pub struct CsvFile {
    path: PathBuf,
    reader: csv::Reader<File>,
    header: csv::StringRecord,
    /// Whether the file ends with a line end (else its last line was cut).
    ends_with_newline: bool,
}

impl CsvFile {
    /// Opens `path` and reads its header line.
    ///
    /// # Errors
    /// [`ReadError::Missing`], [`ReadError::Io`], or [`ReadError::Parse`] at line 1 for
    /// an empty file.
    pub fn open(path: &Path) -> Result<Self, ReadError> {
        let io = |source: io::Error| {
            if source.kind() == io::ErrorKind::NotFound {
                ReadError::Missing {
                    path: path.to_path_buf(),
                }
            } else {
                ReadError::Io {
                    path: path.to_path_buf(),
                    source,
                }
            }
        };
        let mut file = File::open(path).map_err(io)?;
        let length = file.seek(SeekFrom::End(0)).map_err(io)?;
        let ends_with_newline = if length == 0 {
            false
        } else {
            file.seek(SeekFrom::End(-1)).map_err(io)?;
            let mut last = [0u8];
            file.read_exact(&mut last).map_err(io)?;
            last[0] == b'\n'
        };
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(file);
        let header = reader
            .headers()
            .map_err(|e| csv_error(path, &csv::StringRecord::new(), None, e))?
            .clone();
        if header.iter().all(str::is_empty) {
            return Err(parse_error(path, 1, "empty file: no header line"));
        }
        Ok(Self {
            path: path.to_path_buf(),
            reader,
            header,
            ends_with_newline,
        })
    }

    /// The column names of the header line.
    #[must_use]
    pub const fn header(&self) -> &csv::StringRecord {
        &self.header
    }

    /// The file read.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A [`ReadError::Parse`] on this file.
    #[must_use]
    pub fn parse(&self, line: usize, message: impl Into<String>) -> ReadError {
        parse_error(&self.path, line, message)
    }

    /// Checks that the header has every column in `names`.
    ///
    /// # Errors
    /// [`ReadError::Parse`] at line 1 naming the first missing column.
    pub fn require(&self, names: &[&str]) -> Result<(), ReadError> {
        for name in names {
            if !self.header.iter().any(|h| h == *name) {
                return Err(self.parse(1, format!("missing column `{name}`")));
            }
        }
        Ok(())
    }

    /// A csv error as a [`ReadError`] naming the line and field.
    fn error(&self, e: csv::Error) -> ReadError {
        csv_error(&self.path, &self.header, None, e)
    }

    /// Calls `row` with the line number and the fields of every data line, then checks
    /// that there was one and that the file was not cut in the middle of a line.
    ///
    /// # Errors
    /// The first error of the file or of `row` (a message, reported at the line).
    pub fn for_each(
        mut self,
        mut row: impl FnMut(usize, &csv::StringRecord) -> Result<(), String>,
    ) -> Result<(), ReadError> {
        let mut record = csv::StringRecord::new();
        let mut last_line = None;
        loop {
            match self.reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(self.error(e)),
            }
            let line = record
                .position()
                .and_then(|p| usize::try_from(p.line()).ok())
                .unwrap_or(0);
            row(line, &record).map_err(|message| self.parse(line, message))?;
            last_line = Some(line);
        }
        self.finish(last_line)
    }

    /// Reads every data line as a `T` (by header name) and calls `row` with the line
    /// number and the value, one line at a time.
    ///
    /// # Errors
    /// As [`CsvFile::for_each`]; a field that does not parse names its column.
    pub fn for_each_row<T: DeserializeOwned>(
        self,
        mut row: impl FnMut(usize, T) -> Result<(), String>,
    ) -> Result<(), ReadError> {
        let (path, header) = (self.path.clone(), self.header.clone());
        self.for_each(|line, record| {
            let value = record.deserialize(Some(&header)).map_err(|e| {
                if let Some((i, message)) = message_field::<T>(&e, &header, record) {
                    let name = header.get(i).unwrap_or_default();
                    let text = record.get(i).unwrap_or_default();
                    return format!("`{name}` = `{text}`: {message}");
                }
                match csv_error(&path, &header, Some(record), e) {
                    ReadError::Parse { message, .. } => message,
                    other => other.to_string(),
                }
            })?;
            row(line, value)
        })
    }

    /// Reads every data line as a `T` (by header name), with its line number.
    ///
    /// # Errors
    /// As [`CsvFile::for_each_row`].
    pub fn deserialize<T: DeserializeOwned>(self) -> Result<Vec<(usize, T)>, ReadError> {
        let mut rows = Vec::new();
        self.for_each_row(|line, row| {
            rows.push((line, row));
            Ok(())
        })?;
        Ok(rows)
    }

    /// The checks after the last line.
    fn finish(&self, last_line: Option<usize>) -> Result<(), ReadError> {
        let Some(line) = last_line else {
            return Err(self.parse(1, "no data rows after the header (truncated file?)"));
        };
        if !self.ends_with_newline {
            return Err(self.parse(line, "the file ends in the middle of a line (truncated?)"));
        }
        Ok(())
    }
}

/// A [`ReadError::Parse`] on `path`.
fn parse_error(path: &Path, line: usize, message: impl Into<String>) -> ReadError {
    ReadError::Parse {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// The field (its index) and message of `e`, a failure to read `record` as a `T`, where
/// `e` is a message raised by a field's own deserializer (`not a number`, an unknown
/// column name): the csv crate knows the field of the errors it raises itself (a field
/// that is not an integer) but not of these. The field is found by reading ever longer
/// prefixes of the record: the first prefix that fails with the same message ends at it
/// (a shorter prefix fails only for the fields it lacks).
fn message_field<T: DeserializeOwned>(
    e: &csv::Error,
    header: &csv::StringRecord,
    record: &csv::StringRecord,
) -> Option<(usize, String)> {
    let csv::ErrorKind::Deserialize { err, .. } = e.kind() else {
        return None;
    };
    let csv::DeserializeErrorKind::Message(message) = err.kind() else {
        return None;
    };
    if err.field().is_some() {
        return None;
    }
    let same = |e: csv::Error| {
        matches!(e.into_kind(), csv::ErrorKind::Deserialize { err, .. }
            if matches!(err.kind(), csv::DeserializeErrorKind::Message(m) if m == message))
    };
    (1..=record.len().min(header.len()))
        .find(|&k| {
            let head: csv::StringRecord = header.iter().take(k).collect();
            let fields: csv::StringRecord = record.iter().take(k).collect();
            fields.deserialize::<T>(Some(&head)).is_err_and(same)
        })
        .map(|k| (k - 1, message.clone()))
}

/// A csv error on `path` (whose columns are `header`) as a [`ReadError`] naming the line
/// and, for a field that does not parse, its column and (with the `record`) its text.
fn csv_error(
    path: &Path,
    header: &csv::StringRecord,
    record: Option<&csv::StringRecord>,
    e: csv::Error,
) -> ReadError {
    let line = e
        .position()
        .and_then(|p| usize::try_from(p.line()).ok())
        .unwrap_or(1);
    match e.into_kind() {
        csv::ErrorKind::Io(source) => ReadError::Io {
            path: path.to_path_buf(),
            source,
        },
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => parse_error(
            path,
            line,
            format!(
                "{len} fields where the header has {expected_len} (truncated or damaged file?)"
            ),
        ),
        csv::ErrorKind::Deserialize { err, .. } => {
            let index = err.field().and_then(|i| usize::try_from(i).ok());
            let field = index.and_then(|i| header.get(i));
            let value = index
                .and_then(|i| record.and_then(|r| r.get(i)))
                .map_or(String::new(), |v| format!(" = `{v}`"));
            let message = match (field, err.kind()) {
                (Some(name), csv::DeserializeErrorKind::Message(m)) => {
                    format!("`{name}`{value}: {m}")
                }
                (Some(name), kind) => format!("`{name}`{value}: {kind}"),
                (None, kind) => kind.to_string(),
            };
            parse_error(path, line, message)
        }
        csv::ErrorKind::Utf8 { err, .. } => {
            parse_error(path, line, format!("not UTF-8 text: {err}"))
        }
        other => parse_error(path, line, format!("{other:?}")),
    }
}
