/// Errors raised by pipeline components. Each names the document it concerns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A component found the document in a state it cannot work on.
    #[error("{doc}: {component}: {reason}")]
    Annotate {
        /// The document's source.
        doc: String,
        /// The component's name.
        component: &'static str,
        /// What went wrong.
        reason: String,
    },
}

/// Result with the core [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
