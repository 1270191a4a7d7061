//! The parser never panics, on garbled statute text as on anything else. (The same
//! property is fuzzed with cargo-fuzz in `fuzz/`; this test runs in every `cargo test`.)

use dengbao_statute::{parse, unresolved_refs};
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "第",
    "条",
    "章",
    "节",
    "编",
    "款",
    "项",
    "之",
    "一",
    "二",
    "十",
    "百",
    "零",
    "两",
    "9",
    "１",
    "（",
    "）",
    "(",
    ")",
    "【",
    "】",
    "前款",
    "前两款",
    "本法",
    "本条例",
    "本条",
    "前条",
    "至",
    "、",
    "，",
    "。",
    "：",
    ":",
    "；",
    "\n",
    "\r\n",
    "<br/>",
    "# ",
    "- ",
    "**",
    " ",
    "\u{3000}",
    "\u{a0}",
    "\t",
    "[#24条](#)",
    "[",
    "](",
    "《中华人民共和国网络安全法》",
    "《",
    "》",
    "解读：",
    "目录",
    "总  则",
    "中华人民共和国测试法",
    "（征求意见稿）",
    "1、",
    "网络运营者应当",
    "\u{feff}",
    "\u{0}",
    "\u{fffd}",
    "ﬀ",
    "𠀀",
];

fn seed_lines() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/law/sources/001_c834ab8c02491189.txt"
    );
    std::fs::read_to_string(path)
        .expect("seed 001 in data/law/sources")
        .lines()
        .map(str::to_string)
        .collect()
}

fn check(text: &str) {
    let (statute, diagnostics) = parse(text);
    for d in unresolved_refs(&statute) {
        assert!(
            diagnostics.contains(&d),
            "unresolved reference not reported: {d:?}"
        );
    }
    let keys: Vec<_> = statute
        .articles
        .iter()
        .map(|a| (a.number, a.suffix))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted, "articles are unique and in order");
    for a in &statute.articles {
        let joined: String = a.text.chars().filter(|c| !c.is_whitespace()).collect();
        for p in &a.paragraphs {
            let lead: String = p.text.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                joined.contains(&lead),
                "paragraph text comes from the article text"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn token_soup_never_panics(parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..120)) {
        check(&parts.concat());
    }

    #[test]
    fn shuffled_and_cut_seed_lines_never_panic(
        picks in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..200, 0usize..200), 0..60)
    ) {
        let lines = seed_lines();
        let mut text = String::new();
        for (i, a, b) in picks {
            let line = i.get(&lines);
            let chars: Vec<char> = line.chars().collect();
            let (lo, hi) = (a.min(b).min(chars.len()), a.max(b).min(chars.len()));
            text.extend(&chars[lo..hi]);
            text.push('\n');
        }
        check(&text);
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,300}") {
        check(&s);
    }
}
