//! Builds the statute's structure (编/章/节/条/款/项) from classified lines.
//!
//! Decisions (docs/decisions/0100-statute-parser.md):
//! - The statute starts at its title line, found by looking back from the first anchor
//!   (第一编, 第一章, 第一条 or 目录); text before it is a `preamble` note. Without a title
//!   (a fragment), it starts at the first article, with any headings right before it.
//! - A line that does not end a sentence is hard-wrapped: the next text line joins it.
//!   Every other line of an article is a paragraph (款); item lines （一） attach to the
//!   paragraph before them.
//! - A heading that arrives while an article is mid-sentence is "out of place": it is
//!   recorded and the article continues after it.
//! - Interpretations (解读：…), Markdown bullets that are not items, and short lines with
//!   no punctuation after a finished article start a note; statute text resumes at the
//!   next article or heading.
//! - An article seen again: identical (or a cut-off copy) is dropped; a fuller copy of a
//!   cut-off first one replaces it; a differing copy goes to `variants`. All diagnosed.

use std::collections::{BTreeSet, HashMap};

use crate::lines::{self, classify, ends_sentence, is_space, looks_like_heading, Kind, Line};
pub(crate) use crate::model::diag;
use crate::model::{
    Article, Chapter, Diagnostic, Note, Paragraph, Part, Section, Statute, Variant,
};
use crate::numerals::parse_item_marker;
use crate::start::{self, split_parenthetical, squeeze, SUBTITLE_MARKS};
pub(crate) fn build(text: &str) -> (Statute, Vec<Diagnostic>) {
    let lines = lines::split(text);
    let mut b = Builder::default();
    let Some(start) = start::locate(&lines, &mut b.st, &mut b.diags) else {
        return (b.st, b.diags);
    };
    for line in &lines[start..] {
        b.feed(line);
    }
    b.finish();
    (b.st, b.diags)
}

#[derive(Default, PartialEq, Clone, Copy)]
enum Phase {
    /// After the title, before the first heading or article: promulgation header.
    #[default]
    Header,
    /// Inside a table of contents (目录).
    Toc,
    Body,
    /// Inside non-statute text (a note).
    Note,
}

struct DraftLine {
    text: String,
    item: bool,
}

struct Draft {
    number: u32,
    suffix: Option<u32>,
    title: Option<String>,
    line: u32,
    chapter: u32,
    section: Option<u32>,
    lines: Vec<DraftLine>,
}

impl Draft {
    /// The text so far stops mid-sentence (or there is none yet).
    fn open(&self) -> bool {
        self.lines.last().is_none_or(|l| !ends_sentence(&l.text))
    }
}

#[derive(Default)]
struct Builder {
    st: Statute,
    diags: Vec<Diagnostic>,
    phase: Phase,
    header: Vec<String>,
    toc: BTreeSet<u32>,
    toc_line: u32,
    part: Option<u32>,
    chapter: u32,
    section: Option<u32>,
    art: Option<Draft>,
    note: Option<Note>,
    heading_just_seen: bool,
    seen: HashMap<(u32, Option<u32>), usize>,
    last_key: Option<(u32, Option<u32>)>,
    page_numbers: u32,
    /// Headings or articles came out of order, so `Article.chapter` is unreliable.
    disordered: bool,
}

impl Builder {
    fn open(&self) -> bool {
        self.phase == Phase::Body && self.art.as_ref().is_some_and(Draft::open)
    }

    fn feed(&mut self, line: &Line) {
        let kind = classify(line, self.open());
        let was_heading = self.heading_just_seen;
        self.heading_just_seen = matches!(kind, Kind::Blank) && was_heading;
        match kind {
            Kind::Blank => {}
            Kind::PageNumber => self.page_numbers += 1,
            Kind::Toc => {
                self.finish_article();
                self.finish_note();
                self.phase = Phase::Toc;
                self.toc_line = line.no;
            }
            Kind::Part(n, t) => self.heading(line, HeadingKind::Part, n, t),
            Kind::Chapter(n, t) => self.heading(line, HeadingKind::Chapter, n, t),
            Kind::Section(n, t) => self.heading(line, HeadingKind::Section, n, t),
            Kind::NumberedHeading(n, t) => {
                let fits = self.phase != Phase::Note
                    && self.st.chapters.iter().all(|c| c.number != n)
                    && n == self.chapter + 1
                    && !self.open();
                if fits {
                    self.diags.push(diag(
                        line.no,
                        format!(
                            "chapter heading written as '{}': read as 第{}章 {}",
                            line.text, n, t
                        ),
                        format!("章标题写作“{}”：按第{}章 {} 读取", line.text, n, t),
                    ));
                    self.heading(line, HeadingKind::Chapter, n, t);
                } else {
                    self.text(line, was_heading);
                }
            }
            Kind::Article {
                number,
                suffix,
                title,
                rest,
            } => {
                self.leave_toc();
                self.finish_article();
                self.finish_note();
                self.phase = Phase::Body;
                let mut d = Draft {
                    number,
                    suffix,
                    title,
                    line: line.no,
                    chapter: self.chapter,
                    section: self.section,
                    lines: Vec::new(),
                };
                if !rest.is_empty() {
                    d.lines.push(DraftLine {
                        text: rest,
                        item: false,
                    });
                }
                self.art = Some(d);
            }
            Kind::Item(_) if self.phase == Phase::Body && self.art.is_some() => {
                if let Some(a) = self.art.as_mut() {
                    a.lines.push(DraftLine {
                        text: line.text.clone(),
                        item: true,
                    });
                }
            }
            Kind::Interpretation => {
                self.leave_toc();
                if self.open() {
                    self.diags.push(diag(
                        line.no, "an interpretation (解读) interrupts an article mid-sentence; the article ends here", "解读插在条文句中；该条到此为止"));
                }
                self.finish_article();
                self.start_note(line, "interpretation");
            }
            Kind::Item(_) | Kind::Text => self.text(line, was_heading),
        }
    }

