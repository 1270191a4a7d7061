//! Index terms: ASCII tokens (lower-cased runs of letters, digits and `_`) and, for CJK and
//! other non-ASCII letters, character bigrams (a lone character is indexed as itself) — what
//! the term index ([`crate::index`]) stores and what a query's words are looked up as.

/// A reusable tokeniser: lower-cases into one buffer and records each term as a span of it,
/// so tokenising allocates nothing per term.
#[derive(Default)]
pub struct Tokenizer {
    pub buf: String,
    pub spans: Vec<(u32, u32)>,
    /// Per-event postings only: the event ordinal of each span (see [`Tokenizer::tag`]).
    pub owner: Vec<u32>,
    wide: Vec<usize>,
}

impl Tokenizer {
    /// Tokenise `text`, appending its terms (in order, with repeats) to `spans`.
    pub fn push(&mut self, text: &str) {
        let mut ascii: Option<usize> = None;
        for c in text.chars() {
            if c.is_ascii_alphanumeric() || c == '_' {
                self.flush_wide();
                if ascii.is_none() {
                    ascii = Some(self.buf.len());
                }
                self.buf.push(c.to_ascii_lowercase());
            } else if !c.is_ascii() && c.is_alphanumeric() {
                if let Some(s) = ascii.take() {
                    self.spans.push((s as u32, self.buf.len() as u32));
                }
                fold_wide(c, |l| {
                    self.wide.push(self.buf.len());
                    self.buf.push(l);
                });
            } else {
                if let Some(s) = ascii.take() {
                    self.spans.push((s as u32, self.buf.len() as u32));
                }
                self.flush_wide();
            }
        }
        if let Some(s) = ascii.take() {
            self.spans.push((s as u32, self.buf.len() as u32));
        }
        self.flush_wide();
    }

    /// Append `text`'s dotted runs as terms: every maximal run of ASCII digits and dots
    /// holding at least two dots and a digit (an IPv4 address, a version, a dotted date),
    /// as `.` followed by the run — so they sort together and never equal a token. Their
    /// parts are small numbers, which the index keeps per block (see [`small_number`]);
    /// these terms let a search for an address find its events (decision 0736).
    pub fn push_runs(&mut self, text: &str) {
        for (start, end) in digit_dot_runs(text) {
            let run = &text[start..end];
            if dotted_run(run) {
                let s = self.buf.len() as u32;
                self.buf.push(RUN_MARK);
                self.buf.push_str(run);
                self.spans.push((s, self.buf.len() as u32));
            }
        }
    }

    fn flush_wide(&mut self) {
        let n = self.wide.len();
        if n == 1 {
            self.spans
                .push((self.wide[0] as u32, self.buf.len() as u32));
        } else {
            for k in 0..n.saturating_sub(1) {
                let end = if k + 2 < n {
                    self.wide[k + 2]
                } else {
                    self.buf.len()
                };
                self.spans.push((self.wide[k] as u32, end as u32));
            }
        }
        self.wide.clear();
    }

    pub fn term(&self, span: (u32, u32)) -> &str {
        self.buf.get(span.0 as usize..span.1 as usize).unwrap_or("")
    }

    pub fn clear(&mut self) {
        self.buf.clear();
        self.spans.clear();
        self.owner.clear();
        self.wide.clear();
    }

    /// Mark the spans pushed since the last call as terms of event `ordinal`.
    pub fn tag(&mut self, ordinal: u32) {
        self.owner.resize(self.spans.len(), ordinal);
    }

