//! `rate_class()`: the spec's rate classes, tested in order.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use sendapi_spec::{Path, Spec};

use crate::shapes::Shapes;
use crate::util::{ident, private};

/// The rate classes of a root type.
pub(super) struct Rate {
    /// The statics, `rate_class_of_value` and, when some class has a test,
    /// the private `rate_class` testing a body.
    pub items: TokenStream,
    /// The class of a body no test picks.
    default: TokenStream,
    /// Whether some class has a test (and `rate_class` exists).
    tested: bool,
}

fn class_static(name: &str) -> Ident {
    format_ident!("__RATE_{}", name.to_ascii_uppercase())
}

impl Rate {
    pub fn new(spec: &Spec, shapes: &Shapes) -> Rate {
        let p = private();
        let root = ident(&shapes.root);
        let classes = &spec.file().rate_classes;
        let statics = classes.iter().map(|(name, c)| {
            let s = class_static(name.get_ref());
            let n = name.get_ref();
            let (limit, per) = (c.limit, c.per_seconds);
            quote!(static #s: ::sendapi::RateClass = ::sendapi::RateClass { name: #n, limit: #limit, per_seconds: #per };)
        });
        let tests = tests(spec, shapes);
        let default = classes
            .iter()
            .find(|(_, c)| c.default)
            .map(|(name, _)| {
                let s = class_static(name.get_ref());
                quote!(&#s)
            })
            .unwrap_or_else(|| quote!(&::sendapi::RateClass::UNLIMITED));
        let tested = !tests.is_empty();
        let (of_value, test_fn) = if tested {
            (
                quote! {
                    let mut __cx = #p::de::Cx::new(&__rules::STRUCTURE);
                    match <#root as #p::de::FromJson>::from_json(body, &mut __cx) {
                        #p::Some(b) => rate_class(&b),
                        #p::None => #default,
                    }
                },
                quote! {
                    #[inline]
                    fn rate_class(this: &#root) -> &'static ::sendapi::RateClass {
                        let mut __cx = #p::check::Cx::new(::sendapi::Platform::Messenger, "");
                        let __cx = &mut __cx;
                        #(#tests)*
                        #default
                    }
                },
            )
        } else {
            (quote!(#default), quote!())
        };
        let of_value_doc = if tested {
            quote! {
                /// The rate class of a raw JSON body (for `sendapi::Unchecked`): the
                /// class of the typed body when it reads, the default class otherwise.
            }
        } else {
            quote! {
                /// The rate class of a raw JSON body (for `sendapi::Unchecked`):
                /// this snapshot has one class for every body.
            }
        };
        let items = quote! {
            #of_value_doc
            #[inline]
            pub fn rate_class_of_value(body: &#p::Value) -> &'static ::sendapi::RateClass {
                #of_value
            }

            #(#statics)*
            #test_fn
        };
        Rate {
            items,
            default,
            tested,
        }
    }

    /// The class of the body `body` (an expression of type `&Root`).
    pub fn of(&self, body: &TokenStream) -> TokenStream {
        if self.tested {
            quote!(rate_class(#body))
        } else {
            self.default.clone()
        }
    }
}

/// One block per `when` of every class but the default, returning the
/// class when the body matches.
fn tests(spec: &Spec, shapes: &Shapes) -> Vec<TokenStream> {
    let mut tests = Vec::new();
    for (name, c) in spec.file().rate_classes.iter().filter(|(_, c)| !c.default) {
        let s = class_static(name.get_ref());
        for w in &c.when {
            let Ok(path) = Path::parse(w.path.get_ref()) else {
                continue;
            };
            let wanted: Vec<String> = w
                .equals
                .iter()
                .chain(w.one_of.iter().flatten())
                .cloned()
                .collect();
            let code =
                crate::check::walk_strs(shapes, &shapes.root, &path.segs, &wanted, w.present);
            if !code.is_empty() {
                tests.push(quote! {
                    {
                        let mut __hit = false;
                        #code
                        if __hit { return &#s; }
                    }
                });
            }
        }
    }
    tests
}
