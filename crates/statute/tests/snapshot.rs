//! The whole parse of the draft liability chapter (seed 000), as JSON, reviewed once by a
//! reader and kept in `tests/snapshots/`: any change to text, paragraphs, items,
//! references or diagnostics shows up as a diff to review (`cargo insta review`).

#[test]
fn draft_liability_chapter() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/law/sources/000_792d93181b0ac754.txt"
    );
    let text = std::fs::read_to_string(path).expect("seed 000 in data/law/sources");
    let (statute, diagnostics) = dengbao_statute::parse(&text);
    insta::assert_json_snapshot!("seed_000_draft_liability", (statute, diagnostics));
}
