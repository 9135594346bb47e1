//! Check: cross-source consistency.
