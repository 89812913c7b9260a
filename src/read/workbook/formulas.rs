//! Formulas whose result the workbook does not hold.
//!
//! Excel saves each formula with its last result; programs that write workbooks without
//! calculating them (ImportExcel's Export-Excel for a value starting with `=`, openpyxl) save
//! the formula alone, and calamine reads such a cell as empty. An empty methods or status cell
//! is a verdict (unregistered, `Disabled`), so reading them as empty would change the count
//! without a word. A role column made only of such cells is therefore read as absent (the
//! warnings for a missing column then say what the file cannot tell), and the other such cells
//! are named in one warning.

use anyhow::Result;

use super::rows::{decides, Content, NextCell, RowAssembler};
use crate::read::cell_name;
use crate::read::schema::{Schema, ROLES};
use crate::terminal::quote;

/// How many cells a warning names before it only counts.
const NAMED: usize = 5;

/// Reads the rest of the sheet after its header and returns the role columns (by index)
/// whose non-empty cells are all formulas without a result: (column, how many). Stops as soon
/// as every role column has shown a real value, so a sheet without such columns is mostly
/// not read twice.
pub(super) fn blind_columns<'a>(
    rows: &mut RowAssembler<'a>,
    next: NextCell<'a, '_>,
    columns: &[u32],
) -> Result<Vec<(usize, u64)>> {
    // Per column: None when it is no role's; else (a real value seen, uncached formulas).
    let mut state: Vec<Option<(bool, u64)>> = columns
        .iter()
        .map(|roles| decides(*roles).then_some((false, 0)))
        .collect();
    let mut open = state.iter().filter(|s| s.is_some()).count();
    while open > 0 {
        let found = rows.next_row(next, |col, content| {
            let Some(Some((valued, uncached))) = state.get_mut(col) else {
                return;
            };
            match content {
                Content::UncachedFormula => *uncached += 1,
                Content::Value(v) if !*valued && !super::cells::is_blank(v) => {
                    *valued = true;
                    open -= 1;
                }
                Content::Value(_) => {}
            }
        })?;
        if found.is_none() {
            break;
        }
    }
    Ok(state
        .iter()
        .enumerate()
        .filter_map(|(col, s)| match s {
            Some((false, n)) if *n > 0 => Some((col, *n)),
            _ => None,
        })
        .collect())
}

/// Drops the roles read from `blind` columns from the schema; returns a warning for each.
pub(super) fn drop_blind(
    file: &str,
    sheet: &str,
    header_row: u64,
    schema: &mut Schema,
    blind: &[(usize, u64)],
) -> Vec<String> {
    let mut notes = Vec::new();
    for &(col, cells) in blind {
        let roles: Vec<&str> = ROLES
            .into_iter()
            .filter(|r| schema.column(*r) == Some(col))
            .map(|r| r.cli_name())
            .collect();
        for role in ROLES {
            if schema.column(role) == Some(col) {
                schema.columns[role.index()] = None;
            }
        }
        notes.push(format!(
            "{file}:{}: the column {} (read as {}) holds only formulas without a saved result \
             ({cells} cells), so the workbook does not say what they show; the column is read as \
             if it were absent. Open the workbook in Excel and save it (Excel calculates and saves \
             the results), or export the values",
            cell_name(sheet, header_row, col),
            quote(schema.headers.get(col).map_or("", String::as_str)),
            roles.join(", "),
        ));
    }
    notes
}

/// The cells of the roles' columns that are formulas without a result: the first few named,
/// the rest counted, for one warning at the end of the sheet.
#[derive(Default)]
pub(super) struct Uncached {
    count: u64,
    named: Vec<String>,
}

impl Uncached {
    pub(super) fn push(&mut self, sheet: &str, row: u64, col: usize) {
        self.count += 1;
        if self.named.len() < NAMED {
            self.named.push(cell_name(sheet, row, col));
        }
    }

    pub(super) fn warning(&self, file: &str) -> Option<String> {
        if self.count == 0 {
            return None;
        }
        let more = self.count - self.named.len() as u64;
        let rest = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        Some(format!(
            "{file}: {} {} without a saved result ({}{rest}); they are read as empty. Open the \
             workbook in Excel and save it (Excel calculates and saves the results), or export \
             the values",
            self.count,
            if self.count == 1 {
                "cell holds a formula"
            } else {
                "cells hold formulas"
            },
            self.named.join(", "),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncached_cells_are_named_then_counted() {
        let mut u = Uncached::default();
        assert_eq!(u.warning("u.xlsx"), None);
        u.push("Users", 2, 3);
        assert!(u
            .warning("u.xlsx")
            .unwrap()
            .starts_with("u.xlsx: 1 cell holds a formula without a saved result (Users!D2);"));
        for row in 3..=8 {
            u.push("Users", row, 3);
        }
        let w = u.warning("u.xlsx").unwrap();
        assert!(
            w.contains(
                "7 cells hold formulas without a saved result (Users!D2, Users!D3, \
                        Users!D4, Users!D5, Users!D6 and 2 more)"
            ),
            "{w}"
        );
    }
}
