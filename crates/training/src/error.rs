use thiserror::Error;

/// Why the question bank could not be built. Every message names the file, the entry and
/// the field, in Chinese then English (the CLI prints it as given).
#[derive(Debug, Error)]
pub enum QuizError {
    #[error("{file}: {message}")]
    Review { file: String, message: String },
    #[error("法律语料 / law corpus: {0}")]
    Corpus(String),
    #[error("义务目录 / duty catalog: {0}")]
    Catalog(String),
    #[error("案例库 / case library: {0}")]
    Cases(String),
}
