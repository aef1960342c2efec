//! Free text typed by people: trimmed, and refused with the field's name when too long for a record.

use crate::error::{Error, Result};

/// Trimmed text, refused with the field's name when longer than `max` characters.
pub(crate) fn limited(field: &str, text: &str, max: usize) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(Error::invalid(field, format!("The {field} is too long; keep it under {max} characters.")));
    }
    Ok(text.to_string())
}
