//! The memory an OpenDocument spreadsheet takes once calamine has read it, measured from its
//! `content.xml` before calamine reads it.
//!
//! calamine reads every sheet of an `.ods` whole into memory when it opens it, and ODS
//! compresses runs of equal cells and rows (`table:number-columns-repeated`,
//! `table:number-rows-repeated`): calamine clones a non-empty cell once per repeat, in the
//! row as stored and again for every repeat of the row, up to 16,384 columns and 1,048,576
//! rows (100,000,000 cells a sheet). A 10 KB file declaring a value repeated over a whole sheet
//! would so take gigabytes. This module streams `content.xml` once, follows calamine's own
//! rules (trailing empty cells and rows are dropped, not expanded: LibreOffice ends every sheet
//! with `number-rows-repeated="1048571"` empty rows, which cost nothing) and returns what each
//! sheet will take, so that an oversized file is refused before it is unpacked.

use std::io::Read;

/// calamine's caps (`src/ods.rs`): rows a sheet, columns a row.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;
/// A cell in memory: the value (`Data`, 32 bytes) and the formula (`String`, 24 bytes), each
/// kept in a grid of its own.
const CELL: u64 = 56;
/// A stored row's bookkeeping (its offset and its repeat count).
const ROW: u64 = 16;

/// What one sheet takes in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SheetCost {
    pub(super) name: String,
    /// Rows and columns of the laid-out grid (repeats expanded).
    pub(super) rows: u64,
    pub(super) columns: u64,
    /// The grid laid out (values and formulas, with the text of each clone).
    pub(super) grid: u64,
    /// The rows as stored, before their repeats are expanded (freed after the sheet).
    pub(super) stored: u64,
}

/// The peak memory of reading a workbook whose sheets cost `sheets`: every sheet's grid is
/// kept, and one sheet's stored rows at a time besides.
pub(super) fn peak(sheets: &[SheetCost]) -> u64 {
    let grids = sheets.iter().fold(0u64, |a, s| a.saturating_add(s.grid));
    let stored = sheets.iter().map(|s| s.stored).max().unwrap_or(0);
    grids.saturating_add(stored)
}

/// One row being read: the cells calamine pushes for it, and where its non-empty ones are.
#[derive(Default)]
struct RowScan {
    repeats: u64,
    /// Cells pushed (empty runs followed by a cell are pushed; the last empty run is not).
    pushed: u64,
    /// The text of the pushed cells (each clone counts).
    text: u64,
    /// An empty run not yet pushed.
    pending_empty: u64,
    /// First and last non-empty column (0-based), if any.
    first: Option<u64>,
    last: u64,
}

/// One sheet being read.
#[derive(Default)]
struct TableScan {
    name: String,
    /// Rows so far (repeats counted, capped as calamine caps them).
    total_rows: u64,
    stored: u64,
    /// From the first non-empty row: rows and text of the rows up to the last non-empty one,
    /// and of the empty rows since (counted only if another non-empty row follows).
    span_rows: u64,
    span_text: u64,
    gap_rows: u64,
    seen_data: bool,
    col_min: u64,
    col_max: u64,
}

impl TableScan {
    fn end_row(&mut self, row: RowScan) {
        self.stored = self
            .stored
            .saturating_add(row.pushed.saturating_mul(CELL))
            .saturating_add(row.text)
            .saturating_add(ROW);
        match row.first {
            None if self.seen_data => self.gap_rows = self.gap_rows.saturating_add(row.repeats),
            None => {}
            Some(first) => {
                if !self.seen_data {
                    self.col_min = first;
                }
                self.seen_data = true;
                self.col_min = self.col_min.min(first);
                self.col_max = self.col_max.max(row.last);
                self.span_rows = self
                    .span_rows
                    .saturating_add(std::mem::take(&mut self.gap_rows))
                    .saturating_add(row.repeats);
                self.span_text = self
                    .span_text
                    .saturating_add(row.text.saturating_mul(row.repeats));
            }
        }
    }

    fn cost(self) -> SheetCost {
        let columns = if self.seen_data {
            self.col_max - self.col_min + 1
        } else {
            0
        };
        let grid = self
            .span_rows
            .saturating_mul(columns)
            .saturating_mul(CELL)
            .saturating_add(self.span_text);
        SheetCost {
            name: self.name,
            rows: self.span_rows,
            columns,
            grid,
            stored: self.stored,
        }
    }
}

/// The attributes of a tag that matter here.
#[derive(Default)]
struct Tag {
    /// The qualified name, as calamine compares it (`table:table-cell`); cut at 32 bytes.
    name: Vec<u8>,
    end: bool,
    self_closing: bool,
    repeats: Option<u64>,
    /// A value, a value type or a formula: calamine reads the cell as not empty.
    valued: bool,
    sheet_name: Vec<u8>,
    /// Offset of its `<` in content.xml.
    start: u64,
}

