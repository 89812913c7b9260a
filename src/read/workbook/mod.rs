//! Workbooks: `.xlsx` / `.xlsm` (ImportExcel's `Export-Excel`, Excel re-saves), `.xlsb`,
//! legacy `.xls` and OpenDocument `.ods` (LibreOffice Calc), recognised by content, not by name.
//!
//! Cells are streamed with calamine's cell readers on a thread of their own (the workbook and
//! the reader that borrows it live there), assembled into rows, and handed to the main thread
//! in recycled batches ([`crate::read::feed`]): memory stays bounded at Excel's 1,048,576 rows, apart
//! from the shared-strings table a workbook carries. Only the cells of the columns a command
//! uses are turned into text; the classifier sees the same rows as from a CSV file.

mod cells;
mod computes;
mod formulas;
pub mod guard;
mod odsguard;
mod rows;
mod sheets;
mod zipcheck;

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek, SeekFrom};
use std::sync::atomic::AtomicU64;
use std::sync::mpsc;
use std::sync::Arc;

use anyhow::{anyhow, bail, Result};
use calamine::{Data, DataRef, Ods, OdsError, Range, Reader, Xls, Xlsb, Xlsx, XlsxError};

use crate::read::feed::{Feed, Producer};
use crate::read::schema::{Schema, ROLE_COUNT};
use crate::read::{
    cell_name, row_of, Counting, InputFormat, InputInfo, Position, ReadOptions, RowAt, RowSource,
};
use crate::warnings::Warnings;
use cells::{cell_text, data_ref};
use formulas::{Blind, Uncached, Unread};
use rows::{role_columns, Content, NextCell, RowAssembler, SheetCell, SheetRow};
use zipcheck::{check_zip, damaged, gib, has_formulas, recalculates_on_load, ZipKind};

/// The header row is looked for in this many rows at the top of a sheet (Export-Excel
/// `-Title` puts a title above it).
const HEADER_SEARCH_ROWS: u32 = 10;

/// The containers a workbook comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Zip,
    Ole,
}

/// Recognises a workbook container from the first bytes of a file.
pub fn sniff(sample: &[u8]) -> Option<Container> {
    if sample.starts_with(b"PK\x03\x04") {
        Some(Container::Zip)
    } else if sample.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(Container::Ole)
    } else {
        None
    }
}

/// The bytes of a workbook: the file itself (seekable), or standard input read whole.
pub enum WorkbookBytes {
    File(File),
    Memory(Vec<u8>),
}

/// What the reader thread found before the rows: the sheet and its header.
struct Opened {
    format: InputFormat,
    sheet: String,
    header_row: u64,
    schema: Schema,
    last_row: u64,
    /// Warnings about the sheet as a whole (columns read as absent).
    notes: Vec<String>,
}

pub struct WorkbookSource {
    feed: Feed<SheetRow>,
    schema: Schema,
    info: InputInfo,
    ignore: [bool; ROLE_COUNT],
    bytes: Arc<AtomicU64>,
    last_row: u64,
    /// Warnings not yet given: the sheet's, then (at its end) the cells that could not be
    /// read for what they show: formulas without a result, formulas in a text column with a
    /// number for a result, numbers in the methods column.
    notes: Vec<String>,
    uncached: Uncached,
    numbered: Uncached,
    mistyped: Uncached,
    stale: Uncached,
    numbers: Uncached,
}

impl WorkbookSource {
    pub fn open(
        name: &str,
        container: Container,
        bytes: WorkbookBytes,
        count: Arc<AtomicU64>,
        options: &ReadOptions,
    ) -> Result<WorkbookSource> {
        let (opened_tx, opened_rx) = mpsc::sync_channel(1);
        let job = Job {
            name: name.to_owned(),
            container,
            sheet: options.sheet.clone(),
            overrides: options.overrides.clone(),
            ignore: options.ignore,
            max_unpacked: options.limits.max_unpacked,
            max_columns: options.limits.max_columns,
            opened: opened_tx,
        };
        let reader_count = Arc::clone(&count);
        let mut feed = Feed::spawn("workbook-reader", move |producer| match bytes {
            WorkbookBytes::File(f) => job.run(
                BufReader::with_capacity(
                    256 * 1024,
                    Counting {
                        inner: f,
                        count: reader_count,
                    },
                ),
                producer,
            ),
            WorkbookBytes::Memory(v) => job.run(Cursor::new(v), producer),
        })?;
        let opened = opened_rx.recv().map_err(|_| feed.died(name))??;
        let mut info = InputInfo::new(name, opened.format);
        info.sheet = Some(opened.sheet);
        info.header_row = Some(opened.header_row);
        info.set_schema(&opened.schema, &options.ignore);
        Ok(WorkbookSource {
            feed,
            schema: opened.schema,
            info,
            ignore: options.ignore,
            bytes: count,
            last_row: opened.last_row,
            notes: opened.notes,
            uncached: Uncached::new(Unread::NoResult),
            numbered: Uncached::new(Unread::NumberResult),
            mistyped: Uncached::new(Unread::MistypedResult),
            stale: Uncached::new(Unread::StaleResult),
            numbers: Uncached::new(Unread::NumberMethod),
        })
    }
}

