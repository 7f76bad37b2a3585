//! JSON pointers (RFC 6901), as violations name the offending value.

use std::fmt::Write as _;

/// Appends `/` and `key`, with `~` written `~0` and `/` written `~1`.
pub fn push_key(out: &mut String, key: &str) {
    out.push('/');
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// A pointer as messages show it: the whole body (`""`) is `(body)`.
pub fn shown(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(body)"
    } else {
        pointer
    }
}

/// Appends `/` and an array index.
pub fn push_index(out: &mut String, index: usize) {
    // Writing to a String cannot fail.
    let _ = write!(out, "/{index}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_escaped_and_indexes_written() {
        let mut p = String::new();
        push_key(&mut p, "a/b~c");
        push_index(&mut p, 3);
        push_key(&mut p, "");
        assert_eq!(p, "/a~1b~0c/3/");
        assert_eq!(shown(&p), p);
        assert_eq!(shown(""), "(body)");
    }
}
