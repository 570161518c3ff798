//! Shared by the loader's integration tests: load a template, or list its errors one per line.

#![allow(dead_code)]

use eventyard_template::{load, Template, TemplateError};

/// Every error, one per line, as the CLI and the page print them.
pub fn lines(errors: &[TemplateError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The errors of a template that should not load, or "(no errors)".
pub fn errors_of(text: &str) -> String {
    match load(text) {
        Ok(_) => String::from("(no errors)"),
        Err(errors) => lines(&errors),
    }
}

/// A template that should load.
pub fn loaded(text: &str) -> Template {
    load(text).unwrap_or_else(|errors| panic!("{}", lines(&errors)))
}
