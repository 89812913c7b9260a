//! Sign-in downloads without a Request ID column: a sign-in in two overlapping downloads cannot
//! be told from two, so each row is counted, and the run says so rather than count quietly.

use crate::util::Dir;

/// Two daily downloads that overlap on one sign-in (ann's at 09:00), without Request IDs.
const DAY_1: &str = "\"Date (UTC)\",\"Username\",\"Authentication requirement\",\"Status\"\r\n\
\"2026-11-01T08:00:00Z\",\"bob@contoso.com\",\"Single-factor authentication\",\"Success\"\r\n\
\"2026-11-02T09:00:00Z\",\"ann@contoso.com\",\"Single-factor authentication\",\"Success\"\r\n";
const DAY_2: &str = "\"Date (UTC)\",\"Username\",\"Authentication requirement\",\"Status\"\r\n\
\"2026-11-02T09:00:00Z\",\"ann@contoso.com\",\"Single-factor authentication\",\"Success\"\r\n";

#[test]
fn sign_ins_without_request_ids_are_counted_as_they_come_and_warned_about() {
    let d = Dir::new();
    d.write("day1.csv", DAY_1).write("day2.csv", DAY_2);
    let stderr = d.stderr_of(&["signins", "day1.csv", "day2.csv", "--json", "s.json"], 0);
    assert!(
        stderr.contains("3 sign-ins have no Request ID, so a sign-in that is in two overlapping"),
        "{stderr}"
    );
    let j: serde_json::Value = serde_json::from_str(&d.read("s.json")).unwrap();
    // Three rows, three sign-ins: the repeat cannot be recognised without its ID.
    assert_eq!(j["sign_ins"], 3, "{j}");
    assert!(
        j["warnings"].to_string().contains("no Request ID"),
        "{}",
        j["warnings"]
    );
}