/// Where the scanner is within the markup.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// Just after `<`.
    Open,
    Name,
    /// Between attributes.
    Space,
    AttrName,
    /// After an attribute's name, before its value's opening quote.
    Equals,
    Value(u8),
    /// `<?...>` or `<!...>`: skipped to the next `>` (a comment that holds `>` can only make
    /// the scan see more cells than calamine does, never fewer).
    Other,
}

/// Attributes whose presence makes calamine read a cell as not empty.
const VALUED: [&[u8]; 8] = [
    b"office:value",
    b"office:string-value",
    b"office:date-value",
    b"office:time-value",
    b"office:boolean-value",
    b"office:value-type",
    b"table:formula",
    b"calcext:value-type",
];

/// Streams `content.xml` and returns what each sheet costs.
pub(super) fn scan(mut content: impl Read) -> std::io::Result<Vec<SheetCost>> {
    let mut sheets = Vec::new();
    let mut table: Option<TableScan> = None;
    let mut row: Option<RowScan> = None;
    // The cell being read: (repeats, valued, offset of its start tag).
    let mut cell: Option<(u64, bool, u64)> = None;
    // Offset in content.xml of the byte being read.
    let mut pos: u64 = 0;
    let mut state = State::Text;
    let mut tag = Tag::default();
    let mut attr: Vec<u8> = Vec::new();
    let mut value: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = content.read(&mut buf)?;
        if n == 0 {
            break;
        }
        for &b in &buf[..n] {
            pos += 1;
            state = match (state, b) {
                (State::Text, b'<') => {
                    tag = Tag {
                        start: pos,
                        ..Tag::default()
                    };
                    State::Open
                }
                (State::Text, _) => State::Text,
                (State::Open, b'/') => {
                    tag.end = true;
                    State::Name
                }
                (State::Open, b'?' | b'!') => State::Other,
                (State::Other, b'>') => State::Text,
                (State::Other, _) => State::Other,
                (State::Open | State::Name, b) if !is_space(b) && b != b'>' && b != b'/' => {
                    if tag.name.len() < 32 {
                        tag.name.push(b);
                    }
                    State::Name
                }
                (State::Value(q), b) if b == q => {
                    end_attr(&mut tag, &attr, &value);
                    State::Space
                }
                (State::Value(q), b) => {
                    // Only short values are kept: the ones read are a number or a sheet name.
                    if value.len() < 256 {
                        value.push(b);
                    }
                    State::Value(q)
                }
                (State::Equals, b'"' | b'\'') => {
                    value.clear();
                    State::Value(b)
                }
                (State::Equals, _) => State::Equals,
                (_, b'>') => {
                    end_tag(&tag, pos, &mut table, &mut row, &mut cell, &mut sheets);
                    State::Text
                }
                (_, b'/') => {
                    tag.self_closing = true;
                    State::Space
                }
                (State::AttrName, b'=') => State::Equals,
                (State::AttrName, b) if !is_space(b) => {
                    if attr.len() < 64 {
                        attr.push(b);
                    }
                    State::AttrName
                }
                (State::AttrName, _) => State::Equals,
                (_, b) if is_space(b) => State::Space,
                (_, b) => {
                    attr.clear();
                    attr.push(b);
                    State::AttrName
                }
            };
        }
    }
    Ok(sheets)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn end_attr(tag: &mut Tag, attr: &[u8], value: &[u8]) {
    match attr {
        b"table:number-rows-repeated" | b"table:number-columns-repeated" => {
            tag.repeats = Some(repeat_count(value));
        }
        b"table:name" => tag.sheet_name = value.to_vec(),
        a if VALUED.contains(&a) => tag.valued = true,
        _ => {}
    }
}

/// A repeat count as calamine parses it (an unsigned integer). What is not plain digits
/// (entities, signs, spaces) is taken as the largest count: calamine may decode it to any
/// number, and a file LibreOffice or Excel wrote never holds one.
fn repeat_count(value: &[u8]) -> u64 {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return u64::MAX;
    }
    value.iter().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })
}

fn end_tag(
    tag: &Tag,
    pos: u64,
    table: &mut Option<TableScan>,
    row: &mut Option<RowScan>,
    cell: &mut Option<(u64, bool, u64)>,
    sheets: &mut Vec<SheetCost>,
) {
    let name = tag.name.as_slice();
    match (name, tag.end) {
        (b"table:table", false) if !tag.self_closing => {
            if let Some(t) = table.take() {
                sheets.push(t.cost());
            }
            *table = Some(TableScan {
                name: String::from_utf8_lossy(&tag.sheet_name).into_owned(),
                ..TableScan::default()
            });
        }
        (b"table:table", true) => {
            if let Some(t) = table.take() {
                sheets.push(t.cost());
            }
        }
        (b"table:table-row", false) => {
            let Some(t) = table.as_mut() else { return };
            let wanted = tag.repeats.unwrap_or(1);
            let repeats = wanted.min(MAX_ROWS.saturating_sub(t.total_rows));
            t.total_rows = t.total_rows.saturating_add(repeats);
            let r = RowScan {
                repeats,
                ..RowScan::default()
            };
            if tag.self_closing {
                t.end_row(r);
            } else {
                *row = Some(r);
            }
        }
        (b"table:table-row", true) => {
            end_cell(row, cell, pos);
            if let (Some(t), Some(r)) = (table.as_mut(), row.take()) {
                t.end_row(r);
            }
        }
        (b"table:table-cell" | b"table:covered-table-cell", false) => {
            end_cell(row, cell, pos);
            *cell = Some((tag.repeats.unwrap_or(1), tag.valued, tag.start));
            if tag.self_closing {
                end_cell(row, cell, pos);
            }
        }
        (b"table:table-cell" | b"table:covered-table-cell", true) => end_cell(row, cell, pos),
        // Text inside a string cell makes it not empty.
        (b"text:p" | b"text:span" | b"text:s", _) => {
            if let Some(c) = cell.as_mut() {
                c.1 = true;
            }
        }
        _ => {}
    }
}

