//! What can be wrong with a case file, said in both languages: the printer picks one
//! (decision 0934). Every message names the file, and the case and field when there is one.

use dengbao_types::Lang;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CasesError {
    /// The file is not TOML of the expected shape.
    #[error("{file}：无法读取（{message}）")]
    Parse { file: String, message: String },
    /// One case breaks a rule of data/cases/README.md.
    #[error("{file}：案例 {case} 的 {field}：{zh}")]
    Invalid {
        file: String,
        case: String,
        field: String,
        zh: String,
        en: String,
    },
    /// The law corpus or the duty catalog the cases are checked against did not load.
    #[error("无法加载{what}：{message}")]
    Reference { what: String, message: String },
}

impl CasesError {
    /// The message in the reader's language.
    pub fn message(&self, lang: Lang) -> String {
        if !lang.is_en() {
            return self.to_string();
        }
        match self {
            CasesError::Parse { file, message } => format!("{file}: cannot read it ({message})"),
            CasesError::Invalid {
                file,
                case,
                field,
                en,
                ..
            } => format!("{file}: case {case}, field {field}: {en}"),
            CasesError::Reference { what, message } => {
                let what = match what.as_str() {
                    "法律语料" => "the law corpus",
                    "义务目录" => "the duty catalog",
                    other => other,
                };
                format!("cannot load {what}: {message}")
            }
        }
    }

    /// The case the error is about, if it is about one.
    pub fn case(&self) -> Option<&str> {
        match self {
            CasesError::Invalid { case, .. } => Some(case),
            _ => None,
        }
    }

    /// The field the error is about, if it is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            CasesError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}
