//! Report: terminal and HTML output.
