//! Formulas whose result the workbook does not hold.
//!
//! Excel saves each formula with its last result; programs that write workbooks without
//! calculating them (ImportExcel's Export-Excel for a value starting with `=`, openpyxl) save
//! the formula alone, and calamine reads such a cell as empty. An empty methods or status cell
//! is a verdict (unregistered, `Disabled`), so reading them as empty would change the count
//! without a word. A role column made only of such cells is therefore read as absent (the
//! warnings for a missing column then say what the file cannot tell), and the other such cells
//! are named in one warning.
//!
//! A formula whose saved result is a number, in a column of text, is the same loss: some
//! writers of legacy `.xls` save `0` as the result of a text formula, and `0` read as a method
//! name would make the user registered. Such cells are read as formulas without a result.

use anyhow::Result;

use super::rows::{decides, holds_text, Content, NextCell, RowAssembler};
use crate::read::cell_name;
use crate::read::schema::{Schema, ROLES};
use crate::terminal::quote;

/// How many cells a warning names before it only counts.
const NAMED: usize = 5;

/// A role column whose non-empty cells are all formulas without a (text) result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Blind {
    pub(super) col: usize,
    /// Formulas without a saved result.
    pub(super) uncached: u64,
    /// Formulas whose saved result is a number, in a column of text.
    pub(super) numbered: u64,
}

/// Reads the rest of the sheet after its header and returns the role columns whose non-empty
/// cells are all formulas without a result. Stops as soon as every role column has shown a
/// real value, so a sheet without such columns is mostly not read twice.
pub(super) fn blind_columns<'a>(
    rows: &mut RowAssembler<'a>,
    next: NextCell<'a, '_>,
    columns: &[u32],
) -> Result<Vec<Blind>> {
    // Per column: None when it is no role's; else (a real value seen, the blind cells).
    let mut state: Vec<Option<(bool, Blind)>> = columns
        .iter()
        .enumerate()
        .map(|(col, roles)| {
            decides(*roles).then_some((
                false,
                Blind {
                    col,
                    uncached: 0,
                    numbered: 0,
                },
            ))
        })
        .collect();
    let mut open = state.iter().filter(|s| s.is_some()).count();
    while open > 0 {
        let found = rows.next_row(next, |col, content| {
            let text = columns.get(col).is_some_and(|r| holds_text(*r));
            let Some(Some((valued, blind))) = state.get_mut(col) else {
                return;
            };
            match content {
                Content::UncachedFormula => blind.uncached += 1,
                Content::NumberFormula(_) if text => blind.numbered += 1,
                Content::MistypedFormula | Content::StaleFormula => blind.numbered += 1,
                Content::Value(v) | Content::NumberFormula(v)
                    if !*valued && !super::cells::is_blank(v) =>
                {
                    *valued = true;
                    open -= 1;
                }
                Content::Value(_) | Content::NumberFormula(_) => {}
            }
        })?;
        if found.is_none() {
            break;
        }
    }
    Ok(state
        .iter()
        .filter_map(|s| match s {
            Some((false, b)) if b.uncached + b.numbered > 0 => Some(*b),
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
    blind: &[Blind],
) -> Vec<String> {
    let mut notes = Vec::new();
    for b in blind {
        let col = b.col;
        let what = if b.numbered == 0 {
            format!("formulas without a saved result ({} cells)", b.uncached)
        } else {
            format!(
                "formulas without their real result ({} cells; {} of them saved a number \
                 that is not what they compute)",
                b.uncached + b.numbered,
                b.numbered
            )
        };
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
            "{file}:{}: the column {} (read as {}) holds only {what}, so the workbook does not \
             say what they show; the column is read as if it were absent. Open the workbook in \
             Excel and save it (Excel calculates and saves the results), or export the values",
            cell_name(sheet, header_row, col),
            quote(schema.headers.get(col).map_or("", String::as_str)),
            roles.join(", "),
        ));
    }
    notes
}

/// What a cell named in an end-of-sheet warning lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Unread {
    /// A formula without a saved result.
    #[default]
    NoResult,
    /// A formula in a column of text whose saved result is a number.
    NumberResult,
    /// A formula in a yes/no column whose text computes text or a truth value, with a
    /// number for its saved result.
    MistypedResult,
    /// A formula in a yes/no column with a number saved by a writer that did not calculate
    /// it (the workbook asks to be calculated when opened).
    StaleResult,
    /// A number in a methods column.
    NumberMethod,
}

/// The cells of the roles' columns that cannot be read for what they show: the first few
/// named, the rest counted, for one warning at the end of the sheet.
#[derive(Default)]
pub(super) struct Uncached {
    kind: Unread,
    count: u64,
    named: Vec<String>,
}

impl Uncached {
    pub(super) fn new(kind: Unread) -> Self {
        Uncached {
            kind,
            ..Uncached::default()
        }
    }

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
        let one = self.count == 1;
        let cells = self.named.join(", ");
        let count = self.count;
        Some(match self.kind {
            Unread::NoResult => format!(
                "{file}: {count} {} without a saved result ({cells}{rest}); the file does not \
                 say what they show, so a user whose verdict depends on one is unknown. Open \
                 the workbook in Excel and save it (Excel calculates and saves the \
                 results), or export the values",
                if one {
                    "cell holds a formula"
                } else {
                    "cells hold formulas"
                },
            ),
            Unread::NumberResult => format!(
                "{file}: {count} {} whose saved result is a number, which cannot be the text \
                 {} ({cells}{rest}): the writer did not save the real result, so the workbook \
                 does not say what {} show; a user whose verdict depends on {} is unknown (never \
                 registered by it). \
                 Open the workbook in Excel or LibreOffice and save it (the results are \
                 calculated again), or export the values",
                if one {
                    "cell holds a formula"
                } else {
                    "cells hold formulas"
                },
                if one { "it computes" } else { "they compute" },
                if one { "it would" } else { "they would" },
                if one { "it" } else { "one" },
            ),
            Unread::MistypedResult => format!(
                "{file}: {count} {} of a yes/no column {} a formula whose saved result is a \
                 number, though {} only text or true/false ({cells}{rest}): the writer did not \
                 save the real result, and reading 0 as false would be a guess; a user whose \
                 verdict depends on {} is unknown. Open the workbook in Excel or LibreOffice \
                 and save it (the results are calculated again), or export the values",
                if one { "cell" } else { "cells" },
                if one { "holds" } else { "hold" },
                if one { "it computes" } else { "they compute" },
                if one { "it" } else { "one" },
            ),
            Unread::StaleResult => format!(
                "{file}: {count} {} of a yes/no column {} a formula whose saved result is a \
                 number the writer did not calculate ({cells}{rest}): the workbook asks to be \
                 calculated when opened (fullCalcOnLoad, as XlsxWriter and similar writers \
                 save it, with 0 for every formula), so reading that number as false or true \
                 would be a guess; a user whose verdict depends on {} is unknown. Open the \
                 workbook in Excel or LibreOffice and save it (the results are calculated), or \
                 export the values",
                if one { "cell" } else { "cells" },
                if one { "holds" } else { "hold" },
                if one { "it" } else { "one" },
            ),
            Unread::NumberMethod => {
                format!(
                "{file}: {count} {} of the methods column {} a number ({cells}{rest}), which is \
                 no MFA method's name and does not say what was meant; {} unknown (never \
                 registered by {})",
                if one { "cell" } else { "cells" },
                if one { "holds" } else { "hold" },
                if one { "its user is" } else { "their users are" },
                if one { "it" } else { "them" },
            )
            }
        })
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
