//! What a Chinese input method produces in a number field, brought back to the characters the
//! parsers read: full-width digits and letters, ideographic spaces, spaces inside a number,
//! thousands separators and a trailing 元. Applied to the application form before parsing.

/// Full-width ASCII (U+FF01–U+FF5E) to ASCII, the ideographic space to a space.
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// An identity number, credit code or phone number: half-width, no spaces, upper case (so a
/// resident ID's check letter typed as `x` reads as `X`).
pub fn number(s: &str) -> String {
    s.chars().map(half_width).filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase()
}

/// An amount in yuan: half-width, without spaces, thousands separators (`8,600`, `8，600`) or a
/// trailing `元`. Anything else is left for the money parser to refuse.
pub fn amount(s: &str) -> String {
    let t: String = s.chars().map(half_width).filter(|c| !c.is_whitespace() && !matches!(c, ',' | '，')).collect();
    t.strip_suffix('元').unwrap_or(&t).replace('。', ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_spaces_and_a_lower_case_x_are_read_as_typed_on_a_keyboard() {
        assert_eq!(number("１１０１０５ １９４９１２３１ ００２x"), "11010519491231002X");
        assert_eq!(number("138 0013\u{3000}8000"), "13800138000");
        assert_eq!(number("91350100m000100y43"), "91350100M000100Y43");
    }

    #[test]
    fn amounts_lose_separators_and_the_yuan_sign() {
        assert_eq!(amount("8,600"), "8600");
        assert_eq!(amount("８６００元"), "8600");
        assert_eq!(amount("8，600.50 元"), "8600.50");
        assert_eq!(amount("八千"), "八千");
    }
}
