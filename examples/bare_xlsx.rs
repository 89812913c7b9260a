//! Benchmark baseline for workbooks: calamine's own streaming read of the first sheet
//! (`worksheet_cells_reader`), counting cells and touching the text of each, with no rows
//! assembled and nothing classified. `mfa-audit audit` on a workbook is measured against this
//! in docs/BENCHMARKS.md.
//!
//! cargo run --release --example bare_xlsx -- FILE.xlsx

use calamine::{open_workbook, DataRef, Reader, Xlsx};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: bare_xlsx FILE.xlsx")?;
    let mut workbook: Xlsx<_> = open_workbook(path)?;
    let sheet = workbook.sheet_names().first().cloned().ok_or("no sheet")?;
    let mut reader = workbook.worksheet_cells_reader(&sheet)?;
    let (mut cells, mut text) = (0u64, 0u64);
    while let Some(cell) = reader.next_cell()? {
        cells += 1;
        if let DataRef::SharedString(s) = cell.get_value() {
            text += s.len() as u64;
        }
    }
    println!("{cells} cells, {text} bytes of shared text");
    Ok(())
}