    fn leave_toc(&mut self) {
        if self.phase == Phase::Toc {
            self.diags.push(diag(
                self.toc_line, format!(
                    "table of contents (目录) with {} entries skipped; chapters come from the body headings",
                    self.toc.len()
                ), format!(
                    "跳过目录（{} 项）；章节取自正文标题",
                    self.toc.len()
                )));
            self.phase = Phase::Body;
        }
    }

    fn heading(&mut self, line: &Line, kind: HeadingKind, n: u32, title: String) {
        if self.phase == Phase::Toc {
            let repeat = kind == HeadingKind::Chapter && !self.toc.insert(n);
            if !repeat {
                return;
            }
            self.leave_toc();
        }
        self.finish_note();
        if self.open() {
            if let Some(a) = &self.art {
                self.disordered = true;
                self.diags.push(diag(
                    line.no, format!(
                        "heading '{}' is out of place: it interrupts 第{}条 mid-sentence, whose text continues after it",
                        line.text, a.number
                    ), format!(
                        "标题“{}”位置不对：插在第{}条句中，条文在其后继续",
                        line.text, a.number
                    )));
            }
        } else {
            self.finish_article();
        }
        self.phase = Phase::Body;
        self.heading_just_seen = true;
        match kind {
            HeadingKind::Part => {
                if !self.st.parts.iter().any(|p| p.number == n) {
                    self.st.parts.push(Part { number: n, title });
                }
                self.part = Some(n);
            }
            HeadingKind::Chapter => {
                let max = self.st.chapters.iter().map(|c| c.number).max().unwrap_or(0);
                if let Some(c) = self.st.chapters.iter().find(|c| c.number == n) {
                    let what = if c.title == title {
                        "repeated"
                    } else {
                        "repeated with a different title"
                    };
                    self.diags.push(diag(
                        line.no,
                        format!("chapter heading 第{n}章 {title} {what}; not added again"),
                        {
                            let what_zh = if what == "repeated" {
                                "重复"
                            } else {
                                "重复且标题不同"
                            };
                            format!("章标题第{n}章 {title} {what_zh}；不重复添加")
                        },
                    ));
                } else {
                    if n < max {
                        self.disordered = true;
                        self.diags.push(diag(
                            line.no,
                            format!("chapter heading 第{n}章 comes after 第{max}章"),
                            format!("章标题第{n}章出现在第{max}章之后"),
                        ));
                    }
                    self.st.chapters.push(Chapter {
                        number: n,
                        title,
                        part: self.part,
                        sections: Vec::new(),
                    });
                }
                self.chapter = n;
                self.section = None;
            }
            HeadingKind::Section => {
                let chapter = self.chapter;
                match self.st.chapters.iter_mut().find(|c| c.number == chapter) {
                    Some(c) => {
                        if !c.sections.iter().any(|s| s.number == n) {
                            c.sections.push(Section { number: n, title });
                        }
                    }
                    None => self.diags.push(diag(
                        line.no,
                        format!("section 第{n}节 {title} is outside any chapter"),
                        format!("第{n}节 {title} 不在任何一章之内"),
                    )),
                }
                self.section = Some(n);
            }
        }
    }

