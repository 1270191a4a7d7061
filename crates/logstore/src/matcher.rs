//! Deciding a query on one event: its columns (host, app, source, severity) and its text —
//! the raw line, or the line's *template* when the check involves no digit (decision 0735).
//!
//! A block stores each line as a template (every decimal number replaced by a mark) plus the
//! numbers in separate streams ([`crate::block`]). A needle or term with no ASCII digit and
//! none of the template's mark bytes matches the template exactly where it matches the line:
//! its bytes can only meet the line's non-digit bytes, which the template keeps in order.
//! For token checks the mark counts as a token character (it stands for digits). So such
//! queries read only frame A of a block and never rebuild records; a line that is not UTF-8
//! (GBK, which is transcoded first) or has an escaped mark byte falls back to the line.

use crate::block::view::BlockView;
use crate::block::{ESC, NUM_MARK};
use crate::error::Result;
use crate::parse;
use crate::query::{Cmp, Field, Query};
use crate::segment::{SegMeta, SegmentReader};

/// What a column check needs besides the event's ordinal.
pub(crate) struct Ctx<'a> {
    pub network: &'a str,
    pub meta: &'a SegMeta,
}

pub(crate) fn field_ok(value: Option<&str>, want: &str, prefix: bool) -> bool {
    let Some(v) = value else { return false };
    if prefix {
        v.to_lowercase().starts_with(&want.to_lowercase())
    } else {
        v.eq_ignore_ascii_case(want) || v.to_lowercase() == want.to_lowercase()
    }
}

fn sev_ok(sev: Option<u8>, op: Cmp, level: u8) -> bool {
    let Some(s) = sev else { return false };
    match op {
        Cmp::Eq => s == level,
        Cmp::Le => s <= level,
        Cmp::Ge => s >= level,
        Cmp::Lt => s < level,
        Cmp::Gt => s > level,
    }
}

pub(crate) fn column_ok(q: &Query, c: &Ctx<'_>, i: usize) -> bool {
    match q {
        Query::Field {
            field,
            value,
            prefix,
        } => match field {
            Field::Host => field_ok(c.meta.host(i), value, *prefix),
            Field::App => field_ok(c.meta.app(i), value, *prefix),
            Field::Source => field_ok(c.meta.source(i), value, *prefix),
            Field::Network => field_ok(Some(c.network), value, *prefix),
        },
        Query::Severity { op, level } => sev_ok(c.meta.severity(i), *op, *level),
        _ => true,
    }
}

/// Whether `text` has the whole token `t` (lower-case ASCII) — or, with `prefix`, a token
/// starting with `t` — as [`crate::index::terms`] would cut it, without allocating. On a
/// template (`marks`), the number mark is a token character: it stands for digits.
fn has_token(text: &[u8], t: &str, prefix: bool, marks: bool) -> bool {
    let (h, n) = (text, t.as_bytes());
    if n.is_empty() {
        return false;
    }
    let tok = |b: u8| token_byte(b, marks);
    // Only where the first byte stands (either case, found with SIMD) can the token start.
    let (lo, up) = (n[0].to_ascii_lowercase(), n[0].to_ascii_uppercase());
    let last = h.len().saturating_sub(n.len() - 1);
    memchr::memchr2_iter(lo, up, &h[..last]).any(|i| {
        let end = i + n.len();
        (i == 0 || !tok(h[i - 1]))
            && h[i..end].eq_ignore_ascii_case(n)
            && (prefix || end == h.len() || !tok(h[end]))
    })
}

/// Whether `b` is part of an ASCII token as [`crate::index::terms`] cuts them; on a template
/// (`marks`) the number mark is too, as it stands for digits.
fn token_byte(b: u8, marks: bool) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || (marks && b == NUM_MARK)
}

/// The full predicate on one event's text (`marks`: the text is a template).
pub(crate) fn text_ok(q: &Query, text: &str, c: &Ctx<'_>, i: usize, marks: bool) -> bool {
    match q {
        Query::All => true,
        Query::Term(t) => has_token(text.as_bytes(), t, false, marks),
        Query::Prefix(t) => has_token(text.as_bytes(), t, true, marks),
        Query::Substr {
            text: needle,
            case_sensitive,
        } => {
            if *case_sensitive {
                text.contains(needle.as_str())
            } else if text.is_ascii() && needle.is_ascii() {
                ascii_icontains(text.as_bytes(), needle.as_bytes())
            } else {
                text.to_lowercase().contains(&needle.to_lowercase())
            }
        }
        Query::Field { .. } | Query::Severity { .. } => column_ok(q, c, i),
        Query::And(v) => v.iter().all(|q| text_ok(q, text, c, i, marks)),
        Query::Or(v) => v.iter().any(|q| text_ok(q, text, c, i, marks)),
        Query::Not(q) => !text_ok(q, text, c, i, marks),
    }
}

