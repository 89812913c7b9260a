//! Tables written as CSV or as an Excel workbook: the report and the lists are written through
//! [`Table`] and do not know which.
//!
//! Workbooks are written with rust_xlsxwriter in constant-memory mode (rows go to a temporary
//! file as they come), so a large report costs no more memory than a CSV one. Text is always
//! written as text, never as a formula, so no neutralising is needed there.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::audit::tally::Count;

use super::commit::Output;
use super::csv::{CsvOut, CsvStyle};
use crate::report::summary::JsonSummary;

/// A file format for tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Csv,
    Xlsx,
}

impl TableFormat {
    /// `explicit` if given, else from the path's extension (`.xlsx`, `.xlsm`: a workbook).
    pub fn for_path(path: &str, explicit: Option<TableFormat>) -> TableFormat {
        explicit.unwrap_or_else(|| {
            let ext = Path::new(path)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default();
            if ext.eq_ignore_ascii_case("xlsx") || ext.eq_ignore_ascii_case("xlsm") {
                TableFormat::Xlsx
            } else {
                TableFormat::Csv
            }
        })
    }
}

/// One cell of a table.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Text(&'a str),
    /// `None` is a state the input could not tell (written as `Unknown`).
    Bool(Option<bool>),
}

/// A table being written: a header row, then rows of cells.
pub trait Table {
    fn cell(&mut self, value: Value<'_>) -> Result<()>;
    fn end_row(&mut self) -> Result<()>;
    /// Adds the summary (workbooks get a second sheet; CSV has nowhere to put it).
    fn summary(&mut self, _doc: &JsonSummary<'_>) -> Result<()> {
        Ok(())
    }
    /// Finishes the file and returns the destination, ready to commit.
    fn finish(self: Box<Self>) -> Result<Output>;
}

/// Opens a table with its header row.
pub fn create(
    out: Output,
    format: TableFormat,
    style: CsvStyle,
    sheet: &str,
    headers: &[&str],
) -> Result<Box<dyn Table>> {
    Ok(match format {
        TableFormat::Csv => Box::new(CsvOut::new(out, style, headers)?),
        TableFormat::Xlsx => Box::new(XlsxTable::new(out, sheet, headers)?),
    })
}

impl Table for CsvOut<Output> {
    fn cell(&mut self, value: Value<'_>) -> Result<()> {
        self.field(match value {
            Value::Text(t) => t,
            Value::Bool(Some(true)) => "True",
            Value::Bool(Some(false)) => "False",
            Value::Bool(None) => "Unknown",
        })
    }

    fn end_row(&mut self) -> Result<()> {
        CsvOut::end_row(self)
    }

    fn finish(self: Box<Self>) -> Result<Output> {
        CsvOut::finish(*self)
    }
}

/// Rows a worksheet holds, header included.
const MAX_ROWS: u32 = 1_048_576;
/// Column widths (in characters) are fitted to the content up to this.
const MAX_WIDTH: usize = 60;

/// A workbook with one sheet for the table (bold frozen header, autofilter, fitted widths),
/// and a `Summary` sheet when [`Table::summary`] is called.
pub struct XlsxTable {
    workbook: Workbook,
    out: Output,
    row: u32,
    col: u16,
    widths: Vec<usize>,
}

impl XlsxTable {
    fn new(out: Output, sheet: &str, headers: &[&str]) -> Result<XlsxTable> {
        let mut workbook = Workbook::new();
        let ws = workbook.add_worksheet_with_constant_memory()?;
        ws.set_name(sheet)?;
        let bold = Format::new().set_bold();
        for (col, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, col as u16, *h, &bold)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(XlsxTable {
            workbook,
            out,
            row: 1,
            col: 0,
            widths: headers.iter().map(|h| h.chars().count() + 2).collect(),
        })
    }