impl RowSource for WorkbookSource {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn next_row(&mut self, warnings: &mut Warnings) -> Result<Option<RowAt<'_>>> {
        // Every item passes through `skip` once: that is where blank rows are counted, and
        // items that only carry such a count are skipped.
        let blank = std::cell::Cell::new(0);
        let item = self.feed.next(
            |r| {
                blank.set(blank.get() + r.blank_before);
                !r.data
            },
            &mut 0,
        );
        self.info.blank_rows += blank.get();
        for note in self.notes.drain(..) {
            warnings.push(note)?;
        }
        let sheet = self.info.sheet.as_deref().unwrap_or_default();
        let Some(r) = item? else {
            for unread in [
                &self.uncached,
                &self.numbered,
                &self.mistyped,
                &self.stale,
                &self.numbers,
            ] {
                if let Some(w) = unread.warning(&self.info.path) {
                    warnings.push(w)?;
                }
            }
            self.uncached = Uncached::new(Unread::NoResult);
            self.numbered = Uncached::new(Unread::NumberResult);
            self.mistyped = Uncached::new(Unread::MistypedResult);
            self.stale = Uncached::new(Unread::StaleResult);
            self.numbers = Uncached::new(Unread::NumberMethod);
            return Ok(None);
        };
        self.info.rows += 1;
        for col in &r.uncached {
            self.uncached.push(sheet, r.row, *col);
        }
        for col in &r.numbered {
            self.numbered.push(sheet, r.row, *col);
        }
        for col in &r.mistyped {
            self.mistyped.push(sheet, r.row, *col);
        }
        for col in &r.stale {
            self.stale.push(sheet, r.row, *col);
        }
        for col in &r.numbers {
            self.numbers.push(sheet, r.row, *col);
        }
        for (col, error) in &r.errors {
            warnings.push(format!(
                "{}:{}: the cell holds the error {error}: the file does not say what it shows; \
                 a verdict that depends on it is unknown",
                self.info.path,
                cell_name(sheet, r.row, *col)
            ))?;
        }
        let mut row = row_of(&self.schema, &self.ignore, &r.fields);
        row.unreadable = r.unreadable;
        Ok(Some(RowAt {
            pos: Position::Row(r.row),
            row,
        }))
    }

    fn estimated_rows(&self, _file_size: Option<u64>) -> Option<u64> {
        // From the sheet's declared dimensions.
        Some(
            self.last_row
                .saturating_sub(self.info.header_row.unwrap_or(0)),
        )
    }

    fn byte_counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes)
    }

    fn info(&self) -> &InputInfo {
        &self.info
    }
}

/// The reader thread's task.
struct Job {
    name: String,
    container: Container,
    sheet: Option<String>,
    overrides: Vec<crate::read::schema::ColumnOverride>,
    ignore: [bool; ROLE_COUNT],
    /// Cap on the parts' declared uncompressed size (the shared strings get a quarter: they are
    /// held in memory whole). A sheet at Excel's row limit unpacks to well under 2 GiB.
    max_unpacked: u64,
    max_columns: usize,
    opened: mpsc::SyncSender<Result<Opened>>,
}

