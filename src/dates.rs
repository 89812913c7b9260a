//! Calendar days (`YYYY-MM-DD`, UTC) without a date library: exception expiry dates, `--today`,
//! and the time stamps of CI outputs. A leaf module: any layer may use it.

use std::fmt;

/// A calendar day, for expiry dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Day {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Day> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        let valid = (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
        valid.then_some(Day { year, month, day })
    }

    /// Today, in UTC, from the system clock.
    pub fn today() -> Day {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Day::from_unix_days((secs / 86_400) as i64)
    }

    /// Days from 1970-01-01 to this day (the inverse of [`Day::from_unix_days`]; Howard
    /// Hinnant's algorithm).
    pub fn to_unix_days(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_unix_days(days: i64) -> Day {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Day { year, month, day }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Parses `--today` (a clap value parser): a date written `YYYY-MM-DD`.
pub fn parse_day_arg(text: &str) -> Result<Day, String> {
    Day::parse(text).ok_or_else(|| format!("{text:?} is not a date written YYYY-MM-DD"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Day::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Day::from_unix_days(20_415).to_string(), "2025-11-23");
        assert_eq!(Day::from_unix_days(11_016).to_string(), "2000-02-29");
        assert_eq!(Day::parse("2026-02-29"), None);
        assert_eq!(Day::parse("2028-02-29").map(|d| d.day), Some(29));
        assert_eq!(Day::parse("2026-13-01"), None);
        assert_eq!(Day::parse("tomorrow"), None);
        for n in [0, 20_415, 11_016, -1, 20_850, 21_000] {
            assert_eq!(Day::from_unix_days(n).to_unix_days(), n);
        }
    }

    #[test]
    fn day_arguments() {
        assert_eq!(
            parse_day_arg("2026-11-25")
                .map(|d| d.to_string())
                .as_deref(),
            Ok("2026-11-25")
        );
        assert!(parse_day_arg("25/11/2026")
            .unwrap_err()
            .contains("YYYY-MM-DD"));
    }
}