    fn text(&mut self, line: &Line, after_heading: bool) {
        let t = line.text.as_str();
        if line.md_heading {
            if self.art.is_none()
                && self.st.articles.is_empty()
                && self.st.chapters.is_empty()
                && looks_like_heading(t)
            {
                self.diags.push(diag(
                    line.no, format!("heading '{t}' has no chapter number (a fragment?): chapter 0 is used (章号未知)"), format!("标题“{t}”没有章号（片段？）：章号按 0 处理")));
                self.st.chapters.push(Chapter {
                    number: 0,
                    title: lines_squeeze(t),
                    part: self.part,
                    sections: Vec::new(),
                });
                self.phase = Phase::Body;
                self.heading_just_seen = true;
                return;
            }
            self.finish_article();
            self.diags.push(diag(
                line.no,
                format!("heading '{t}' is not a statute heading: text after it is a note"),
                format!("标题“{t}”不是法规标题：其后文字作为说明"),
            ));
            self.start_note(line, "commentary");
            return;
        }
        match self.phase {
            Phase::Header => {
                match split_parenthetical(&lines_squeeze(t)) {
                    Some((core, sub))
                        if core.is_empty()
                            && SUBTITLE_MARKS.iter().any(|m| sub.contains(m))
                            && self.st.subtitle.is_none() =>
                    {
                        self.st.subtitle = Some(sub.to_string());
                    }
                    _ => self.header.push(t.to_string()),
                }
                return;
            }
            Phase::Note => {
                if let Some(n) = self.note.as_mut() {
                    n.text.push('\n');
                    n.text.push_str(t);
                }
                return;
            }
            Phase::Toc => self.leave_toc(),
            Phase::Body => {}
        }
        let open = self.open();
        if after_heading && looks_like_heading(t) {
            self.diags.push(diag(
                line.no,
                format!(
                    "'{t}' right after a heading is read as part of that heading, not statute text"
                ),
                format!("紧随标题的“{t}”视为标题的一部分，不是条文"),
            ));
            return;
        }
        let Some(a) = self.art.as_mut() else {
            self.diags.push(diag(
                line.no,
                format!("text outside any article kept as a note: '{}'", preview(t)),
                format!("不属于任何条文的文字作为说明保留：“{}”", preview(t)),
            ));
            self.start_note(line, "commentary");
            return;
        };
        if open && !line.bullet {
            match a.lines.last_mut() {
                Some(last) => {
                    let ascii_pair = last.text.ends_with(|c: char| c.is_ascii_alphanumeric())
                        && t.starts_with(|c: char| c.is_ascii_alphanumeric());
                    if ascii_pair {
                        last.text.push(' ');
                    }
                    last.text.push_str(t);
                }
                None => a.lines.push(DraftLine {
                    text: t.to_string(),
                    item: false,
                }),
            }
            return;
        }
        if line.bullet || looks_like_heading(t) {
            let n = a.number;
            self.finish_article();
            self.diags.push(diag(line.no, format!("'{}' after 第{n}条 is not statute text: kept as a note until the next article or heading", preview(t)), format!("第{n}条之后的“{}”不是条文：作为说明保留，直到下一条或下一个标题", preview(t))));
            self.start_note(line, "commentary");
            return;
        }
        a.lines.push(DraftLine {
            text: t.to_string(),
            item: false,
        });
    }

    fn start_note(&mut self, line: &Line, kind: &str) {
        self.finish_note();
        self.note = Some(Note {
            line: line.no,
            kind: kind.into(),
            after_article: self.last_key.map(|k| k.0),
            after_suffix: self.last_key.and_then(|k| k.1),
            text: line.text.clone(),
        });
        self.phase = Phase::Note;
    }

    fn finish_note(&mut self) {
        if let Some(n) = self.note.take() {
            self.st.notes.push(n);
        }
        if self.phase == Phase::Note {
            self.phase = Phase::Body;
        }
    }

