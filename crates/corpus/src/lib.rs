//! The law corpus: canonical texts reconciled from the seed sources, versions (draft/final), discrepancy and comparison reports, commentary linked to articles.
