//! Name lookups for the walk: a body's keys and enum strings against a
//! type's field, variant and value names, once per value.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use rustc_hash::FxHashMap as HashMap;

/// Names looked up by a sketch of their length and end bytes, times a
/// multiplier chosen so that no two names share a slot: finding a key costs
/// one multiplication and one comparison, and no hash of the whole key.
/// Names that no multiplier separates (two with the same length and end
/// bytes) get a hash map.
///
/// A table starts as its names in a list, searched from the end: no hash
/// map and no multiplier is built with the plan, and the first lookups scan
/// the list. The `request!` macro builds a plan per compilation,
/// unoptimized in a user's debug build, and looks up a handful of keys in a
/// handful of its types, where hashing every name or searching a multiplier
/// would cost more than every lookup they speed.
#[derive(Debug)]
pub(super) struct NameTable<V> {
    /// Each name with its value; of two entries with one name, the later
    /// counts.
    entries: Vec<(String, V)>,
    perfect: OnceLock<Option<Perfect<V>>>,
    /// The names by hash, built with the search.
    map: OnceLock<HashMap<String, V>>,
    /// Lookups answered by the list before the search.
    before_search: AtomicU32,
}

/// How many lookups a table answers from its list before the multiplier
/// is searched.
const SEARCH_AFTER: u32 = 32;

#[derive(Debug)]
struct Perfect<V> {
    mult: u64,
    shift: u32,
    slots: Vec<Option<(Box<str>, V)>>,
}

/// The bytes a slot is chosen by: the length and the first and last two.
#[inline]
fn sketch(key: &[u8]) -> u64 {
    let n = key.len();
    let ends = match (key, key) {
        ([a, b, ..], [.., y, z]) => u32::from_le_bytes([*a, *b, *y, *z]),
        _ => u32::from(key.first().copied().unwrap_or(0)),
    };
    n as u64 | u64::from(ends) << 16
}

/// How many multipliers are tried per table size.
const TRIES: u64 = 256;
/// How many times larger than the next power of two the table may grow.
const GROWTHS: u32 = 4;

impl<V: Copy> Perfect<V> {
    /// A table that separates `names`, if a multiplier does.
    fn search(names: &HashMap<String, V>) -> Option<Perfect<V>> {
        let sketches: Vec<u64> = names.keys().map(|n| sketch(n.as_bytes())).collect();
        let mut distinct = sketches.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() != sketches.len() {
            return None;
        }
        let least = names.len().next_power_of_two().trailing_zeros().max(1);
        let mut used: Vec<bool> = Vec::new();
        for bits in least..least + GROWTHS {
            for k in 0..TRIES {
                // Odd multipliers spread by a fixed golden-ratio step.
                let mult = (k + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
                let shift = 64 - bits;
                let slot = |s: u64| (s.wrapping_mul(mult) >> shift) as usize;
                // A bitmap with an early exit at the first collision.
                used.clear();
                used.resize(1 << bits, false);
                let separates = sketches
                    .iter()
                    .all(|&s| !std::mem::replace(&mut used[slot(s)], true));
                if separates {
                    let mut slots = vec![None; 1 << bits];
                    for (name, &v) in names {
                        slots[slot(sketch(name.as_bytes()))] = Some((name.as_str().into(), v));
                    }
                    return Some(Perfect { mult, shift, slots });
                }
            }
        }
        None
    }
}

impl<V: Copy> NameTable<V> {
    /// A table of `entries`; of two with one name, the later counts.
    pub(super) fn new(entries: Vec<(String, V)>) -> NameTable<V> {
        NameTable {
            entries,
            perfect: OnceLock::new(),
            map: OnceLock::new(),
            before_search: AtomicU32::new(0),
        }
    }

    /// The value of `key`, from the list: for building the plan, where a
    /// hash map or a multiplier would cost more than it saves.
    pub(super) fn lookup(&self, key: &str) -> Option<&V> {
        self.entries
            .iter()
            .rev()
            .find(|(name, _)| name == key)
            .map(|(_, v)| v)
    }

    fn map(&self) -> &HashMap<String, V> {
        // In order, so that a later entry replaces an earlier one.
        self.map
            .get_or_init(|| self.entries.iter().cloned().collect())
    }

    /// The value of `key`, if it is one of the names. Inlined: a call
    /// cost a third of the lookup.
    #[inline(always)]
    pub(super) fn get(&self, key: &str) -> Option<&V> {
        let p = match self.perfect.get() {
            Some(Some(p)) => p,
            Some(None) => return self.map().get(key),
            None => return self.get_before_search(key),
        };
        let slot = (sketch(key.as_bytes()).wrapping_mul(p.mult) >> p.shift) as usize;
        match p.slots.get(slot) {
            Some(Some((name, v))) if **name == *key => Some(v),
            _ => None,
        }
    }

    /// A lookup in the list, which searches the multiplier once the table
    /// has answered enough of them.
    #[cold]
    fn get_before_search(&self, key: &str) -> Option<&V> {
        if self.before_search.fetch_add(1, Ordering::Relaxed) >= SEARCH_AFTER {
            self.perfect.get_or_init(|| Perfect::search(self.map()));
        }
        self.lookup(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(names: &[&str]) -> NameTable<usize> {
        NameTable::new(
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.to_string(), i))
                .collect(),
        )
    }

    #[test]
    fn finds_each_name_and_nothing_else() {
        let names = [
            "text",
            "attachment",
            "attachments",
            "quick_replies",
            "metadata",
            "sticker_id",
            "",
            "a",
            "é",
        ];
        let t = table(&names);
        // The first lookups scan the list, and give the same answers.
        for i in 0..SEARCH_AFTER {
            let (key, found) = if i % 2 == 0 {
                ("text", Some(&0))
            } else {
                ("tex", None)
            };
            assert_eq!(t.get(key), found);
        }
        assert!(t.perfect.get().is_none(), "searched too early");
        assert_eq!(t.get("attachment"), Some(&1));
        assert!(matches!(t.perfect.get(), Some(Some(_))));
        for (i, n) in names.iter().enumerate() {
            assert_eq!(t.get(n), Some(&i), "{n}");
        }
        for other in ["tex", "texts", "attachmenT", "b", "quick_replie", "ée"] {
            assert_eq!(t.get(other), None, "{other}");
        }
        assert_eq!(table(&[]).get("x"), None);
    }

    #[test]
    fn names_alike_at_both_ends_keep_a_map() {
        let t = table(&["abXcd", "abYcd", "x"]);
        for _ in 0..=SEARCH_AFTER {
            assert_eq!(t.get("x"), Some(&2));
        }
        assert!(matches!(t.perfect.get(), Some(None)));
        assert_eq!(t.get("abYcd"), Some(&1));
        assert_eq!(t.get("abZcd"), None);
    }

    #[test]
    fn of_two_entries_with_one_name_the_later_counts_before_and_after_the_search() {
        let t = NameTable::new(vec![
            ("quick".to_string(), 1),
            ("text".to_string(), 2),
            ("quick".to_string(), 3),
        ]);
        assert_eq!(t.lookup("quick"), Some(&3));
        for _ in 0..=SEARCH_AFTER {
            assert_eq!(t.get("quick"), Some(&3));
            assert_eq!(t.get("text"), Some(&2));
        }
        assert!(t.perfect.get().is_some(), "searched");
        assert_eq!(t.get("quick"), Some(&3));
        assert_eq!(t.get("quic"), None);
    }
}