    /// Sort the (term, event) pairs by term then event and drop repeats within an event:
    /// each term's run of spans then lists its events in order.
    pub fn distinct_events(&mut self) {
        // Intern the terms (hash), sort only the distinct ones, then place the pairs by a
        // stable counting sort: the events of a term stay in tag order, i.e. ascending.
        // Sorting every (term, event) pair by its text cost a third of the seal's CPU.
        let buf = &self.buf;
        let key = |s: &(u32, u32)| buf.get(s.0 as usize..s.1 as usize).unwrap_or("");
        let mut ids: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
        let mut first: Vec<(u32, u32)> = Vec::new();
        let mut pair_id: Vec<u32> = Vec::with_capacity(self.spans.len());
        for sp in &self.spans {
            let next = first.len() as u32;
            let id = *ids.entry(key(sp)).or_insert_with(|| {
                first.push(*sp);
                next
            });
            pair_id.push(id);
        }
        let mut order: Vec<u32> = (0..first.len() as u32).collect();
        order.sort_unstable_by(|a, b| key(&first[*a as usize]).cmp(key(&first[*b as usize])));
        let mut rank = vec![0usize; order.len()];
        for (r, id) in order.iter().enumerate() {
            rank[*id as usize] = r;
        }
        let mut start = vec![0usize; order.len() + 1];
        for id in &pair_id {
            start[rank[*id as usize] + 1] += 1;
        }
        for r in 0..order.len() {
            start[r + 1] += start[r];
        }
        let mut placed: Vec<(u32, u32)> = vec![(u32::MAX, 0); pair_id.len()];
        for (i, id) in pair_id.iter().enumerate() {
            let slot = &mut start[rank[*id as usize]];
            placed[*slot] = (*id, self.owner.get(i).copied().unwrap_or(0));
            *slot += 1;
        }
        placed.dedup();
        self.spans = placed.iter().map(|(id, _)| first[*id as usize]).collect();
        self.owner = placed.into_iter().map(|(_, o)| o).collect();
    }

    /// Deduplicate (hash set) then sort the spans by their text: the distinct terms seen so far.
    pub fn distinct(&mut self) {
        let buf = &self.buf;
        let key = |s: &(u32, u32)| buf.get(s.0 as usize..s.1 as usize).unwrap_or("");
        let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
        seen.reserve(self.spans.len() / 4);
        self.spans.retain(|s| seen.insert(key(s)));
        self.spans.sort_unstable_by(|a, b| key(a).cmp(key(b)));
    }
}

/// Lower-case a non-ASCII letter for the index — unless its lower case has an ASCII letter
/// (the Kelvin sign `K` → `k`, `İ` → `i̇`): such a letter is kept as it is, so an ASCII term's
/// postings come only from ASCII tokens and equal what the token check on the line finds.
pub fn fold_wide(c: char, mut f: impl FnMut(char)) {
    if changes_ascii(c) {
        f(c);
    } else {
        c.to_lowercase().for_each(f);
    }
}

/// Whether `c`'s lower case contains an ASCII character (see [`fold_wide`]).
pub fn changes_ascii(c: char) -> bool {
    !c.is_ascii() && c.to_lowercase().any(|l| l.is_ascii())
}

/// A decimal number of at most three digits and at most 255 (`0`, `07`, `255`): an IPv4
/// octet or a clock field, in nearly every line. Format 3 keeps block postings for these
/// (decision 0725); a query for one is confirmed on the text.
pub fn small_number(term: &str) -> bool {
    term.len() <= 3
        && term.bytes().all(|b| b.is_ascii_digit())
        && term.parse::<u16>().is_ok_and(|v| v <= 255)
}

/// The first character of a dotted-run term ([`Tokenizer::push_runs`]).
pub const RUN_MARK: char = '.';

fn run_byte(b: &u8) -> bool {
    b.is_ascii_digit() || *b == b'.'
}

/// The byte ranges of `text`'s maximal runs of ASCII digits and dots, in order.
pub fn digit_dot_runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let start = i + b.get(i..)?.iter().position(run_byte)?;
        let end = b[start..]
            .iter()
            .position(|c| !run_byte(c))
            .map_or(b.len(), |n| start + n);
        i = end;
        Some((start, end))
    })
}

/// Whether a run of digits and dots is indexed as a dotted-run term: two dots or more and a
/// digit. A text holding such a run lies inside one maximal run that is, so the terms can
/// narrow a substring search for it without losing a line.
pub fn dotted_run(run: &str) -> bool {
    run.bytes().filter(|b| *b == b'.').count() >= 2 && run.bytes().any(|b| b.is_ascii_digit())
}

/// Call `f` with every index term of `text`, in order (with repeats).
pub fn terms(text: &str, mut f: impl FnMut(&str)) {
    let mut t = Tokenizer::default();
    t.push(text);
    for s in &t.spans {
        f(t.term(*s));
    }
}
