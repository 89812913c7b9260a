//! The methods-cell parser and the method vocabulary on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfa_audit::audit::methods::{parse_methods, MethodsCell};

fuzz_target!(|text: &str| {
    if let MethodsCell::Names(names) = parse_methods(text) {
        for n in &names {
            assert!(!n.trim().is_empty(), "an empty method name from {text:?}");
            let _ = mfa_audit::audit::vocab::lookup(n);
        }
    }
});
