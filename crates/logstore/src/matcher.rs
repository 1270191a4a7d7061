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

use crate::block::{Templates, NUM_MARK};
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
    let tok = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || (marks && b == NUM_MARK);
    let mut i = 0;
    while i + n.len() <= h.len() {
        if (i == 0 || !tok(h[i - 1])) && h[i..i + n.len()].eq_ignore_ascii_case(n) {
            let end = i + n.len();
            if prefix || end == h.len() || !tok(h[end]) {
                return true;
            }
        }
        i += 1;
    }
    false
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
    if n.is_empty() {
        return true;
    }
    h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
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

/// The blocks of one segment as a scan reads them: templates for checks with no digit,
/// whole records otherwise, a few of each kept (matches come in ordinal order, hits in time
/// order, which is nearly the same).
pub(crate) struct Blocks<'r> {
    r: &'r SegmentReader,
    full: Vec<(usize, Vec<Vec<u8>>)>,
    templ: Option<(usize, Templates)>,
}

const KEEP_FULL: usize = 4;

impl<'r> Blocks<'r> {
    pub fn new(r: &'r SegmentReader) -> Blocks<'r> {
        Blocks {
            r,
            full: Vec::new(),
            templ: None,
        }
    }

    /// The canonical record bytes of event `i`.
    pub fn record(&mut self, i: u32) -> Result<&[u8]> {
        let b = self.r.block_of(i);
        let at = match self.full.iter().position(|(k, _)| *k == b) {
            Some(at) => at,
            None => {
                if self.full.len() == KEEP_FULL {
                    self.full.remove(0);
                }
                self.full.push((b, self.r.block(b)?));
                self.full.len() - 1
            }
        };
        let first = self.r.blocks[b].first;
        self.full[at]
            .1
            .get((i - first) as usize)
            .map(Vec::as_slice)
            .ok_or_else(|| crate::Error::Corrupt(format!("record {i} / 记录损坏")))
    }

    /// The raw line of event `i`, decoded for matching and display (GBK transcoded).
    pub fn text(&mut self, i: u32) -> Result<String> {
        let rec = self.record(i)?;
        let raw = crate::record::raw_of(rec)
            .ok_or_else(|| crate::Error::Corrupt(format!("record {i} / 记录损坏")))?;
        Ok(parse::decode_text(raw).0.into_owned())
    }

    /// Whether event `i` matches `q`, on its template when `marks` allows (see the module
    /// documentation), else on its line.
    pub fn matches(&mut self, q: &Query, c: &Ctx<'_>, i: u32, marks: bool) -> Result<bool> {
        if marks {
            let b = self.r.block_of(i);
            if self.templ.as_ref().is_none_or(|(k, _)| *k != b) {
                self.templ = Some((b, self.r.templates(b)?));
            }
            if let Some((_, t)) = &self.templ {
                let first = self.r.blocks[b].first;
                let tp = t.get((i - first) as usize).unwrap_or_default();
                // An escaped byte (0x10–0x12 in the line) would read as a mark: use the line.
                if !tp.contains(&0x12) {
                    if let Ok(s) = std::str::from_utf8(tp) {
                        return Ok(text_ok(q, s, c, i as usize, true));
                    }
                }
            }
        }
        let text = self.text(i)?;
        Ok(text_ok(q, &text, c, i as usize, false))
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
}
