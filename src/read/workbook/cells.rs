//! Workbook cells as text: what a CSV export of the same cell would hold, so the classifier
//! sees the same rows whichever format the export came in.

use calamine::{Data, DataRef};

pub(super) fn is_blank(value: &DataRef<'_>) -> bool {
    match value {
        DataRef::Empty => true,
        DataRef::String(s) => s.trim().is_empty(),
        DataRef::SharedString(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell as the text a CSV export of it would hold: booleans as PowerShell writes them,
/// whole numbers without a decimal point (an ID or phone number stored as a number), dates
/// in ISO 8601. Errors read as empty (the caller warns).
pub(super) fn cell_text(value: &DataRef<'_>, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    match value {
        DataRef::Empty | DataRef::Error(_) => {}
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => out.push_str(s),
        DataRef::SharedString(s) => out.push_str(s),
        DataRef::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        DataRef::Int(i) => {
            let _ = write!(out, "{i}");
        }
        DataRef::Float(f) => {
            let _ = write!(out, "{f}");
        }
        DataRef::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            let _ = write!(out, "{y:04}-{mo:02}-{day:02}");
            if (h, mi, s) != (0, 0, 0) {
                let _ = write!(out, "T{h:02}:{mi:02}:{s:02}");
            }
        }
        DataRef::DateTime(d) => {
            let _ = write!(out, "{}", d.as_f64());
        }
    }
}

/// A whole-sheet cell (legacy .xls) seen as a streamed one.
pub(super) fn data_ref(d: &Data) -> DataRef<'_> {
    match d {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(t) => DataRef::DateTime(*t),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn cells_read_as_a_csv_export_would_hold_them() {
        let date = ExcelDateTime::new(45943.5, ExcelDateTimeType::DateTime, false);
        let day = ExcelDateTime::new(45943.0, ExcelDateTimeType::DateTime, false);
        let cases: Vec<(DataRef, &str)> = vec![
            (DataRef::Bool(true), "True"),
            (DataRef::Bool(false), "False"),
            (DataRef::Float(1.0), "1"),
            (DataRef::Float(46701234567.0), "46701234567"),
            (DataRef::Float(0.25), "0.25"),
            (DataRef::Int(-3), "-3"),
            (DataRef::SharedString("PhoneAppOTP"), "PhoneAppOTP"),
            (DataRef::String("System.Object[]".into()), "System.Object[]"),
            (DataRef::DateTime(date), "2025-10-13T12:00:00"),
            (DataRef::DateTime(day), "2025-10-13"),
            (DataRef::Error(CellErrorType::NA), ""),
            (DataRef::Empty, ""),
        ];
        let mut out = String::from("leftover");
        for (value, want) in cases {
            cell_text(&value, &mut out);
            assert_eq!(out, want, "{value:?}");
        }
        assert!(is_blank(&DataRef::SharedString("  ")));
        assert!(!is_blank(&DataRef::Bool(false)));
    }
}