/// Adds the cell being read to its row, as calamine pushes it.
fn end_cell(row: &mut Option<RowScan>, cell: &mut Option<(u64, bool, u64)>, pos: u64) {
    let (Some(r), Some((repeats, valued, start))) = (row.as_mut(), cell.take()) else {
        return;
    };
    let bytes = pos.saturating_sub(start);
    // The empty run before this cell is pushed now, whatever this cell holds.
    let empty = r.pending_empty.min(MAX_COLUMNS.saturating_sub(r.pushed));
    r.pushed += empty;
    r.pending_empty = 0;
    let repeats = repeats.min(MAX_COLUMNS.saturating_sub(r.pushed));
    if !valued {
        r.pending_empty = repeats;
        return;
    }
    if repeats == 0 {
        return;
    }
    r.first.get_or_insert(r.pushed);
    r.pushed += repeats;
    r.last = r.pushed - 1;
    // The element's bytes (its attributes and content) bound the text and formula each
    // clone carries; 64 more for what a string holds besides its text.
    r.text = r
        .text
        .saturating_add(bytes.saturating_add(64).saturating_mul(repeats));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?><office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"Users\">{rows}</table:table>\
             </office:spreadsheet></office:body></office:document-content>"
        )
    }

    fn cost(rows: &str) -> SheetCost {
        let s = scan(sheet(rows).as_bytes()).unwrap();
        assert_eq!(s.len(), 1);
        s.into_iter().next().unwrap()
    }

    const VALUE: &str = "<table:table-cell office:value-type=\"string\"><text:p>a</text:p>\
                         </table:table-cell>";

    #[test]
    fn trailing_empty_repeats_cost_nothing() {
        // LibreOffice's shape: data, then the rest of the sheet as one repeated empty row.
        let rows = format!(
            "<table:table-row>{VALUE}{VALUE}<table:table-cell table:number-columns-repeated=\"1022\"/>\
             </table:table-row>\
             <table:table-row table:number-rows-repeated=\"1048575\">\
             <table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>"
        );
        let c = cost(&rows);
        assert_eq!((c.name.as_str(), c.rows, c.columns), ("Users", 1, 2));
        assert!(c.grid < 1000 && c.stored < 1000, "{c:?}");
    }

    #[test]
    fn repeated_values_are_counted_as_calamine_expands_them() {
        let rows = "<table:table-row table:number-rows-repeated=\"1048576\">\
                    <table:table-cell office:value-type=\"float\" office:value=\"1\" \
                    table:number-columns-repeated=\"16384\"/></table:table-row>";
        let c = cost(rows);
        assert_eq!((c.rows, c.columns), (MAX_ROWS, MAX_COLUMNS));
        assert!(c.grid > 1 << 40, "{c:?}");
        // A gap of empty rows between two rows with data is laid out.
        let gap = format!(
            "<table:table-row>{VALUE}</table:table-row>\
             <table:table-row table:number-rows-repeated=\"1000\"><table:table-cell/></table:table-row>\
             <table:table-row><table:table-cell/>{VALUE}</table:table-row>"
        );
        let c = cost(&gap);
        assert_eq!((c.rows, c.columns), (1002, 2));
        // Empty cells before a value are pushed; the count is capped at 16,384 columns.
        let wide = format!(
            "<table:table-row><table:table-cell table:number-columns-repeated=\"99999\"/>{VALUE}\
             </table:table-row>"
        );
        assert_eq!(
            cost(&wide).columns,
            0,
            "the value is beyond the last column"
        );
        // A repeat count calamine would decode from entities is taken as the largest.
        assert_eq!(repeat_count(b"&#49;0"), u64::MAX);
        assert_eq!(repeat_count(b"1048571"), 1_048_571);
    }

    #[test]
    fn every_sheet_is_measured_and_the_peak_adds_their_grids() {
        let two = format!(
            "{}<table:table table:name='Second'><table:table-row>{VALUE}</table:table-row>\
             </table:table>",
            sheet(&format!("<table:table-row>{VALUE}</table:table-row>"))
        );
        let s = scan(two.as_bytes()).unwrap();
        let names: Vec<&str> = s.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Users", "Second"]);
        assert_eq!(
            peak(&s),
            s[0].grid + s[1].grid + s[0].stored.max(s[1].stored)
        );
    }
}
