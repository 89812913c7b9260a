//! Tests of the JSON object stream: the byte cap per object, and that a value beyond it is
//! refused before it is read whole.

use super::*;

/// `prefix`, then `x` without end: a string value that never closes. Counts what it gave.
struct Endless {
    prefix: &'static [u8],
    given: Rc<Cell<u64>>,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let at = self.given.get() as usize;
        let n = buf.len();
        for (i, b) in buf.iter_mut().enumerate() {
            *b = *self.prefix.get(at + i).unwrap_or(&b'x');
        }
        self.given.set(self.given.get() + n as u64);
        Ok(n)
    }
}

#[derive(Default)]
struct Count(u64);

impl ItemHandler for Count {
    fn item(&mut self, _: Map<String, Value>) -> Result<(), String> {
        self.0 += 1;
        Ok(())
    }
    fn name(&self) -> &str {
        "users.json"
    }
    fn count(&self) -> u64 {
        self.0
    }
}

fn limits(mib: u64) -> Limits {
    Limits {
        max_record_bytes: mib << 20,
        ..Limits::default()
    }
}

#[test]
fn an_endless_string_is_refused_after_the_cap_not_read_whole() {
    let given = Rc::new(Cell::new(0));
    let text = Endless {
        prefix: b"[{\"UserPrincipalName\": \"a@contoso.com\",\n\"StrongAuthenticationMethods\": \"",
        given: Rc::clone(&given),
    };
    let err = stream_items(text, &mut Count::default(), limits(1))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "users.json:2: item 1 is longer than 1 MiB, the cap on one record, in the value \
             of \"StrongAuthenticationMethods\""
        ),
        "{err}"
    );
    assert!(err.contains("--max-record-size MB"), "{err}");
    // What was read is the cap and one buffer's worth: memory does not follow the value.
    assert!(given.get() <= (1 << 20) + 2 * 256 * 1024, "{}", given.get());
}

#[test]
fn the_cap_is_per_object_not_per_file() {
    // Two users of 0.6 MiB each under a 1 MiB cap: each fits, the file is larger.
    let big = "x".repeat(600 << 10);
    let json = format!(
        "[{{\"UserPrincipalName\": \"a@contoso.com\", \"StrongAuthenticationMethods\": \
         \"{big}\"}},\n{{\"UserPrincipalName\": \"b@contoso.com\", \
         \"StrongAuthenticationMethods\": \"{big}\"}}]"
    );
    let mut count = Count::default();
    stream_items(json.as_bytes(), &mut count, limits(1)).unwrap();
    assert_eq!(count.0, 2);
    // One value alone beyond the cap is refused, naming the item that holds it.
    let bigger = "x".repeat(1100 << 10);
    let json = format!(
        "[{{\"UserPrincipalName\": \"a@contoso.com\"}},\n{{\"DisplayName\": \"{bigger}\"}}]"
    );
    let err = stream_items(json.as_bytes(), &mut Count::default(), limits(1))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "users.json:2: item 2 is longer than 1 MiB, the cap on one record, in the value \
             of \"DisplayName\""
        ),
        "{err}"
    );
}
