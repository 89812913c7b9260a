//! The array reader against the stream reader: on valid, broken and hostile files both must
//! hand over the same objects and stop with the same message, positions included.

use proptest::prelude::*;
use serde_json::{Map, Value};

use super::super::{stream_any, stream_items, ItemHandler, Limited};
use crate::read::Limits;

/// Records what a reader hands over.
#[derive(Default, Debug, PartialEq)]
struct Seen {
    items: Vec<Map<String, Value>>,
    duplicates: Vec<(u64, String)>,
}

impl ItemHandler for Seen {
    fn item(&mut self, item: Map<String, Value>) -> Result<(), String> {
        if item.contains_key("stop") {
            return Err(format!("t.json: item {} says stop", self.items.len() + 1));
        }
        self.items.push(item);
        Ok(())
    }
    fn name(&self) -> &str {
        "t.json"
    }
    fn count(&self) -> u64 {
        self.items.len() as u64
    }
    fn duplicate_key(&mut self, item: u64, key: &str) {
        self.duplicates.push((item, key.to_owned()));
    }
}

fn limits(max_record_bytes: u64, max_columns: usize) -> Limits {
    Limits {
        max_record_bytes,
        max_columns,
        ..Limits::default()
    }
}

/// Both readers over `text`: what each handed over and how each ended.
fn both(text: &[u8], limits: Limits) -> [(Seen, Result<(), String>); 2] {
    let mut fast = Seen::default();
    let fast_end = stream_items(text, &mut fast, limits).map_err(|e| format!("{e:#}"));
    let mut slow = Seen::default();
    let slow_end =
        stream_any(text, Limited::new(&mut slow, limits), limits).map_err(|e| format!("{e:#}"));
    [(fast, fast_end), (slow, slow_end)]
}

fn assert_same(text: &[u8], limits: Limits) {
    let [fast, slow] = both(text, limits);
    assert_eq!(fast, slow, "{:?}", String::from_utf8_lossy(text));
}

#[test]
fn files_of_every_kind_read_the_same() {
    let cases: &[&str] = &[
        "[]",
        " \r\n[ ] \n",
        "[{\"a\":1}]",
        "[\n  {\n    \"UserPrincipalName\": \"a@x\",\n    \"M\": [\"x\", {\"y\": null}]\n  },\n  {\"b\": \"\\\"q\\\\\"}\n]\n",
        // Broken between elements, at the end, inside an element.
        "[{\"a\":1} {\"a\":2}]",
        "[{\"a\":1},]",
        "[{\"a\":1},",
        "[{\"a\":1}",
        "[",
        "[{\"a\":1}] x",
        "[{\"a\":1,}]",
        "[{\"a\":\n\"b}]",
        "[{\"a\": tru}]",
        "[{\"a\": [1}]",
        "[,]",
        "[1, \"s\", null]",
        "[{\"a\":1, \"a\":2, \"A\":3}]",
        "[{\"stop\": true}, {\"a\": 1}]",
        "[{\"a\": \"\u{e9}\\u00e9\"}, {\"b\": \"\\ud800\"}]",
        "[{\"x\":1}]\u{feff}",
        // Not arrays: the stream reader's own.
        "{\"value\": [{\"a\": 1}]}",
        "",
        "   ",
        "x",
    ];
    for text in cases {
        assert_same(text.as_bytes(), limits(1 << 20, 100));
    }
    // Nesting at serde_json's limit: the file's array counts, as in the stream.
    for depth in [125, 126, 127, 128, 129] {
        let text = format!("[{}{}]", "[".repeat(depth), "]".repeat(depth));
        assert_same(text.as_bytes(), limits(1 << 20, 100));
    }
}

#[test]
fn the_caps_stop_both_at_the_same_place() {
    let text = "[\n {\"UserPrincipalName\": \"a@x\", \"Methods\": \"PhoneAppOTP\"},\n \
                {\"UserPrincipalName\": \"b@x\", \"Long\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"},\n \
                {\"n\": 12345, \"t\": true, \"o\": {\"k\": \"v\"}}\n]";
    for cap in 1..text.len() as u64 + 2 {
        assert_same(text.as_bytes(), limits(cap, 100));
    }
    for columns in 0..4 {
        assert_same(text.as_bytes(), limits(1 << 20, columns));
    }
}

/// A JSON value of a few levels, as exports hold.
fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        (-1000i64..1000).prop_map(|n| n.to_string()),
        "[a-z\u{e9}\u{5c71} \"\\\\\n]{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap()),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec(("[a-cA-C]{1,3}", inner), 0..4).prop_map(|kv| {
                let fields: Vec<String> = kv
                    .into_iter()
                    .map(|(k, v)| format!("\"{k}\": {v}"))
                    .collect();
                format!("{{{}}}", fields.join(", "))
            }),
        ]
    })
}

/// An array of objects spread over lines as `ConvertTo-Json` and portals write them.
fn file() -> impl Strategy<Value = String> {
    let object = prop::collection::vec(("[a-cA-C]{1,3}", value()), 0..5).prop_map(|kv| {
        let fields: Vec<String> = kv
            .into_iter()
            .map(|(k, v)| format!("\"{k}\":\r\n {v}"))
            .collect();
        format!("{{\n  {}\n}}", fields.join(",\n  "))
    });
    (prop::collection::vec(object, 0..5), "[ \n\r\t]{0,3}").prop_map(|(objects, space)| {
        format!("{space}[{space}{}{space}]{space}", objects.join(",\n"))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn generated_files_read_the_same(
        text in file(),
        cut in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(b"[]{},:\" \n\\x0".to_vec()),
        edit in 0u8..4,
        cap in 8u64..400,
    ) {
        let mut bytes = text.into_bytes();
        match edit {
            // Cut short.
            1 if !bytes.is_empty() => bytes.truncate(cut.index(bytes.len())),
            // A byte too many.
            2 => {
                let i = at.index(bytes.len() + 1);
                bytes.insert(i, byte);
            }
            // A byte missing.
            3 if !bytes.is_empty() => {
                bytes.remove(at.index(bytes.len()));
            }
            _ => {}
        }
        assert_same(&bytes, limits(1 << 20, 100));
        assert_same(&bytes, limits(cap, 100));
    }
}

#[test]
fn the_line_named_is_where_the_cap_was_passed() {
    // The `}` ending line 2 is the byte past the cap. serde_json then still asks for the bytes
    // that would close the array; they are not read, so no later line is named.
    let text = "[\n {\"UserPrincipalName\": \"a@x\", \"Methods\": \"PhoneAppOTP\"},\n {}\n]";
    let cap = text.find('}').unwrap() as u64;
    for (seen, end) in both(text.as_bytes(), limits(cap, 100)) {
        assert!(seen.items.is_empty());
        let err = end.unwrap_err();
        assert!(err.starts_with("t.json:2: item 1 is longer than"), "{err}");
    }
}

#[test]
fn a_file_of_white_space_is_looked_at_once() {
    // Looking for the first byte must not grow the buffer for white space that ends.
    let text = vec![b' '; 300 * 1024];
    let mut input = super::Input::new(&text[..], 64 << 20);
    assert_eq!(input.first_byte().unwrap(), None);
    assert!(input.buf.len() <= 512 * 1024, "{}", input.buf.len());
    assert_same(&text, limits(64 << 20, 100));
}
