//! A sheet's cells grouped into rows: the rows handed to the main thread, blank rows counted,
//! and the order of rows checked (a damaged sheet must not merge or reorder users silently).

use anyhow::{bail, Result};
use calamine::{Cell, DataRef, XlsxCellFormulaMetadataRecord};

use super::cells::{cell_text, is_blank};
use crate::read::cell_name;
use crate::read::schema::{Role, Schema, ROLES, ROLE_COUNT};

/// One row of the sheet as the main thread receives it.
#[derive(Default)]
pub(super) struct SheetRow {
    /// 1-based row number.
    pub(super) row: u64,
    /// False for the item that only carries the count of blank rows at the end.
    pub(super) data: bool,
    /// Blank rows (absent, or with only empty cells) between the previous row and this one.
    pub(super) blank_before: u64,
    /// Text of each role's cell (by [`Role::index`]); empty when the cell is.
    pub(super) fields: [String; ROLE_COUNT],
    /// Cells of the roles' columns that hold an error (`#N/A`): column and error text.
    pub(super) errors: Vec<(usize, String)>,
    /// Columns of the roles whose cell is a formula without a saved result.
    pub(super) uncached: Vec<usize>,
    /// Columns of text roles whose cell is a formula with a number for its saved result.
    pub(super) numbered: Vec<usize>,
    /// Columns of the other roles (yes/no) whose cell is a formula that can only compute text
    /// or a truth value, with a number for its saved result.
    pub(super) mistyped: Vec<usize>,
    /// Columns of the other roles whose cell is a formula with a number saved by a writer
    /// that did not calculate it (the workbook asks to be calculated when opened).
    pub(super) stale: Vec<usize>,
    /// Columns of methods whose cell is a number (no method has a number for its name).
    pub(super) numbers: Vec<usize>,
    /// The roles (bits) of every cell above: there, but not readable for what it shows.
    pub(super) unreadable: u32,
}

/// What a cell holds, as far as reading it goes.
pub(super) enum Content<'a> {
    Value(DataRef<'a>),
    /// A formula whose result the file does not hold: a workbook written by a program that
    /// does not calculate (ImportExcel's Export-Excel, openpyxl) and never opened in Excel.
    /// calamine reads it as an empty cell, which would be a silent guess.
    UncachedFormula,
    /// A formula whose saved result is a number. In a column of text (a UPN, method names,
    /// a status) it cannot be what the formula computes: some writers of legacy `.xls` save
    /// `0` for the result of a text formula (`=HYPERLINK(...)`, `="..."&A2`), so the file
    /// does not say what the cell shows. Elsewhere it is the value.
    NumberFormula(DataRef<'a>),
    /// A formula whose saved result is a number though its text can only compute text or a
    /// truth value (`=IF(...,"True","False")`, `=A2>0`; [`super::computes`]): not the value
    /// it shows, in any column. In a yes/no column `0` would read as false.
    MistypedFormula,
    /// A formula with a number for its saved result, in a workbook that asks to be calculated
    /// when opened (`fullCalcOnLoad`): its writer did not calculate it (XlsxWriter saves 0
    /// for every formula), so the number is not the value either, in any column.
    StaleFormula,
}

impl<'a> Content<'a> {
    /// A cell's content from its value and, if it holds one, its formula's text (`None` for a
    /// formula whose text the reader does not give, such as a shared formula's later cells).
    /// `stale`: the workbook says its saved results were not calculated.
    pub(super) fn of(value: DataRef<'a>, formula: Option<Option<&str>>, stale: bool) -> Self {
        match (value, formula) {
            (DataRef::Empty, Some(_)) => Content::UncachedFormula,
            (DataRef::Int(_) | DataRef::Float(_), Some(Some(text)))
                if super::computes::never_a_number(text) =>
            {
                Content::MistypedFormula
            }
            (DataRef::Int(_) | DataRef::Float(_), Some(_)) if stale => Content::StaleFormula,
            (value @ (DataRef::Int(_) | DataRef::Float(_)), Some(_)) => {
                Content::NumberFormula(value)
            }
            (value, _) => Content::Value(value),
        }
    }
}

/// One cell of a sheet, 0-based position.
pub(super) struct SheetCell<'a> {
    pub(super) row: u32,
    pub(super) col: u32,
    pub(super) content: Content<'a>,
}

