//! Where a position came from when one spec is read from several files.
//!
//! Each file of an overlay chain is parsed at its own offset in one shared
//! position space, so a span anywhere in the merged model still names its
//! file: the lint reports a rule written in the base at the base's line, and
//! one written in the delta at the delta's.

use std::ops::Range;

use crate::error::{Problem, line_col};

/// One file of a chain: its name in messages, its text, and where its
/// positions start.
#[derive(Debug, Clone)]
struct Layer {
    name: String,
    text: String,
    start: usize,
    path: Option<std::path::PathBuf>,
}

/// The files a spec was read from, each at its own range of positions.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceMap {
    layers: Vec<Layer>,
}

impl SourceMap {
    /// Adds a file; its positions start after every file added before it.
    /// Returns that start.
    pub(crate) fn add(&mut self, name: &str, text: &str, path: Option<&std::path::Path>) -> usize {
        // One byte of gap so that an empty file still owns its offset.
        let start = self.layers.last().map_or(0, |l| l.start + l.text.len() + 1);
        self.layers.push(Layer {
            name: name.to_string(),
            text: text.to_string(),
            start,
            path: path.map(std::path::Path::to_path_buf),
        });
        start
    }

    /// The files read from disk, the extending file first.
    pub(crate) fn paths(&self) -> Vec<std::path::PathBuf> {
        self.layers.iter().filter_map(|l| l.path.clone()).collect()
    }

    /// The file holding `offset`, and the offset inside it.
    fn layer(&self, offset: usize) -> Option<(&Layer, usize)> {
        let layer = self.layers.iter().rev().find(|l| l.start <= offset)?;
        Some((layer, offset - layer.start))
    }

    /// File name, line and column of a position.
    pub(crate) fn locate(&self, offset: usize) -> (&str, usize, usize) {
        match self.layer(offset) {
            Some((layer, local)) => {
                let (line, column) = line_col(&layer.text, local);
                (&layer.name, line, column)
            }
            None => ("<spec>", 1, 1),
        }
    }

    /// A problem at the start of `span`.
    pub(crate) fn problem(&self, span: Range<usize>, message: impl Into<String>) -> Problem {
        let (file, line, column) = self.locate(span.start);
        Problem {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SourceMap;

    #[test]
    fn positions_name_the_file_they_fall_in() {
        let mut map = SourceMap::default();
        let a = map.add("base.toml", "a = 1\nb = 2\n", None);
        let b = map.add("delta.toml", "c = 3\n  d = 4\n", None);
        assert_eq!(a, 0);
        assert_eq!(b, 13);
        assert_eq!(map.locate(6), ("base.toml", 2, 1));
        assert_eq!(map.locate(b), ("delta.toml", 1, 1));
        assert_eq!(map.locate(b + 8), ("delta.toml", 2, 3));
        let p = map.problem(b + 8..b + 9, "here");
        assert_eq!(p.to_string(), "delta.toml:2:3: here");
    }
}
