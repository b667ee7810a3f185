//! Text cells of exports that a spreadsheet opens: a cell that begins like a formula (`=`, `+`,
//! `-`, `@`, a tab or a carriage return) would be run by Excel or LibreOffice (CSV injection),
//! so it is written with a leading apostrophe, which spreadsheets show as text. The value in
//! Adal stays as it was entered.

use std::borrow::Cow;

/// The cell as a spreadsheet may safely open it.
pub fn text_cell(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_begin_like_a_formula_are_written_as_text() {
        for f in ["=1+2", "+7 701", "-2", "@SUM(A1)", "\t=x", "\r=x"] {
            assert_eq!(text_cell(f), format!("'{f}"));
        }
        for plain in ["Ахметов", "O'Neil", "", "1=1"] {
            assert_eq!(text_cell(plain), plain);
        }
    }
}
