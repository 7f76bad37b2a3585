//! What `migrate` checks: the `.rs` files under each path, and in each file
//! the `request!` calls and the `#[derive(Message)]` types.

use std::path::{Component, Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, DeriveInput, Expr, Macro, Token};

/// The `.rs` files under `paths`, in a stable order, and why some path
/// could not be read. A path that is a file is taken whatever its name; a
/// directory is walked, skipping `target/` and hidden directories, and
/// following no symbolic link to a directory (a link cannot loop the walk).
pub fn rust_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut files, &mut problems),
            Ok(_) => files.push(path.clone()),
            Err(e) => problems.push(format!("{}: cannot read: {e}", shown(path))),
        }
    }
    (files, problems)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(format!("{}: cannot read the directory: {e}", shown(dir)));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            problems.push(format!("{}: cannot read its file type", shown(&path)));
            continue;
        };
        if kind.is_dir() {
            if !name.starts_with('.') && name != "target" {
                walk(&path, files, problems);
            }
        } else if name.ends_with(".rs") && (kind.is_file() || path.is_file()) {
            files.push(path);
        }
    }
}

/// A path as the user would write it: without a leading `./`.
pub fn shown(path: &Path) -> String {
    let trimmed: PathBuf = path
        .components()
        .skip_while(|c| *c == Component::CurDir)
        .collect();
    if trimmed.as_os_str().is_empty() {
        path.display().to_string()
    } else {
        trimmed.display().to_string()
    }
}

/// One thing to check.
pub enum Site {
    /// A `request!(…)` call.
    Call {
        /// The bundled snapshot its path names (`v21.0` for
        /// `sendapi::v21::request!`), if any.
        named: Option<&'static str>,
        /// What is between the parentheses.
        tokens: TokenStream,
        /// The macro path, where problems about the whole call go.
        at: Span,
    },
    /// A type deriving `Message`.
    Derive(Box<DeriveInput>),
}

/// The sites of one parsed file, in source order.
pub fn sites(file: &syn::File) -> Vec<Site> {
    let mut finder = Finder { sites: Vec::new() };
    finder.visit_file(file);
    finder.sites
}

struct Finder {
    sites: Vec<Site>,
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_macro(&mut self, mac: &'ast Macro) {
        let last = mac.path.segments.last().map(|s| s.ident.to_string());
        if last.as_deref() == Some("request") {
            self.sites.push(Site::Call {
                named: named_snapshot(&mac.path),
                tokens: mac.tokens.clone(),
                at: mac.path.span(),
            });
            return;
        }
        // syn leaves other macros' arguments as tokens; when they read as
        // expressions (`vec![…]`, `assert!(…)`, `println!(…)`), calls
        // inside them are found too.
        if let Ok(args) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
            for arg in &args {
                self.visit_expr(arg);
            }
        }
    }

    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        if derives_message(&item.attrs) {
            self.sites
                .push(Site::Derive(Box::new(DeriveInput::from(item.clone()))));
        }
        visit::visit_item_struct(self, item);
    }

    fn visit_item_enum(&mut self, item: &'ast syn::ItemEnum) {
        if derives_message(&item.attrs) {
            self.sites
                .push(Site::Derive(Box::new(DeriveInput::from(item.clone()))));
        }
        visit::visit_item_enum(self, item);
    }

    fn visit_item_union(&mut self, item: &'ast syn::ItemUnion) {
        if derives_message(&item.attrs) {
            self.sites
                .push(Site::Derive(Box::new(DeriveInput::from(item.clone()))));
        }
        visit::visit_item_union(self, item);
    }
}

/// The bundled snapshot a module path names: the module of a bundled
/// snapshot (`v21`, `v26`) or `latest`, the nearest to the macro winning.
fn named_snapshot(path: &syn::Path) -> Option<&'static str> {
    path.segments.iter().rev().skip(1).find_map(|segment| {
        let module = segment.ident.to_string();
        if module == "latest" {
            return Some("latest");
        }
        sendapi_spec::BUNDLED
            .iter()
            .copied()
            .find(|name| sendapi_codegen::bundled_module(name) == module)
    })
}

/// Whether a `#[derive(…)]` among `attrs` names a path ending in `Message`.
fn derives_message(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .is_ok_and(|paths| {
                    paths
                        .iter()
                        .any(|p| p.segments.last().is_some_and(|s| s.ident == "Message"))
                })
        })
}
