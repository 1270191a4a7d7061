//! The parsed shape of a statute. Its JSON form is the `dengbao law parse --json`
//! interface, so field names and types here are fixed.

use dengbao_types::Citation;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Statute {
    /// e.g. 中华人民共和国网络安全法 (without 《》).
    pub title: String,
    /// A parenthetical after the title such as `(征求意见稿)`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// The promulgation header (通过/公布/施行 lines, 主席令), if any, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// 编 of a code-style statute; empty for most laws.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    pub chapters: Vec<Chapter>,
    pub articles: Vec<Article>,
    /// Articles that appear more than once with different wording: every later copy,
    /// in source order. `articles` holds the first (or the one fuller copy when the
    /// first was cut off by a page break).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Variant>,
    /// Text inside the file that is not statute text: the preamble before the title,
    /// interpretations (解读), commentary and checklists after or between articles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// A later copy of an article whose wording differs from the kept one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    /// 1-based line of this copy's label.
    pub line: u32,
    pub article: Article,
}

/// Non-statute text found in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// 1-based line where the note starts.
    pub line: u32,
    /// `preamble` (before the statute), `interpretation` (解读), `commentary` (anything
    /// else between or after articles).
    pub kind: String,
    /// The article the note follows (number, suffix), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_article: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_suffix: Option<u32>,
    /// Lines joined by `\n`.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub number: u32,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chapter {
    pub number: u32,
    pub title: String,
    /// The 编 this chapter belongs to, when the statute has parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<u32>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub number: u32,
    pub title: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub number: u32,
    /// 之N: `第二十条之一` is number 20, suffix 1.
    pub suffix: Option<u32>,
    /// Chapter number (0 when the statute has no chapters).
    pub chapter: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<u32>,
    /// 【title】 as in the MLPS regulation, without the brackets.
    pub title: Option<String>,
    /// The whole article body (paragraphs joined by `\n`), without the 第N条 label or title.
    pub text: String,
    pub paragraphs: Vec<Paragraph>,
    /// Cross-references found in the text, resolved to citations. `law: None` means
    /// "this statute"; another law is named by its id when known, else by its title.
    pub refs: Vec<Citation>,
    /// 1-based line of the article label in the parsed input (0 when built by hand).
    #[serde(default)]
    pub line: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The paragraph's lead text (before its items, if any).
    pub text: String,
    /// Items （一）（二）…, each with its marker stripped.
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// 1-based line in the input; 0 when not tied to a line.
    pub line: u32,
    pub message: String,
    /// The same in Chinese.
    #[serde(default)]
    pub message_zh: String,
}

/// A diagnostic in English and in Chinese (what `law parse` prints in each language).
pub(crate) fn diag(line: u32, message: impl Into<String>, zh: impl Into<String>) -> Diagnostic {
    Diagnostic {
        line,
        message: message.into(),
        message_zh: zh.into(),
    }
}
