//! Text from the service (names, scopes, messages) as a terminal or a notification may
//! show it: control characters (ESC sequences, BEL, CR) and bidirectional overrides are
//! written as visible escapes, so a PAT's name cannot move the cursor, rewrite a line
//! or reverse what follows it. JSON output stays exact; this is for people.

use std::borrow::Cow;

/// Characters that change how the text around them is laid out rather than showing.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn unsafe_char(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// `s` with every control or bidirectional character written as `\u{…}`.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// At most `max` characters of `s`, with "…" in place of the rest.
pub fn shortened(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((cut, _)) => {
            let keep = s[..cut]
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(cut, |(i, _)| i);
            Cow::Owned(format!("{}…", &s[..keep]))
        }
    }
}

/// A duration as a person reads it in a sentence: "10 s"; "0.5 s" under a second.
pub fn seconds(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms >= 1000 {
        format!("{} s", (ms + 500) / 1000)
    } else {
        format!("{} s", (ms as f64 / 100.0).round() / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_overrides_become_visible_and_plain_text_is_untouched() {
        assert!(matches!(printable("nuget-feed é"), Cow::Borrowed(_)));
        assert_eq!(
            printable("evil\u{1b}[2J\u{7}\rname\u{202E}gpj.exe"),
            "evil\\u{1b}[2J\\u{7}\\u{d}name\\u{202e}gpj.exe"
        );
        assert_eq!(printable("tab\there"), "tab\\u{9}here");
    }

    #[test]
    fn long_text_is_cut_to_the_width_asked() {
        assert_eq!(shortened("abcdef", 10), "abcdef");
        assert_eq!(shortened("abcdef", 4), "abc…");
        assert_eq!(shortened("ééééé", 3).chars().count(), 3);
    }
}