impl<'a> From<Cell<DataRef<'a>>> for SheetCell<'a> {
    fn from(cell: Cell<DataRef<'a>>) -> Self {
        let (row, col) = cell.get_position();
        SheetCell {
            row,
            col,
            content: Content::Value(cell.get_value().clone()),
        }
    }
}

impl<'a> SheetCell<'a> {
    /// An XLSX cell with its formula, if any: only there can a formula lack its result.
    /// `stale`: the workbook asks to be calculated when opened.
    pub(super) fn from_xlsx(record: XlsxCellFormulaMetadataRecord<'a>, stale: bool) -> Self {
        use calamine::XlsxFormulaMetadata as F;
        let (row, col) = record.pos;
        let formula = record.formula.as_ref().map(|f| match f {
            F::Normal { formula } | F::Shared { formula, .. } => Some(formula.as_str()),
            // A shared formula's later cells carry no text (and the enum is non-exhaustive).
            _ => None,
        });
        let content = Content::of(record.value, formula, stale);
        SheetCell { row, col, content }
    }
}

/// The next cell of a sheet, in row order, from whichever reader the format has.
pub(super) type NextCell<'a, 'f> = &'f mut dyn FnMut() -> Result<Option<SheetCell<'a>>>;

/// Groups a sheet's cells into rows, counting the blank ones.
#[derive(Default)]
pub(super) struct RowAssembler<'a> {
    /// The first cell of the next row, read while finishing the previous one.
    pending: Option<SheetCell<'a>>,
    /// 1-based number of the last row returned.
    pub(super) previous_row: u64,
    /// Blank rows not yet reported.
    blank: u64,
    /// The cell reader said the sheet ended (it must not be asked again).
    ended: bool,
    /// The file and the sheet, for messages.
    pub(super) file: String,
    pub(super) sheet: String,
}

impl<'a> RowAssembler<'a> {
    pub(super) fn new(file: &str, sheet: &str) -> Self {
        RowAssembler {
            file: file.to_owned(),
            sheet: sheet.to_owned(),
            ..RowAssembler::default()
        }
    }

    /// Passes each cell of the next row that has cells to `on_cell`; returns its 1-based
    /// number, or `None` at the end of the sheet.
    pub(super) fn next_row(
        &mut self,
        next: NextCell<'a, '_>,
        mut on_cell: impl FnMut(usize, &Content<'a>),
    ) -> Result<Option<u64>> {
        let first = match self.pending.take() {
            Some(cell) => cell,
            None => match self.pull(next)? {
                Some(cell) => cell,
                None => return Ok(None),
            },
        };
        let row = first.row;
        let number = u64::from(row) + 1;
        if number <= self.previous_row {
            // A row read twice or moved up would merge two users or count one twice.
            bail!(
                "{}:{}: row {number} comes after row {}: the worksheet's rows are out of order \
                 (the sheet is damaged or was edited by hand)\n\
                 hint: open the workbook in Excel and save it again, or export it again",
                self.file,
                cell_name(&self.sheet, number, first.col as usize),
                self.previous_row
            );
        }
        let mut last_col = first.col;
        on_cell(first.col as usize, &first.content);
        while let Some(cell) = self.pull(next)? {
            if cell.row != row {
                self.pending = Some(cell);
                break;
            }
            if cell.col <= last_col {
                // The cells of one row come left to right: a column again means a second row
                // with the same number, whose cells would overwrite this row's.
                bail!(
                    "{}: sheet {:?} has two rows numbered {number} ({} comes again after {}): \
                     the sheet is damaged or was edited by hand, and one user would hide \
                     another\nhint: open the workbook in Excel and save it again, or export it \
                     again",
                    self.file,
                    self.sheet,
                    cell_name(&self.sheet, number, cell.col as usize),
                    cell_name(&self.sheet, number, last_col as usize)
                );
            }
            last_col = cell.col;
            on_cell(cell.col as usize, &cell.content);
        }
        self.previous_row = number;
        Ok(Some(number))
    }

    fn pull(&mut self, next: NextCell<'a, '_>) -> Result<Option<SheetCell<'a>>> {
        if self.ended {
            return Ok(None);
        }
        let cell = next()?;
        self.ended = cell.is_none();
        Ok(cell)
    }

