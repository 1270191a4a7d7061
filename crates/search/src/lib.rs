//! Ranked Chinese full-text search over the law corpus and its commentary, plus lookup by citation.
