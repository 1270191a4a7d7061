//! Chinese analysis: jieba words (with the legal user dictionary) and character bigrams.
//!
//! Two token kinds feed two index fields: `words` (jieba's segmentation plus every
//! dictionary word inside a longer word, so 关键信息基础设施 also yields 基础设施, 信息)
//! for precision, and `bigrams` (every pair of
//! adjacent CJK characters) for recall when jieba cuts a phrase differently in the query
//! than in the law. Latin letters and digits form lowercased words in both kinds.

use std::sync::OnceLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The legal vocabulary added to jieba's dictionary (data/search/dict.txt).
pub const USER_DICT: &str = include_str!("../../../data/search/dict.txt");

/// The segmenter, built once: jieba's default dictionary plus [`USER_DICT`].
pub fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut jieba = Jieba::new();
        for line in USER_DICT.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            if let Some(word) = parts.next() {
                let freq = parts.next().and_then(|f| f.parse::<usize>().ok());
                jieba.add_word(word, freq, None);
            }
        }
        jieba
    })
}

/// Whether a character belongs to a CJK ideograph run.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Which tokens an analysis produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Words,
    Bigrams,
}

/// A token with its byte range in the analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub from: usize,
    pub to: usize,
}

/// Splits text into runs: CJK runs and alphanumeric runs, with their byte offsets.
fn runs(text: &str) -> Vec<(bool, usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(bool, usize)> = None;
    for (i, c) in text.char_indices() {
        let class = if is_cjk(c) {
            Some(true)
        } else if c.is_alphanumeric() {
            Some(false)
        } else {
            None
        };
        match (current, class) {
            (Some((k, start)), Some(nk)) if k == nk => {
                let _ = start;
            }
            (Some((k, start)), _) => {
                out.push((k, start, i));
                current = class.map(|k| (k, i));
            }
            (None, Some(k)) => current = Some((k, i)),
            (None, None) => {}
        }
    }
    if let Some((k, start)) = current {
        out.push((k, start, text.len()));
    }
    out
}

/// Analyses `text` into pieces of the given kind. Single CJK characters are dropped from
/// words (the bigrams cover them); nothing here can fail or panic on any input.
pub fn analyze(text: &str, kind: Kind) -> Vec<Piece> {
    let mut out = Vec::new();
    for (cjk, from, to) in runs(text) {
        let run = &text[from..to];
        if !cjk {
            out.push(Piece {
                text: run.to_lowercase(),
                from,
                to,
            });
            continue;
        }
        match kind {
            Kind::Words => {
                let jieba = jieba();
                for t in jieba.cut(run, false) {
                    let chars: Vec<(usize, char)> = t.word.char_indices().collect();
                    let n = chars.len();
                    if n < 2 {
                        continue;
                    }
                    let base = from + t.byte_start;
                    out.push(Piece {
                        text: t.word.to_string(),
                        from: base,
                        to: base + t.word.len(),
                    });
                    // Every dictionary word inside a longer word, whatever its length
                    // (jieba's own search mode stops at three characters).
                    for len in 2..n {
                        for start in 0..=(n - len) {
                            let a = chars[start].0;
                            let b = chars.get(start + len).map_or(t.word.len(), |&(i, _)| i);
                            let sub = &t.word[a..b];
                            if jieba.has_word(sub) {
                                out.push(Piece {
                                    text: sub.to_string(),
                                    from: base + a,
                                    to: base + b,
                                });
                            }
                        }
                    }
                }
            }
            Kind::Bigrams => {
                let chars: Vec<(usize, char)> = run.char_indices().collect();
                if chars.len() == 1 {
                    out.push(Piece {
                        text: run.to_string(),
                        from,
                        to,
                    });
                }
                for w in chars.windows(2) {
                    let (a, _) = w[0];
                    let (b, cb) = w[1];
                    let end = b + cb.len_utf8();
                    out.push(Piece {
                        text: run[a..end].to_string(),
                        from: from + a,
                        to: from + end,
                    });
                }
            }
        }
    }
    out
}

/// The words of a query: jieba's cut only, without the words inside longer words (the
/// index has those), so that one long term such as 关键信息基础设施 counts once, not once per
/// word inside it.
pub fn query_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (cjk, from, to) in runs(text) {
        let run = &text[from..to];
        if !cjk {
            out.push(run.to_lowercase());
            continue;
        }
        for t in jieba().cut(run, false) {
            if t.word.chars().count() >= 2 {
                out.push(t.word.to_string());
            }
        }
    }
    out
}

/// The tantivy tokenizer over [`analyze`].
#[derive(Clone)]
pub struct ZhTokenizer(pub Kind);

pub struct PieceStream {
    tokens: Vec<Token>,
    index: usize,
    empty: Token,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = PieceStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> PieceStream {
        let tokens = analyze(text, self.0)
            .into_iter()
            .enumerate()
            .map(|(position, p)| Token {
                offset_from: p.from,
                offset_to: p.to,
                position,
                text: p.text,
                position_length: 1,
            })
            .collect();
        PieceStream {
            tokens,
            index: 0,
            empty: Token::default(),
        }
    }
}

impl TokenStream for PieceStream {
    fn advance(&mut self) -> bool {
        if self.index < self.tokens.len() {
            self.index += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        match self.index.checked_sub(1) {
            Some(i) => self.tokens.get(i).unwrap_or(&self.empty),
            None => &self.empty,
        }
    }
    fn token_mut(&mut self) -> &mut Token {
        match self.index.checked_sub(1) {
            Some(i) if i < self.tokens.len() => &mut self.tokens[i],
            _ => &mut self.empty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str, k: Kind) -> Vec<String> {
        analyze(s, k).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn legal_terms_stay_whole_words() {
        let w = texts("关键信息基础设施的运营者应当进行等级测评", Kind::Words);
        assert!(w.contains(&"关键信息基础设施".to_string()), "{w:?}");
        assert!(w.contains(&"等级测评".to_string()), "{w:?}");
    }

    #[test]
    fn bigrams_cover_every_adjacent_pair_and_latin_is_lowercased() {
        let b = texts("日志GB/T", Kind::Bigrams);
        assert_eq!(b, vec!["日志", "gb", "t"]);
    }
}
