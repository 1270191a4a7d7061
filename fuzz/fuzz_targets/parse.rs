//! Feeds arbitrary bytes (as lossy UTF-8) to the statute parser and checks the
//! invariants a caller relies on: no panic, references only to plausible places,
//! diagnostics for every unresolved reference.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (statute, diagnostics) = dengbao_statute::parse(&text);
    for d in dengbao_statute::unresolved_refs(&statute) {
        assert!(diagnostics.contains(&d), "unresolved reference not reported: {d:?}");
    }
    let _ = dengbao_statute::decode(data);
});
