//! Errors of the search crate. Messages name the file and field at fault.

/// What can go wrong building or querying the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index (全文索引): {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("{file}: {message} (数据文件格式错误)")]
    Data { file: String, message: String },
    #[error("law corpus (法律文本库): {0}")]
    Corpus(#[from] dengbao_corpus::CorpusError),
    #[error("empty query (查询内容为空)")]
    EmptyQuery,
}