/// ASCII case-insensitive substring test (what `to_lowercase().contains` gives on ASCII).
fn ascii_icontains(h: &[u8], n: &[u8]) -> bool {
    let Some(first) = n.first() else {
        return true;
    };
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let last = h.len().saturating_sub(n.len() - 1);
    memchr::memchr2_iter(lo, up, &h[..last]).any(|i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Whether every text leaf of `q` can be decided on templates: no ASCII digit and no byte
/// the template format reserves (0x10–0x12) in any term or needle.
pub(crate) fn on_templates(q: &Query) -> bool {
    let clean = |s: &str| {
        !s.bytes()
            .any(|b| b.is_ascii_digit() || (0x10..=0x12).contains(&b))
    };
    match q {
        Query::Term(t) | Query::Prefix(t) => clean(t),
        Query::Substr { text, .. } => clean(text),
        Query::And(v) | Query::Or(v) => v.iter().all(on_templates),
        Query::Not(q) => on_templates(q),
        Query::All | Query::Field { .. } | Query::Severity { .. } => true,
    }
}

/// What a scan checks on each candidate event: the query; whether the templates decide it
/// exactly; and, when they do not, a weaker query the templates can rule events out with.
pub(crate) struct Check<'q> {
    q: &'q Query,
    exact: bool,
    pre: Query,
    /// The tokens holding a phrase's digits that every candidate event is known to hold
    /// (see [`Check::vouched`]); empty when none are.
    slots: Vec<String>,
}

impl<'q> Check<'q> {
    pub fn new(q: &'q Query) -> Check<'q> {
        Check {
            q,
            exact: on_templates(q),
            pre: prefilter(q),
            slots: Vec::new(),
        }
    }

    /// For a query that is one phrase with digits, every one of them inside a token that is
    /// whole within the phrase (`user needle10kx from`, `port 22 ssh`): when `held` says the
    /// candidates are known to hold each such token — the segment's per-event postings of it
    /// were intersected into them — an event whose template has the weakened phrase and only
    /// one token that could read as each of them matches without its line being rebuilt.
    /// The token the postings vouch for must be that one, so its digits are the phrase's.
    pub fn vouched(mut self, mut held: impl FnMut(&str) -> Result<bool>) -> Result<Self> {
        let (Query::Substr { text, .. }, Query::Substr { .. }) = (self.q, &self.pre) else {
            return Ok(self);
        };
        let Some(tokens) = slot_tokens(text) else {
            return Ok(self);
        };
        for t in &tokens {
            if !held(t)? {
                return Ok(self);
            }
        }
        self.slots = tokens;
        Ok(self)
    }

    /// Whether the template alone proves the phrase (see [`Check::vouched`]); the caller has
    /// checked the weakened phrase on it.
    fn slots_prove(&self, tp: &[u8]) -> bool {
        !self.slots.is_empty()
            && self.slots.iter().all(|t| {
                template_tokens(tp)
                    .filter(|x| could_be(x, t.as_bytes()))
                    .count()
                    == 1
            })
    }
}

/// The lower-cased tokens of `phrase` that hold digits, when every digit is in a token whole
/// within the phrase (neither first nor last); `None` if a digit is not, or there is none.
fn slot_tokens(phrase: &str) -> Option<Vec<String>> {
    let b = phrase.as_bytes();
    let tok = |c: u8| token_byte(c, false);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !tok(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && tok(b[i]) {
            i += 1;
        }
        if b[start..i].iter().any(u8::is_ascii_digit) {
            if start == 0 || i == b.len() {
                return None;
            }
            let t = phrase[start..i].to_ascii_lowercase();
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The tokens of a template, the number mark counted as a token character.
fn template_tokens(tp: &[u8]) -> impl Iterator<Item = &[u8]> {
    tp.split(|b| !token_byte(*b, true))
        .filter(|t| !t.is_empty())
}

/// Whether a line token whose template is `tp` can be `t` (lower-case ASCII): letters equal
/// ignoring case, each mark one or more digits.
fn could_be(tp: &[u8], t: &[u8]) -> bool {
    match tp.split_first() {
        None => t.is_empty(),
        Some((&NUM_MARK, rest)) => {
            let n = t.iter().take_while(|b| b.is_ascii_digit()).count();
            (1..=n).any(|k| could_be(rest, &t[k..]))
        }
        Some((b, rest)) => {
            t.first().is_some_and(|c| c.eq_ignore_ascii_case(b)) && could_be(rest, &t[1..])
        }
    }
}

fn has_digit(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
}

/// `s` as a template: each digit run a mark (see [`crate::block::template_of`]).
fn templ(s: &str) -> Option<String> {
    String::from_utf8(crate::block::template_of(s.as_bytes())).ok()
}

/// A query every event matching `q` matches on its template: a digit run inside a term or
/// needle is whole in the line too, so it becomes one mark; a run at a needle's edge may be
/// part of a longer number, so it is dropped; a negation of what templates cannot decide
/// rules nothing out.
fn prefilter(q: &Query) -> Query {
    let digits = |c: char| c.is_ascii_digit();
    match q {
        Query::Term(t) if has_digit(t) => templ(t).map_or(Query::All, Query::Term),
        Query::Prefix(t) if has_digit(t) => match t.trim_end_matches(digits) {
            "" => Query::All,
            p => templ(p).map_or(Query::All, Query::Prefix),
        },
        Query::Substr {
            text,
            case_sensitive,
        } if has_digit(text) => match text.trim_matches(digits) {
            "" => Query::All,
            n => templ(n).map_or(Query::All, |text| Query::Substr {
                text,
                case_sensitive: *case_sensitive,
            }),
        },
        Query::And(v) => Query::And(v.iter().map(prefilter).collect()),
        Query::Or(v) => Query::Or(v.iter().map(prefilter).collect()),
        Query::Not(x) if !on_templates(x) => Query::All,
        q => q.clone(),
    }
}

/// The blocks of one segment as a scan reads them: frame A when a block is first needed,
/// its numbers only when a record must be rebuilt. A few are kept: matches come in ordinal
/// order, hits in time order, which is nearly the same.
pub(crate) struct Blocks<'r> {
    r: &'r SegmentReader,
    views: Vec<(usize, BlockView)>,
}

const KEEP: usize = 4;

impl<'r> Blocks<'r> {
    pub fn new(r: &'r SegmentReader) -> Blocks<'r> {
        Blocks {
            r,
            views: Vec::new(),
        }
    }

    /// The block holding event `i`, and `i`'s place in it.
    fn view(&mut self, i: u32) -> Result<(&mut BlockView, usize)> {
        let b = self.r.block_of(i);
        let j = i
            .checked_sub(self.r.blocks.get(b).map_or(u32::MAX, |x| x.first))
            .ok_or_else(|| crate::Error::Corrupt(format!("record {i} / 记录损坏")))?;
        let at = match self.views.iter().position(|(k, _)| *k == b) {
            Some(at) => at,
            None => {
                if self.views.len() == KEEP {
                    self.views.remove(0);
                }
                self.views.push((b, self.r.view(b)?));
                self.views.len() - 1
            }
        };
        Ok((&mut self.views[at].1, j as usize))
    }

    /// The canonical record bytes of event `i`.
    pub fn record(&mut self, i: u32) -> Result<Vec<u8>> {
        let (v, j) = self.view(i)?;
        v.record(j)
    }

    /// Event `i`'s template and, in `vals`, the numbers of its marks (see
    /// [`BlockView::template_numbers`]).
    pub fn template_numbers(&mut self, i: u32, vals: &mut Vec<u64>) -> Result<&[u8]> {
        let (v, j) = self.view(i)?;
        v.template_numbers(j, vals)
    }

    /// The raw line of event `i`, decoded for matching and display (GBK transcoded).
    pub fn text(&mut self, i: u32) -> Result<String> {
        let rec = self.record(i)?;
        let raw = crate::record::raw_of(&rec)
            .ok_or_else(|| crate::Error::Corrupt(format!("record {i} / 记录损坏")))?;
        Ok(parse::decode_text(raw).0.into_owned())
    }

    /// Whether event `i` matches: on its template when that decides it or rules it out (see
    /// the module documentation), else on its rebuilt line.
    pub fn matches(&mut self, k: &Check<'_>, c: &Ctx<'_>, i: u32) -> Result<bool> {
        let (v, j) = self.view(i)?;
        let tp = v.template(j).unwrap_or_default();
        // An escaped byte (0x10–0x12 in the line) would read as a mark, and a line that is
        // not UTF-8 is matched transcoded: both are matched on the line.
        if !tp.contains(&ESC) {
            if let Ok(s) = std::str::from_utf8(tp) {
                if k.exact {
                    return Ok(text_ok(k.q, s, c, i as usize, true));
                }
                if !text_ok(&k.pre, s, c, i as usize, true) {
                    return Ok(false);
                }
                if k.slots_prove(tp) {
                    return Ok(true);
                }
            }
        }
        let text = self.text(i)?;
        Ok(text_ok(k.q, &text, c, i as usize, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_mark_is_part_of_a_token() {
        // "root" in "root123" is not a whole token; its template is "root\x11".
        assert!(!has_token(b"user root\x11 x", "root", false, true));
        assert!(has_token(b"user root\x11 x", "root", false, false));
        assert!(has_token(b"user root\x11 x", "root", true, true));
        assert!(has_token(b"\x11.\x11 root", "root", false, true));
    }

    #[test]
    fn only_digit_free_needles_go_to_templates() {
        let q = crate::query::parse("\"Failed password\" NOT 登录失败 host:web01").unwrap();
        assert!(on_templates(&q));
        for s in ["\"port 22\"", "user7", "10.0.0.1", "sshd OR 4625"] {
            assert!(!on_templates(&crate::query::parse(s).unwrap()), "{s}");
        }
    }

    /// For every line and query: a line that matches matches the prefilter on its template,
    /// and a query the templates decide gives there the line's answer — on numbers with
    /// leading zeros, runs longer than 18 digits, marks at needle edges and inside tokens.
    #[test]
    fn templates_never_lose_a_match() {
        let lines = [
            "Failed password for root from 10.0.0.1 port 007 ssh2",
            "user root123 uid=0 gid=00 seq=123456789012345678901234 ok",
            "needle100x and needle1x; port0 port 22",
            "Accepted publickey for admin from 203.0.113.9 port 4242",
            "登录失败 用户 张三 来源 192.168.1.10 次数 3",
            "code 100 done in 2050ms",
        ];
        let queries = [
            "root",
            "root123",
            "root*",
            "ssh",
            "ssh2",
            "port",
            "port0",
            "\"port 0\"",
            "\"port 007\"",
            "\"t 00\"",
            "\"0 port\"",
            "needle100x",
            "needle1x",
            "needle1*",
            "10.0.0.1",
            "0.0.1",
            "\"3456789012345678901\"",
            "\"seq=1234\"",
            "\"234 ok\"",
            "uid=0",
            "gid=00",
            "\"from 203\"",
            "\"来源 192\"",
            "登录失败",
            "22",
            "\"00 done\"",
            "\"e 1\"",
            "\"205\"",
            "\"0ms\"",
            "root NOT 10.0.0.1",
            "-ssh2",
            "ssh2 OR needle1x",
            "\"for root\" NOT \"port 22\"",
        ];
        let meta = SegMeta::default();
        let c = Ctx {
            network: "n",
            meta: &meta,
        };
        for line in lines {
            let t = String::from_utf8(crate::block::template_of(line.as_bytes())).unwrap();
            for qs in queries {
                let q = crate::query::parse(qs).unwrap();
                let k = Check::new(&q);
                let want = text_ok(&q, line, &c, 0, false);
                if k.exact {
                    assert_eq!(text_ok(&q, &t, &c, 0, true), want, "{qs} on {line}");
                } else if want {
                    assert!(text_ok(&k.pre, &t, &c, 0, true), "{qs} lost on {line}");
                }
            }
        }
    }

    /// The postings' shortcut for phrase digits never answers yes for a line without the
    /// phrase, for lines holding every vouched token (as candidates drawn from per-event
    /// postings do), and answers on the lines where the token is unique.
    #[test]
    fn vouched_digits_prove_only_real_matches() {
        let lines = [
            "invalid user needle10kx from 1.2.3.4",
            "invalid user needle11kx from 1.2.3.4 needle10kx",
            "Invalid user needle10kx from x; invalid user needle11kx from y",
            "invalid user needle010kx from z needle10kx",
            "port 22 ssh2 port 2222",
            "port 2222 ssh2 and 22 alone",
            "user a1b22c from h; a1b22c",
            "port 22 ssh2 from host",
            "user a1b22c from h",
            "用户admin7登录失败",
        ];
        let phrases = [
            "\"invalid user needle10kx from\"",
            "\"Invalid user needle10kx from\"",
            "\"port 22 ssh\"",
            "\"user a1b22c from\"",
            "\"户admin7登\"",
        ];
        let (meta, mut proved) = (SegMeta::default(), 0);
        let c = Ctx {
            network: "n",
            meta: &meta,
        };
        for line in lines {
            let mut toks = crate::tokenize::Tokenizer::default();
            toks.push(line);
            let held: Vec<&str> = toks.spans.iter().map(|s| toks.term(*s)).collect();
            let t = crate::block::template_of(line.as_bytes());
            let ts = std::str::from_utf8(&t).unwrap();
            for ps in phrases {
                let q = crate::query::parse(ps).unwrap();
                let k = Check::new(&q).vouched(|x| Ok(held.contains(&x))).unwrap();
                if text_ok(&k.pre, ts, &c, 0, true) && k.slots_prove(&t) {
                    assert!(text_ok(&q, line, &c, 0, false), "{ps} proved on {line}");
                    proved += 1;
                }
            }
        }
        // Lines 1, 8, 9 and 10 are proved; the others hold a second token that could be
        // the vouched one, or lack the phrase.
        assert_eq!(proved, 4);
        assert_eq!(slot_tokens("needle1x from"), None);
        assert_eq!(
            slot_tokens("a port 22 b").as_deref(),
            Some(&["22".to_string()][..])
        );
    }
}
