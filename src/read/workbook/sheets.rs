//! Which sheet of a workbook holds the users, and where its header row is: the worksheets in
//! order or the one `--sheet` names, and the first row within the top rows that names a UPN
//! column (`Export-Excel -Title` puts a title above it).

use anyhow::{bail, Result};

use super::rows::{Content, NextCell, RowAssembler};
use super::{cell_text, Job, HEADER_SEARCH_ROWS};
use crate::read::schema::{quoted_list, Role, Schema};

impl Job {
    /// The sheets to try: the worksheets in order (not chart or dialog sheets), or the one
    /// `--sheet` names.
    pub(super) fn candidates(&self, sheets: &[calamine::Sheet]) -> Result<Vec<String>> {
        match &self.sheet {
            None => Ok(sheets
                .iter()
                .filter(|s| s.typ == calamine::SheetType::WorkSheet)
                .map(|s| s.name.clone())
                .collect()),
            Some(wanted) => {
                let names: Vec<String> = sheets.iter().map(|s| s.name.clone()).collect();
                Ok(vec![pick_sheet(&self.name, &names, wanted)?])
            }
        }
    }

    /// The header row among the sheet's first rows, and the roles it names; `None` when there
    /// is no UPN header (the first row with data is remembered in `seen` for the error).
    pub(super) fn find_header<'a>(
        &self,
        sheet: &str,
        rows: &mut RowAssembler<'a>,
        next: NextCell<'a, '_>,
        seen: &mut Vec<String>,
    ) -> Result<Option<(u64, Schema)>> {
        let mut texts: Vec<String> = Vec::new();
        loop {
            texts.clear();
            let mut too_wide = false;
            let Some(row) = rows.next_row(next, |col, content| {
                // A damaged or hostile sheet can name any column: do not allocate up to it.
                if col >= self.max_columns {
                    too_wide = true;
                    return;
                }
                if texts.len() <= col {
                    texts.resize(col + 1, String::new());
                }
                if let Content::Value(value) = content {
                    cell_text(value, &mut texts[col]);
                }
            })?
            else {
                return Ok(None);
            };
            if too_wide {
                bail!(
                    "{}: sheet {sheet:?} row {row} has a cell beyond column {}, the cap\n\
                     hint: the workbook may be damaged; raise the cap with --max-columns N",
                    self.name,
                    self.max_columns
                );
            }
            if row > u64::from(HEADER_SEARCH_ROWS) {
                return Ok(None);
            }
            if texts.iter().all(|t| t.trim().is_empty()) {
                continue;
            }
            let headers: Vec<String> = texts.iter().map(|t| t.trim().to_owned()).collect();
            let resolved = Schema::resolve(headers, &self.overrides);
            // A script's file that names no account: say so, not "no UPN column".
            if let Some(why) = resolved.as_ref().ok().and_then(Schema::refusal) {
                bail!("{}: sheet {sheet:?} row {row}: {why}", self.name);
            }
            match resolved {
                Ok(schema) if schema.column(Role::Upn).is_some() => return Ok(Some((row, schema))),
                _ if seen.is_empty() => seen.push(format!(
                    "the first row with data (sheet {sheet:?}, row {row}) holds {}",
                    quoted_list(&texts)
                )),
                _ => {}
            }
        }
    }
}

/// The sheet `--sheet` names: by name (any letter case) or 1-based position.
fn pick_sheet(name: &str, sheets: &[String], wanted: &str) -> Result<String> {
    if let Some(s) = sheets.iter().find(|s| *s == wanted) {
        return Ok(s.clone());
    }
    if let Some(s) = sheets.iter().find(|s| s.eq_ignore_ascii_case(wanted)) {
        return Ok(s.clone());
    }
    if let Ok(i) = wanted.trim().parse::<usize>() {
        if let Some(s) = i.checked_sub(1).and_then(|i| sheets.get(i)) {
            return Ok(s.clone());
        }
    }
    bail!(
        "{name}: no sheet {wanted:?}; the sheets are {} (or give a position from 1 to {})",
        quoted_list(sheets),
        sheets.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_by_name_any_case_or_position() {
        let sheets = vec!["Summary".to_owned(), "Users".to_owned(), "2".to_owned()];
        assert_eq!(pick_sheet("w", &sheets, "Users").unwrap(), "Users");
        assert_eq!(pick_sheet("w", &sheets, "users").unwrap(), "Users");
        // A sheet named "2" wins over the second position.
        assert_eq!(pick_sheet("w", &sheets, "2").unwrap(), "2");
        assert_eq!(pick_sheet("w", &sheets, "1").unwrap(), "Summary");
        let err = pick_sheet("w", &sheets, "9").unwrap_err().to_string();
        assert!(err.contains("\"Summary\", \"Users\", \"2\""), "{err}");
    }
}