    /// Fills `slot` with the next row that holds data. `columns` has, per column, the bit set
    /// of the roles read from it.
    pub(super) fn fill(
        &mut self,
        slot: &mut SheetRow,
        next: NextCell<'a, '_>,
        columns: &[u32],
    ) -> Result<bool> {
        slot.errors.clear();
        slot.uncached.clear();
        slot.numbered.clear();
        slot.mistyped.clear();
        slot.stale.clear();
        slot.numbers.clear();
        loop {
            slot.unreadable = 0;
            for f in &mut slot.fields {
                f.clear();
            }
            let mut has_data = false;
            let before = self.previous_row;
            let Some(row) = self.next_row(next, |col, content| {
                let roles = columns.get(col).copied().unwrap_or(0);
                let value = match content {
                    Content::Value(value) => value,
                    Content::UncachedFormula => {
                        // Not blank: something is there, only its value is not.
                        has_data = true;
                        if decides(roles) {
                            slot.uncached.push(col);
                            slot.unreadable |= roles;
                        }
                        return;
                    }
                    Content::NumberFormula(_) if decides(roles) && holds_text(roles) => {
                        has_data = true;
                        slot.numbered.push(col);
                        slot.unreadable |= roles;
                        return;
                    }
                    Content::MistypedFormula => {
                        has_data = true;
                        if decides(roles) {
                            if holds_text(roles) {
                                slot.numbered.push(col);
                            } else {
                                slot.mistyped.push(col);
                            }
                            slot.unreadable |= roles;
                        }
                        return;
                    }
                    Content::StaleFormula => {
                        has_data = true;
                        if decides(roles) {
                            if holds_text(roles) {
                                slot.numbered.push(col);
                            } else {
                                slot.stale.push(col);
                            }
                            slot.unreadable |= roles;
                        }
                        return;
                    }
                    Content::NumberFormula(value) => value,
                };
                if roles & (1 << Role::Methods.index()) != 0
                    && matches!(value, DataRef::Int(_) | DataRef::Float(_))
                {
                    // `0` is no method's name, and no telling what was meant: unreadable, named.
                    has_data = true;
                    slot.numbers.push(col);
                    slot.unreadable |= roles;
                    return;
                }
                if !is_blank(value) {
                    has_data = true;
                }
                let Some(&roles) = columns.get(col).filter(|r| **r != 0) else {
                    return;
                };
                if let DataRef::Error(e) = value {
                    slot.errors.push((col, e.to_string()));
                    slot.unreadable |= roles;
                    return;
                }
                for (i, field) in slot.fields.iter_mut().enumerate() {
                    if roles & (1 << i) != 0 {
                        cell_text(value, field);
                    }
                }
            })?
            else {
                // Blank rows after the last one with data are reported on their own.
                if self.blank == 0 {
                    return Ok(false);
                }
                slot.data = false;
                slot.blank_before = std::mem::take(&mut self.blank);
                return Ok(true);
            };
            self.blank += row - before - 1;
            if !has_data {
                self.blank += 1;
                slot.errors.clear();
                continue;
            }
            slot.row = row;
            slot.data = true;
            slot.blank_before = std::mem::take(&mut self.blank);
            return Ok(true);
        }
    }
}

/// Whether a column read for `roles` (a bit set) bears on a verdict: every role but the display
/// name, which is only shown. A display name that is a formula without its result (openpyxl
/// writes `=HYPERLINK(...)` so) reads as empty, as it always has.
pub(super) fn decides(roles: u32) -> bool {
    roles & !(1 << Role::DisplayName.index()) != 0
}

/// Whether a column read for `roles` holds text that no number can be: a UPN, method names,
/// a status, a default method, a user type (not the yes/no columns, where `0` may be false).
pub(super) fn holds_text(roles: u32) -> bool {
    const TEXT: [Role; 5] = [
        Role::Upn,
        Role::Methods,
        Role::State,
        Role::DefaultMethod,
        Role::UserType,
    ];
    TEXT.iter().any(|r| roles & (1 << r.index()) != 0)
}

