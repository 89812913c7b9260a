//! Boolean columns in which not a single cell can be read: the blocked-sign-in column
//! (`BlockCredential`, `accountEnabled`) and the registration column (`isMfaRegistered`).
//!
//! One unreadable cell among readable ones is a user whose state the file does not tell, and
//! stays a per-row unknown. A column with no readable cell at all is something else: words of
//! a language mfa-audit does not know, or a column that is not what its header says. Counting
//! every user as unknown (or falling back to the methods for every user) would produce a
//! report that looks like a result and is not one, so the run stops and names the column, some
//! of its values and the fix. Once a column has shown one readable cell it costs nothing more
//! per row.

use anyhow::{bail, Result};

use crate::read::schema::{Role, Row, Schema};
use crate::terminal::quote;

/// Distinct unreadable values kept for the message.
const SAMPLES: usize = 5;

/// One boolean column being watched.
#[derive(Debug)]
struct Column {
    role: Role,
    header: String,
    readable: bool,
    /// Distinct values seen (trimmed), at most [`SAMPLES`].
    samples: Vec<String>,
    /// Line (or row) of the first unreadable cell.
    first: Option<u64>,
}

/// The watched columns of one input.
#[derive(Debug, Default)]
pub struct Readability {
    columns: Vec<Column>,
    rows: u64,
}

impl Readability {
    /// Watches the blocked column (unless its cells come from `--accounts`) and the
    /// registration column, when the input has them.
    pub fn new(schema: &Schema, blocked_joined: bool) -> Readability {
        let mut columns = Vec::new();
        for role in [Role::Blocked, Role::Registered] {
            if role == Role::Blocked && blocked_joined {
                continue;
            }
            if let Some(header) = schema.header(role) {
                columns.push(Column {
                    role,
                    header: header.to_owned(),
                    readable: false,
                    samples: Vec::new(),
                    first: None,
                });
            }
        }
        Readability { columns, rows: 0 }
    }

    /// Looks at one row; `blocked_readable` is what the verdict made of its blocked cell.
    pub fn observe(&mut self, row: &Row, blocked_readable: bool, line: u64) {
        self.rows += 1;
        for c in self.columns.iter_mut().filter(|c| !c.readable) {
            let cell = row.get(c.role).unwrap_or("");
            c.readable = match c.role {
                Role::Blocked => blocked_readable,
                // Read as classify reads it (`Enabled`/`Disabled` count too).
                _ => crate::audit::registration::parse_flag(cell).is_some(),
            };
            if !c.readable {
                c.first.get_or_insert(line);
                let value = cell.trim();
                if c.samples.len() < SAMPLES && !c.samples.iter().any(|s| s == value) {
                    c.samples.push(value.to_owned());
                }
            }
        }
    }

    /// After the input's last row: the error for a column with rows but no readable cell.
    /// `place` names a line (or row) of the input.
    pub fn check(&self, input: &str, place: impl Fn(u64) -> String) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let Some(c) = self.columns.iter().find(|c| !c.readable) else {
            return Ok(());
        };
        let values: Vec<String> = c
            .samples
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| quote(s).to_string())
            .collect();
        let shown = if values.is_empty() {
            "every cell is empty".to_owned()
        } else {
            let more = if c.samples.len() >= SAMPLES {
                " ..."
            } else {
                ""
            };
            format!("{}{more}", values.join(", "))
        };
        let (what, fix) = match c.role {
            Role::Blocked => (
                "whether sign-in is blocked",
                "name the blocked-sign-in column with --column blocked=HEADER",
            ),
            _ => (
                "whether the user is registered for MFA",
                "name the registration column with --column registered=HEADER",
            ),
        };
        bail!(
            "{input}: the column {} holds no value mfa-audit can read as True/False: {shown} \
             (the first at {}). Not one of its {} rows tells {what}, so every user would be \
             unknown; nothing was written.\n\
             hint: if the column is in the wrong place, {fix}; if these are True/False in your \
             language, tell the mfa-audit maintainers the words",
            quote(&c.header),
            place(c.first.unwrap_or(0)),
            crate::numbers::thousands(self.rows),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::schema::Polarity;

    fn schema(headers: &[(&str, Role)]) -> Schema {
        let mut s = Schema {
            headers: Vec::new(),
            columns: Default::default(),
            polarity: Polarity::TrueIsBlocked,
            duplicate_headers: Vec::new(),
            shape: None,
            not_state: Vec::new(),
        };
        for (i, (h, role)) in headers.iter().enumerate() {
            s.headers.push((*h).to_owned());
            s.columns[role.index()] = Some(i);
        }
        s
    }

    fn run(blocked: &[&str], registered: Option<&[&str]>) -> Result<()> {
        let mut heads = vec![("BlockCredential", Role::Blocked)];
        if registered.is_some() {
            heads.push(("isMfaRegistered", Role::Registered));
        }
        let mut r = Readability::new(&schema(&heads), false);
        for (i, b) in blocked.iter().enumerate() {
            let mut row = Row::default();
            row.fields[Role::Blocked.index()] = Some(b);
            row.fields[Role::Registered.index()] = registered.map(|r| r[i]);
            let readable = crate::audit::classify::parse_blocked(b, Polarity::TrueIsBlocked)
                != crate::audit::classify::Blocked::Unreadable;
            r.observe(&row, readable, i as u64 + 2);
        }
        r.check("u.csv", |l| format!("u.csv:{l}"))
    }

    #[test]
    fn only_a_column_without_one_readable_cell_is_refused() {
        // (blocked cells, registration cells, error wanted)
        type Case<'a> = (&'a [&'a str], Option<&'a [&'a str]>, Option<&'a str>);
        let cases: &[Case] = &[
            (&[], None, None),
            (&["False", "True"], None, None),
            // one unreadable cell among readable ones: a per-row unknown
            (&["ja", "False"], None, None),
            (&["False", "nein"], None, None),
            (&["Blocked", "Allowed"], None, None),
            (
                &["ja", "nein", "ja"],
                None,
                Some("the column \"BlockCredential\" holds no value mfa-audit can read as True/False: \"ja\", \"nein\" (the first at u.csv:2)"),
            ),
            (&["", ""], None, Some("every cell is empty")),
            (&["a", "b", "c", "d", "e", "f"], None, Some("\"e\" ...")),
            (&["False", "True"], Some(&["True", "x"]), None),
            (
                &["False", "True"],
                Some(&["oui", "non"]),
                Some("the column \"isMfaRegistered\" holds no value"),
            ),
        ];
        for (blocked, registered, want) in cases {
            let got = run(blocked, *registered);
            match (want, got) {
                (None, Ok(())) => {}
                (Some(w), Err(e)) => assert!(e.to_string().contains(w), "{e}"),
                (w, g) => panic!("{blocked:?} {registered:?}: want {w:?}, got {g:?}"),
            }
        }
    }

    #[test]
    fn a_joined_blocked_column_is_not_watched() {
        let s = schema(&[("BlockCredential", Role::Blocked)]);
        let mut r = Readability::new(&s, true);
        r.observe(&Row::default(), false, 2);
        assert!(r.check("u.csv", |l| l.to_string()).is_ok());
    }
}
