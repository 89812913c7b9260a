//! Numbers as people read them: `1,234,567`, `1 user`, `2 users`. A leaf module: every layer
//! formats counts the same way.

/// `1 user`, `2,000 users`.
pub fn users(n: u64) -> String {
    format!("{} user{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// `1 sign-in`, `2,000 sign-ins`.
pub fn sign_ins(n: u64) -> String {
    format!("{} sign-in{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        for (n, user, sign_in) in [
            (0, "0 users", "0 sign-ins"),
            (1, "1 user", "1 sign-in"),
            (2, "2 users", "2 sign-ins"),
            (1000, "1,000 users", "1,000 sign-ins"),
        ] {
            assert_eq!(
                (users(n), sign_ins(n)),
                (user.to_owned(), sign_in.to_owned())
            );
        }
    }

    #[test]
    fn thousands_separators() {
        for (n, want) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(thousands(n), want);
        }
    }
}