    fn finish_article(&mut self) {
        let Some(d) = self.art.take() else { return };
        let key = (d.number, d.suffix);
        let article = to_article(d);
        let label = label(key);
        if article.text.is_empty() {
            self.diags.push(diag(
                article.line,
                format!("{label} has no text"),
                format!("{label}没有条文内容"),
            ));
        }
        if let Some(&i) = self.seen.get(&key) {
            let kept = squeeze(&self.st.articles[i].text);
            let new = squeeze(&article.text);
            let kept_line = self.st.articles[i].line;
            if kept == new {
                self.diags.push(diag(
                    article.line,
                    format!("{label} repeated (same text as line {kept_line}); copy ignored"),
                    format!("{label}重复（与第 {kept_line} 行相同）；副本忽略"),
                ));
            } else if new.starts_with(&kept) && !ends_sentence(&self.st.articles[i].text) {
                self.diags.push(diag(
                    article.line,
                    format!(
                        "{label} at line {kept_line} was cut off; the fuller copy here is used"
                    ),
                    format!("第 {kept_line} 行的{label}被截断；采用此处较完整的副本"),
                ));
                self.st.articles[i] = article;
            } else if new.starts_with(&kept) {
                self.diags.push(diag(article.line, format!("{label} repeated with extra text after the complete copy of line {kept_line} (page debris?); copy ignored"), format!("{label}重复，且在第 {kept_line} 行完整副本之后多出文字（分页残片？）；副本忽略")));
            } else if kept.starts_with(&new) {
                self.diags.push(diag(
                    article.line,
                    format!("{label} repeated as a cut-off copy of line {kept_line}; copy ignored"),
                    format!("{label}重复，为第 {kept_line} 行的截断副本；副本忽略"),
                ));
            } else if self.st.variants.iter().any(|v| {
                v.article.number == key.0
                    && v.article.suffix == key.1
                    && squeeze(&v.article.text) == new
            }) {
                self.diags.push(diag(
                    article.line,
                    format!("{label} repeated (same as an earlier variant); copy ignored"),
                    format!("{label}重复（与先前的异文相同）；副本忽略"),
                ));
            } else {
                self.diags.push(diag(article.line, format!("{label} appears again with different wording (first at line {kept_line}); the first is kept, this one is in `variants`"), format!("{label}再次出现且措辞不同（首次在第 {kept_line} 行）；保留首次出现的文字，此处列入异文")));
                self.st.variants.push(Variant {
                    line: article.line,
                    article,
                });
            }
            self.last_key = Some(key);
            return;
        }
        if let Some(prev) = self.last_key {
            if key < prev && self.st.variants.is_empty() && !self.seen.contains_key(&prev) {
                // unreachable in practice: last_key is always seen
            } else if key < prev {
                self.disordered = true;
                self.diags.push(diag(
                    article.line,
                    format!("{label} comes after {} (out of order)", self::label(prev)),
                    format!("{label}出现在{}之后（顺序错乱）", self::label(prev)),
                ));
            }
        }
        self.seen.insert(key, self.st.articles.len());
        self.st.articles.push(article);
        self.last_key = Some(key);
    }

    fn finish(&mut self) {
        self.finish_article();
        self.finish_note();
        self.leave_toc();
        if !self.header.is_empty() {
            self.st.header = Some(self.header.join("\n"));
        }
        if self.disordered {
            self.diags.push(diag(
                0, "headings or articles are out of order in this text: each article's chapter is the last heading before it and may be wrong (章节顺序混乱，条文所属章可能不准确)", "本文本的标题或条文顺序错乱：每条所属的章取其前最近的标题，可能不准确"));
        }
        if self.page_numbers > 0 {
            self.diags.push(diag(
                0,
                format!("{} page-number line(s) dropped", self.page_numbers),
                format!("删去 {} 行页码", self.page_numbers),
            ));
        }
        self.st.articles.sort_by_key(|a| (a.number, a.suffix));
        let numbers: BTreeSet<u32> = self.st.articles.iter().map(|a| a.number).collect();
        if let (Some(&min), Some(&max)) = (numbers.first(), numbers.last()) {
            if min > 1 {
                self.diags.push(diag(
                    0,
                    format!("fragment: the first article is 第{min}条, not 第1条"),
                    format!("片段：第一条是第{min}条，不是第1条"),
                ));
            }
            let missing: Vec<String> = (min..=max)
                .filter(|n| !numbers.contains(n))
                .map(|n| n.to_string())
                .collect();
            if !missing.is_empty() {
                self.diags.push(diag(
                    0,
                    format!(
                        "articles missing between 第{min}条 and 第{max}条: {}",
                        missing.join(", ")
                    ),
                    format!("第{min}条与第{max}条之间缺少条文：{}", missing.join(", ")),
                ));
            }
        }
    }
}

#[derive(PartialEq, Clone, Copy)]
enum HeadingKind {
    Part,
    Chapter,
    Section,
}

fn label(key: (u32, Option<u32>)) -> String {
    match key.1 {
        Some(s) => format!("第{}条之{}", key.0, s),
        None => format!("第{}条", key.0),
    }
}

fn lines_squeeze(t: &str) -> String {
    squeeze(t)
}

fn preview(t: &str) -> String {
    let p: String = t.chars().take(24).collect();
    if p.len() < t.len() {
        format!("{p}…")
    } else {
        p
    }
}

fn to_article(d: Draft) -> Article {
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    for l in &d.lines {
        if l.item {
            let stripped = match parse_item_marker(&l.text) {
                Some((_, len)) => l.text[len..].trim_matches(is_space).to_string(),
                None => l.text.clone(),
            };
            match paragraphs.last_mut() {
                Some(p) => p.items.push(stripped),
                None => paragraphs.push(Paragraph {
                    text: String::new(),
                    items: vec![stripped],
                }),
            }
        } else {
            paragraphs.push(Paragraph {
                text: l.text.clone(),
                items: Vec::new(),
            });
        }
    }
    Article {
        number: d.number,
        suffix: d.suffix,
        chapter: d.chapter,
        section: d.section,
        title: d.title,
        text: d
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        paragraphs,
        refs: Vec::new(),
        line: d.line,
    }
}
