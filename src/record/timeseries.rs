//! `timeseries.csv`: a header of every [`Column`] name, then one row per recorded time.
//! A value that does not exist (the mean or a percentile of a readout of the living cells
//! once no cell is alive, a fraction of the living cells then) is an empty field, and
//! `cells_alive` = 0 on the row says why ([`crate::record`]).

use super::column::{Column, TimeseriesRow};
use super::table::{self, CsvFile, ReadError};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `timeseries.csv`; a NaN value (one that does not exist) is an empty field.
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
            if !value.is_nan() {
                let _ = write!(field, "{value}");
            }
            w.write_field(&field).map_err(table::io_error)?;
        }
        w.write_record(None::<&[u8]>).map_err(table::io_error)?;
    }
    w.flush()
}

/// A `timeseries.csv` as read: the rows, and which columns the file has (a file of an
/// older version may lack some; the others read as NaN). An empty field reads as NaN: a
/// value that does not exist, drawn as a gap.
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
    /// ignored. An empty field is a value that does not exist (NaN); every other field
    /// must be a finite number, of at least 0 in every column that counts, times or
    /// amounts (all but Moran's I and its control, [`Column::may_be_negative`]).
    ///
    /// # Errors
    /// [`ReadError`] naming the file, line and column: a field that is not a number, the
    /// text `NaN` (vcsim writes a value that does not exist as an empty field), an
    /// infinite or a negative value.
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
                    let value = table::parse_number(field)
                        .map_err(|message| format!("`{column}` = `{field}`: {message}"))?;
                    if value.is_infinite() {
                        return Err(format!("`{column}` = `{field}`: must be a finite number"));
                    }
                    if value < 0.0 && !column.may_be_negative() {
                        return Err(format!(
                            "`{column}` = `{field}`: must be a finite number of at least 0 \
                             (unit: {})",
                            column.unit()
                        ));
                    }
                    if value.is_nan() && matches!(column, Column::TimeH | Column::TimeDays) {
                        return Err(format!("`{column}` is empty: every row has a time"));
                    }
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
