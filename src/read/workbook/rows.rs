//! A sheet's cells grouped into rows: the rows handed to the main thread, blank rows counted,
//! and the order of rows checked (a damaged sheet must not merge or reorder users silently).

use anyhow::{bail, Result};
use calamine::{Cell, DataRef};

use super::cells::{cell_text, is_blank};
use crate::read::schema::{Schema, ROLES, ROLE_COUNT};

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
}

/// The next cell of a sheet, in row order, from whichever reader the format has.
pub(super) type NextCell<'a, 'f> = &'f mut dyn FnMut() -> Result<Option<Cell<DataRef<'a>>>>;

/// Groups a sheet's cells into rows, counting the blank ones.
#[derive(Default)]
pub(super) struct RowAssembler<'a> {
    /// The first cell of the next row, read while finishing the previous one.
    pending: Option<Cell<DataRef<'a>>>,
    /// 1-based number of the last row returned.
    pub(super) previous_row: u64,
    /// Blank rows not yet reported.
    blank: u64,
    /// The cell reader said the sheet ended (it must not be asked again).
    ended: bool,
}

impl<'a> RowAssembler<'a> {
    /// Passes each cell of the next row that has cells to `on_cell`; returns its 1-based
    /// number, or `None` at the end of the sheet.
    pub(super) fn next_row(
        &mut self,
        next: NextCell<'a, '_>,
        mut on_cell: impl FnMut(usize, &DataRef<'a>),
    ) -> Result<Option<u64>> {
        let first = match self.pending.take() {
            Some(cell) => cell,
            None => match self.pull(next)? {
                Some(cell) => cell,
                None => return Ok(None),
            },
        };
        let row = first.get_position().0;
        on_cell(first.get_position().1 as usize, first.get_value());
        while let Some(cell) = self.pull(next)? {
            if cell.get_position().0 != row {
                self.pending = Some(cell);
                break;
            }
            on_cell(cell.get_position().1 as usize, cell.get_value());
        }
        Ok(Some(u64::from(row) + 1))
    }

    fn pull(&mut self, next: NextCell<'a, '_>) -> Result<Option<Cell<DataRef<'a>>>> {
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
        sheet: &str,
    ) -> Result<bool> {
        slot.errors.clear();
        loop {
            for f in &mut slot.fields {
                f.clear();
            }
            let mut has_data = false;
            let Some(row) = self.next_row(next, |col, value| {
                if !is_blank(value) {
                    has_data = true;
                }
                let Some(&roles) = columns.get(col).filter(|r| **r != 0) else {
                    return;
                };
                if let DataRef::Error(e) = value {
                    slot.errors.push((col, e.to_string()));
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
            if row <= self.previous_row {
                bail!(
                    "sheet {sheet:?}: row {row} comes after row {}: the worksheet's rows are out \
                     of order\nhint: open the workbook in Excel and save it again",
                    self.previous_row
                );
            }
            self.blank += row - self.previous_row - 1;
            self.previous_row = row;
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
    use crate::read::schema::Role;
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
        let mut it = cells.into_iter();
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
        while rows.fill(&mut slot, &mut next, &columns, "S").unwrap() {
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
}