    fn sheet(&mut self) -> Result<&mut Worksheet> {
        Ok(self.workbook.worksheet_from_index(0)?)
    }
}

impl Table for XlsxTable {
    fn cell(&mut self, value: Value<'_>) -> Result<()> {
        if self.row >= MAX_ROWS {
            bail!(
                "{}: more rows than an Excel sheet holds ({MAX_ROWS}); write CSV instead \
                 (a .csv path, or --format csv)",
                self.out.describe()
            );
        }
        let (row, col) = (self.row, self.col);
        let width = match value {
            Value::Text(t) => {
                self.sheet()?.write_string(row, col, t).with_context(|| {
                    format!(
                        "cannot write {} in a workbook cell",
                        crate::terminal::quote(t)
                    )
                })?;
                t.chars().count()
            }
            Value::Bool(Some(b)) => {
                self.sheet()?.write_boolean(row, col, b)?;
                5
            }
            Value::Bool(None) => {
                self.sheet()?.write_string(row, col, "Unknown")?;
                7
            }
        };
        if let Some(w) = self.widths.get_mut(usize::from(col)) {
            *w = (*w).max(width + 1);
        }
        self.col += 1;
        Ok(())
    }

    fn end_row(&mut self) -> Result<()> {
        self.row += 1;
        self.col = 0;
        Ok(())
    }

    fn summary(&mut self, doc: &JsonSummary<'_>) -> Result<()> {
        let ws = self.workbook.add_worksheet();
        ws.set_name("Summary")?;
        let bold = Format::new().set_bold();
        let percent = Format::new().set_num_format("0.00\"%\"");
        let mut row = 0u32;
        let mut line = |ws: &mut Worksheet, label: &str, n: u64| -> Result<()> {
            ws.write_string(row, 0, label)?;
            ws.write_number(row, 1, n as f64)?;
            row += 1;
            Ok(())
        };
        line(ws, "Users", doc.tally.users)?;
        for c in [
            Count::Registered,
            Count::Unregistered,
            Count::Blocked,
            Count::Unknown,
            Count::Duplicates,
        ] {
            line(ws, c.label(), doc.tally.count(c))?;
        }
        ws.write_string(row, 0, "Coverage")?;
        match doc.coverage_percent {
            Some(p) => ws.write_number_with_format(row, 1, p, &percent)?,
            None => ws.write_string(row, 1, "n/a (nobody can sign in)")?,
        };
        ws.write_string(row + 1, 0, "Blocked users excluded")?;
        ws.write_boolean(row + 1, 1, doc.blocked_excluded)?;
        row += 3;
        for (title, counts) in [("MFA Status", doc.status), ("MFA Methods", doc.methods)] {
            ws.write_string_with_format(row, 0, title, &bold)?;
            row += 1;
            for (name, n) in &counts.to_map() {
                ws.write_string(row, 0, name)?;
                ws.write_number(row, 1, *n as f64)?;
                row += 1;
            }
            row += 1;
        }
        ws.write_string_with_format(row, 0, "Inputs", &bold)?;
        row += 1;
        for input in doc.inputs {
            let what = match &input.sheet {
                Some(sheet) => format!("{} (sheet {sheet})", input.path),
                None => input.path.clone(),
            };
            ws.write_string(row, 0, &what)?;
            ws.write_number(row, 1, input.rows as f64)?;
            row += 1;
        }
        ws.write_string(row + 1, 0, format!("mfa-audit {}", doc.version))?;
        ws.set_column_width(0, 40)?;
        ws.set_column_width(1, 14)?;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<Output> {
        let (last_row, cols) = (self.row - 1, self.widths.len() as u16);
        let widths = std::mem::take(&mut self.widths);
        let ws = self.sheet()?;
        for (col, w) in widths.iter().enumerate() {
            ws.set_column_width(col as u16, (*w).min(MAX_WIDTH) as f64)?;
        }
        if cols > 0 {
            ws.autofilter(0, 0, last_row, cols - 1)?;
        }
        let XlsxTable {
            mut workbook,
            mut out,
            ..
        } = *self;
        let what = out.describe();
        let saved: Result<()> = if let Some(file) = out.seekable() {
            workbook.save_to_writer(file).map_err(Into::into)
        } else {
            // Standard output cannot seek: build the file in memory first.
            let bytes = workbook.save_to_buffer()?;
            out.write_all(&bytes).map_err(Into::into)
        };
        saved.with_context(|| format!("cannot write {what}"))?;
        Ok(out)
    }
}