/// Per column, the bit set of the roles read from it (ignored roles left out).
pub(super) fn role_columns(schema: &Schema, ignore: &[bool; ROLE_COUNT]) -> Vec<u32> {
    let mut columns = vec![0u32; schema.headers.len()];
    for role in ROLES {
        if let Some(col) = schema.column(role).filter(|_| !ignore[role.index()]) {
            columns[col] |= 1 << role.index();
        }
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::CellErrorType;

    #[test]
    fn rows_are_grouped_and_blank_rows_counted() {
        // Header in row 1, data in rows 2, 5 (3 and 4 absent), an empty row 6, data in 7,
        // then two rows of empty cells.
        let cells = vec![
            Cell::new((0, 0), DataRef::SharedString("UPN")),
            Cell::new((0, 1), DataRef::SharedString("Methods")),
            Cell::new((1, 0), DataRef::SharedString("a@x")),
            Cell::new((1, 1), DataRef::Error(CellErrorType::NA)),
            Cell::new((4, 1), DataRef::SharedString("OneWaySMS")),
            Cell::new((5, 0), DataRef::SharedString(" ")),
            Cell::new((6, 0), DataRef::SharedString("c@x")),
            Cell::new((7, 0), DataRef::Empty),
            Cell::new((8, 3), DataRef::Empty),
        ];
        let mut it = cells.into_iter().map(SheetCell::from);
        let mut ended = false;
        // Like calamine's readers: asking again after the end is an error.
        let mut next = || {
            assert!(!ended, "the cell reader was asked again after the end");
            let cell = it.next();
            ended = cell.is_none();
            Ok(cell)
        };
        let mut rows = RowAssembler::default();
        let mut header = Vec::new();
        assert_eq!(
            rows.next_row(&mut next, |c, _| header.push(c)).unwrap(),
            Some(1)
        );
        assert_eq!(header, vec![0, 1]);
        rows.previous_row = 1;
        let columns = [1u32 << Role::Upn.index(), 1 << Role::Methods.index()];
        let mut slot = SheetRow::default();
        let mut got = Vec::new();
        while rows.fill(&mut slot, &mut next, &columns).unwrap() {
            got.push((
                slot.data,
                slot.row,
                slot.blank_before,
                slot.fields[Role::Upn.index()].clone(),
                slot.fields[Role::Methods.index()].clone(),
                slot.errors.clone(),
            ));
        }
        let na = vec![(1, "#N/A".to_owned())];
        assert_eq!(
            got,
            vec![
                (true, 2, 0, "a@x".into(), "".into(), na),
                (true, 5, 2, "".into(), "OneWaySMS".into(), vec![]),
                (true, 7, 1, "c@x".into(), "".into(), vec![]),
                (false, 7, 2, "".into(), "".into(), vec![]),
            ]
        );
    }

    /// Every row of a sheet from `cells` ((row, column) 0-based; `None` is a formula without
    /// its result), as (row, UPN, columns of uncached formulas), or the error.
    fn assemble(
        cells: &[((u32, u32), Option<&'static str>)],
    ) -> Result<Vec<(u64, String, Vec<usize>)>> {
        let mut it = cells.iter().map(|&((row, col), v)| SheetCell {
            row,
            col,
            content: v.map_or(Content::UncachedFormula, |s| {
                Content::Value(DataRef::SharedString(s))
            }),
        });
        let mut next = || Ok(it.next());
        let mut rows = RowAssembler {
            file: "u.xlsx".into(),
            sheet: "Users".into(),
            ..RowAssembler::default()
        };
        let columns = [1u32 << Role::Upn.index(), 1 << Role::Methods.index()];
        let mut slot = SheetRow::default();
        let mut got = Vec::new();
        while rows.fill(&mut slot, &mut next, &columns)? {
            got.push((
                slot.row,
                slot.fields[Role::Upn.index()].clone(),
                slot.uncached.clone(),
            ));
        }
        Ok(got)
    }

    #[test]
    fn a_row_twice_or_out_of_order_is_an_error_naming_it() {
        let a = Some("a@x");
        let b = Some("b@x");
        // Two rows numbered 2: the second's A2 would overwrite the first's.
        let err = assemble(&[((1, 0), a), ((1, 1), a), ((1, 0), b)]).unwrap_err();
        assert_eq!(
            err.to_string().lines().next().unwrap(),
            "u.xlsx: sheet \"Users\" has two rows numbered 2 (Users!A2 comes again after \
             Users!B2): the sheet is damaged or was edited by hand, and one user would hide another"
        );
        // Row 3, then row 2.
        let err = assemble(&[((2, 0), a), ((1, 1), b)])
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("u.xlsx:Users!B2: row 2 comes after row 3"),
            "{err}"
        );
        assert!(err.contains("hint: open the workbook in Excel"), "{err}");
        // A formula without its result is data, read as empty, and named by column.
        assert_eq!(
            assemble(&[((1, 0), a), ((1, 1), None), ((2, 1), None)]).unwrap(),
            vec![(2, "a@x".into(), vec![1]), (3, "".into(), vec![1])]
        );
    }
}
