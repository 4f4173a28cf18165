//! Briefs and exports: what analysts take away from the corpus.
//!
//! Both read the store's views ([`techties_store::PartnershipView`]) and nothing else, so what
//! they say is exactly what `techties show` shows. A brief's every sentence ends with the ids
//! of the partnerships it rests on (`[P12, P40]`), and its notable partnerships with numbered
//! sources; exports keep each partnership's evidence and documents.
#![deny(missing_docs)]

pub mod brief;
pub mod export;

/// What went wrong writing a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] techties_store::StoreError),
    /// Writing the output failed.
    #[error("cannot write the output: {0}")]
    Io(#[from] std::io::Error),
    /// Serialising failed.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

/// Results of report operations.
pub type Result<T> = std::result::Result<T, ReportError>;
