//! `timeseries.csv`: a header of every [`Column`] name, then one row per recorded time.

use super::column::{Column, TimeseriesRow};
use super::table::{self, CsvFile, ReadError};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `timeseries.csv`.
///
/// # Errors
/// I/O errors of the writer.
pub fn write_timeseries(out: &mut dyn Write, rows: &[TimeseriesRow]) -> io::Result<()> {
    let mut w = table::writer(out);
    w.write_record(Column::ALL.map(Column::name))
        .map_err(table::io_error)?;
    let mut field = String::new();
    for row in rows {
        for (_, value) in row.iter() {
            field.clear();
            let _ = write!(field, "{value}");
            w.write_field(&field).map_err(table::io_error)?;
        }
        w.write_record(None::<&[u8]>).map_err(table::io_error)?;
    }
    w.flush()
}

/// A `timeseries.csv` as read: the rows, and which columns the file has (a file of an
/// older version may lack some; the others read as NaN).
#[derive(Clone, Debug)]
pub struct TimeseriesFile {
    /// The file read.
    pub path: PathBuf,
    /// The rows, in file order.
    pub rows: Vec<TimeseriesRow>,
    /// Whether the file has each column (indexed by [`Column::index`]).
    present: [bool; Column::COUNT],
}

impl TimeseriesFile {
    /// Reads `timeseries.csv`. Columns the header names that are not a [`Column`] are
    /// ignored.
    ///
    /// # Errors
    /// [`ReadError`] naming the file, line and column.
    pub fn read(path: &Path) -> Result<Self, ReadError> {
        let file = CsvFile::open(path)?;
        let columns: Vec<Option<Column>> = file
            .header()
            .iter()
            .map(|name| Column::from_name(name).ok())
            .collect();
        let mut present = [false; Column::COUNT];
        for column in columns.iter().flatten() {
            present[column.index()] = true;
        }
        let mut rows = Vec::new();
        file.for_each(|_, record| {
            let mut row = TimeseriesRow::from_fn(|_| f64::NAN);
            for (column, field) in columns.iter().zip(record) {
                if let Some(column) = column {
                    let value = field
                        .parse::<f64>()
                        .map_err(|_| format!("`{column}` = `{field}` is not a number"))?;
                    row.set(*column, value);
                }
            }
            rows.push(row);
            Ok(())
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            rows,
            present,
        })
    }

    /// Whether the file has `column`.
    #[must_use]
    pub const fn has(&self, column: Column) -> bool {
        self.present[column.index()]
    }

    /// The values of `column`, in the column's unit.
    ///
    /// # Errors
    /// [`ReadError::Parse`] at line 1 if the file has no such column.
    pub fn column(&self, column: Column) -> Result<Vec<f64>, ReadError> {
        if !self.has(column) {
            return Err(ReadError::Parse {
                path: self.path.clone(),
                line: 1,
                message: format!("missing column `{column}`"),
            });
        }
        Ok(self.rows.iter().map(|r| r.get(column)).collect())
    }
}