/// Tries each candidate sheet of a workbook whose format has a streaming cell reader.
/// `$method` reads the next cell and `$cell` makes it a [`SheetCell`]. With `$prescan`, the
/// sheet is read once first to find the role columns holding only formulas without results.
macro_rules! stream_sheets {
    ($job:expr, $wb:expr, $format:expr, $producer:expr, $seen:expr, $method:ident, $cell:expr,
     $prescan:expr) => {{
        let name = &$job.name;
        for sheet in $job.candidates($wb.sheets_metadata())? {
            let mut blind = Vec::new();
            if $prescan {
                let mut reader = $wb
                    .worksheet_cells_reader(&sheet)
                    .map_err(|e| sheet_error(name, &sheet, e))?;
                let mut next = || {
                    reader
                        .$method()
                        .map(|c| c.map($cell))
                        .map_err(|e| sheet_error(name, &sheet, e))
                };
                match $job.blind_columns(&sheet, &mut next, $seen)? {
                    Some(b) => blind = b,
                    None => continue,
                }
            }
            let mut reader = $wb
                .worksheet_cells_reader(&sheet)
                .map_err(|e| sheet_error(name, &sheet, e))?;
            let last_row = u64::from(reader.dimensions().end.0) + 1;
            let mut next = || {
                reader
                    .$method()
                    .map(|c| c.map($cell))
                    .map_err(|e| sheet_error(name, &sheet, e))
            };
            let sheet = Sheet {
                format: $format,
                name: &sheet,
                last_row,
                blind: &blind,
            };
            if $job.try_sheet(sheet, &mut next, $producer, $seen)? {
                return Ok(());
            }
        }
    }};
}

/// A sheet being tried, and what the first pass found in it.
struct Sheet<'s> {
    format: InputFormat,
    name: &'s str,
    last_row: u64,
    /// Role columns holding only formulas without results, and how many.
    blind: &'s [Blind],
}

impl Job {
    fn run<RS: Read + Seek>(self, mut rs: RS, producer: Producer<SheetRow>) {
        let mut producer = Some(producer);
        if let Err(e) = self.read(&mut rs, &mut producer) {
            // Once rows have begun, errors travel with them; before, they answer the opening.
            let _ = self.opened.try_send(Err(e));
        }
    }

    fn read<RS: Read + Seek>(
        &self,
        rs: &mut RS,
        producer: &mut Option<Producer<SheetRow>>,
    ) -> Result<()> {
        let name = &self.name;
        let mut seen = Vec::new();
        match self.container {
            Container::Zip => {
                let kind = check_zip(name, rs, self.max_unpacked)?;
                rs.seek(SeekFrom::Start(0))?;
                match kind {
                    ZipKind::Xlsx => {
                        let formulas = has_formulas(name, rs)?;
                        rs.seek(SeekFrom::Start(0))?;
                        let stale = formulas && recalculates_on_load(name, rs)?;
                        rs.seek(SeekFrom::Start(0))?;
                        let mut wb = Xlsx::new(rs).map_err(|e| damaged(name, e))?;
                        stream_sheets!(
                            self,
                            wb,
                            InputFormat::Xlsx,
                            producer,
                            &mut seen,
                            next_cell_with_formula_metadata,
                            |r| SheetCell::from_xlsx(r, stale),
                            formulas
                        );
                    }
                    ZipKind::Ods => {
                        self.check_ods(rs)?;
                        rs.seek(SeekFrom::Start(0))?;
                        let mut wb = Ods::new(rs).map_err(|e| match e {
                            OdsError::Password => password(name, InputFormat::Ods),
                            e => damaged(name, e),
                        })?;
                        if self.whole_sheets(&mut wb, InputFormat::Ods, producer, &mut seen)? {
                            return Ok(());
                        }
                    }
                    ZipKind::Xlsb => {
                        let mut wb = Xlsb::new(rs).map_err(|e| damaged(name, e))?;
                        // XLSB saves every formula with its result.
                        stream_sheets!(
                            self,
                            wb,
                            InputFormat::Xlsb,
                            producer,
                            &mut seen,
                            next_cell,
                            SheetCell::from,
                            false
                        );
                    }
                }
            }
            Container::Ole => {
                // calamine follows sector chains without looking for loops: check first.
                let mut bytes = Vec::new();
                rs.read_to_end(&mut bytes)?;
                let cells = guard::xls_dense_cells(&bytes).map_err(|problem| {
                    anyhow!(
                        "{name}: the OLE compound file (.xls, or an encrypted workbook) is damaged: \
                         {problem}\nhint: export it again, or open it in Excel and save it as .xlsx"
                    )
                })?;
                // The reader lays each sheet out as a dense grid (two of them: values and
                // formulas) of 32-byte cells. The default cap, 4,194,304 cells, is a full
                // Excel 97 sheet 64 columns wide (about 256 MiB laid out).
                let cap = self.max_unpacked / 1024;
                if cells > cap {
                    bail!(
                        "{name}: the legacy workbook spans {cells} cells from its first to its last \
                         cell, more than the {cap} this reader lays out (it would need about {} \
                         of memory)\nhint: open it in Excel and save it as .xlsx or CSV, or raise \
                         the cap with --max-unpacked GB",
                        gib(cells.saturating_mul(64))
                    );
                }
                rs.seek(SeekFrom::Start(0))?;
                // A password-protected .xlsx is an OLE container holding the encrypted package.
                if let Err(XlsxError::Password) = Xlsx::new(&mut *rs) {
                    return Err(password(name, InputFormat::Xlsx));
                }
                rs.seek(SeekFrom::Start(0))?;
                let mut wb = Xls::new(rs).map_err(|e| damaged(name, e))?;
                // Legacy .xls sheets hold at most 65,536 rows: reading one whole is bounded.
                if self.whole_sheets(&mut wb, InputFormat::Xls, producer, &mut seen)? {
                    return Ok(());
                }
            }
        }
        let what = if self.sheet.is_some() {
            "the sheet"
        } else {
            "any sheet"
        };
        bail!(
            "{name}: no user principal name column in the first {HEADER_SEARCH_ROWS} rows of \
             {what}{}\nhint: choose the sheet with --sheet NAME, or name the column with \
             --column upn=HEADER",
            seen.first().map(|s| format!("; {s}")).unwrap_or_default()
        )
    }

    /// Tries each candidate sheet of a workbook that calamine reads whole (legacy .xls, ODS),
    /// with each cell's formula beside its value: a formula without a result, or with a
    /// number for the result of a text formula, must not read as a value.
    fn whole_sheets<RS: Read + Seek, R: Reader<RS>>(
        &self,
        wb: &mut R,
        format: InputFormat,
        producer: &mut Option<Producer<SheetRow>>,
        seen: &mut Vec<String>,
    ) -> Result<bool>
    where
        R::Error: std::fmt::Display,
    {
        let name = &self.name;
        for sheet in self.candidates(wb.sheets_metadata())? {
            let range = wb
                .worksheet_range(&sheet)
                .map_err(|e| sheet_error(name, &sheet, e))?;
            // A sheet whose formulas cannot be read is read by its values alone, as before.
            let formulas = wb.worksheet_formula(&sheet).unwrap_or_default();
            let last_row = range.end().map_or(0, |(r, _)| u64::from(r) + 1);
            let mut first = sheet_cells(&range, &formulas);
            let mut next = || Ok(first.next());
            let blind = match self.blind_columns(&sheet, &mut next, seen)? {
                Some(b) => b,
                None => continue,
            };
            let mut cells = sheet_cells(&range, &formulas);
            let mut next = || Ok(cells.next());
            let sheet = Sheet {
                format,
                name: &sheet,
                last_row,
                blind: &blind,
            };
            if self.try_sheet(sheet, &mut next, producer, seen)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The memory an ODS takes once read (calamine reads every sheet whole, repeats
    /// expanded): refused beyond a quarter of `--max-unpacked`, like a shared-strings table.
    fn check_ods<RS: Read + Seek>(&self, rs: &mut RS) -> Result<()> {
        let name = &self.name;
        let mut zip = zip::ZipArchive::new(&mut *rs).map_err(|e| damaged(name, e))?;
        let content = zip.by_name("content.xml").map_err(|e| damaged(name, e))?;
        let sheets = odsguard::scan(content).map_err(|e| damaged(name, e))?;
        let cap = self.max_unpacked / 4;
        let memory = odsguard::peak(&sheets);
        if memory > cap {
            // The sheet to name: the one that takes the most.
            let worst = sheets.iter().max_by_key(|s| s.grid.max(s.stored));
            let (sheet, rows, columns) =
                worst.map_or(("", 0, 0), |s| (s.name.as_str(), s.rows, s.columns));
            bail!(
                "{name}: sheet {sheet:?} of this OpenDocument spreadsheet spans {rows} rows by \
                 {columns} columns once its repeated cells and rows are laid out; the workbook \
                 would take about {} of memory, more than the {} this reader holds: it looks \
                 like a decompression bomb, so it is not read\nhint: if the workbook is \
                 genuine, raise the cap with --max-unpacked GB (an OpenDocument workbook may \
                 take a quarter of it), or save it as CSV UTF-8",
                gib(memory),
                gib(cap)
            );
        }
        Ok(())
    }

    /// Pass one: the header, then the role columns holding only formulas without results.
    /// `None` when the sheet has no UPN header.
    fn blind_columns<'a>(
        &self,
        sheet: &str,
        next: NextCell<'a, '_>,
        seen: &mut Vec<String>,
    ) -> Result<Option<Vec<Blind>>> {
        let mut rows = RowAssembler::new(&self.name, sheet);
        let Some((_, schema)) = self.find_header(sheet, &mut rows, next, seen)? else {
            return Ok(None);
        };
        let columns = role_columns(&schema, &self.ignore);
        formulas::blind_columns(&mut rows, next, &columns).map(Some)
    }

    /// Looks for the header in the sheet's first rows; when found, reports the opening and
    /// streams the rest of the sheet. False when the sheet has no UPN header.
    fn try_sheet<'a>(
        &self,
        sheet: Sheet<'_>,
        next: NextCell<'a, '_>,
        producer: &mut Option<Producer<SheetRow>>,
        seen: &mut Vec<String>,
    ) -> Result<bool> {
        let mut rows = RowAssembler::new(&self.name, sheet.name);
        let Some((header_row, mut schema)) = self.find_header(sheet.name, &mut rows, next, seen)?
        else {
            return Ok(false);
        };
        let notes =
            formulas::drop_blind(&self.name, sheet.name, header_row, &mut schema, sheet.blind);
        let columns = role_columns(&schema, &self.ignore);
        let opened = Opened {
            format: sheet.format,
            sheet: sheet.name.to_owned(),
            header_row,
            schema,
            last_row: sheet.last_row,
            notes,
        };
        let Some(producer) = producer.take() else {
            return Ok(true);
        };
        if self.opened.send(Ok(opened)).is_err() {
            return Ok(true);
        }
        producer.run(|slot| rows.fill(slot, next, &columns));
        Ok(true)
    }
}

/// The cells of a whole sheet in row order, each with what its formula says about it. The
/// values and the formulas are two grids, each with its own corner: a formula without a
/// result is an empty value, so the two are walked side by side.
fn sheet_cells<'a>(
    range: &'a Range<Data>,
    formulas: &'a Range<String>,
) -> impl Iterator<Item = SheetCell<'a>> + 'a {
    let at = |start: Option<(u32, u32)>, r: usize, c: usize| {
        let (r0, c0) = start.unwrap_or((0, 0));
        (r as u32 + r0, c as u32 + c0)
    };
    let mut values = range
        .used_cells()
        .map(move |(r, c, d)| (at(range.start(), r, c), d))
        .peekable();
    let mut written = formulas
        .used_cells()
        .map(move |(r, c, f)| (at(formulas.start(), r, c), f.as_str()))
        .peekable();
    std::iter::from_fn(move || {
        // (position, value, formula): a formula alone is a cell whose value is empty.
        let (pos, value, formula) = match (values.peek(), written.peek()) {
            (None, None) => return None,
            (Some(&(v, _)), Some(&(f, _))) if f < v => {
                let (f, text) = written.next()?;
                (f, None, Some(text))
            }
            (Some(_), _) => {
                let (v, d) = values.next()?;
                let text = written.next_if(|(f, _)| *f == v).map(|(_, t)| t);
                (v, Some(d), text)
            }
            (None, Some(_)) => {
                let (f, text) = written.next()?;
                (f, None, Some(text))
            }
        };
        let value = value.map_or(DataRef::Empty, data_ref);
        // Neither .xls nor .ods says whether its results were calculated.
        let content = Content::of(value, formula.map(Some), false);
        Some(SheetCell {
            row: pos.0,
            col: pos.1,
            content,
        })
    })
}

fn password(name: &str, format: InputFormat) -> anyhow::Error {
    let how = match format {
        InputFormat::Ods => "LibreOffice Calc, remove the password (File > Properties > Security)",
        _ => "Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password)",
    };
    anyhow!(
        "{name}: the workbook is password-protected (encrypted), so it cannot be read\n\
         hint: open it in {how} and save it, or save it as CSV UTF-8"
    )
}

fn sheet_error(name: &str, sheet: &str, e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!(
        "{name}: cannot read sheet {sheet:?}: {e}\nhint: the file may be truncated or damaged; \
         export it again, or open it in Excel and save it again"
    )
}
