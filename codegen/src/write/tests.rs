//! Tests of the layouts: blank lines between formatted items, a line per compact item.

use super::*;

#[cfg(feature = "format")]
#[test]
fn items_are_separated_by_one_blank_line_at_every_level() {
    let tokens: TokenStream = syn::parse_str(
        "pub mod a; pub mod b; use std::fmt; use std::io;
         /// A thing; documented.
         /// Its second line; with a semicolon too.
         pub struct Thing { pub a: i32, pub b: i32 }
         impl Thing {
             pub const ONE: i32 = 1;
             /// First.
             pub fn first(&self) -> i32 { let x = self.a; if x > 0 { x } else { 0 } }
             pub fn second(&self) -> i32 { self.b }
         }
         const LAST: i32 = 2;",
    )
    .expect("parses");
    let formatted = render(tokens, "preamble", Layout::Formatted).expect("formats");
    let expected = "// preamble

pub mod a;
pub mod b;
use std::fmt;
use std::io;

/// A thing; documented.
/// Its second line; with a semicolon too.
pub struct Thing {
    pub a: i32,
    pub b: i32,
}

impl Thing {
    pub const ONE: i32 = 1;

    /// First.
    pub fn first(&self) -> i32 {
        let x = self.a;
        if x > 0 { x } else { 0 }
    }

    pub fn second(&self) -> i32 {
        self.b
    }
}

const LAST: i32 = 2;
";
    assert_eq!(formatted, expected);
}

#[cfg(feature = "format")]
#[test]
fn statements_stay_together() {
    let source = "fn f() {\n    let a = 1;\n    let b = 2;\n    if a > b {\n        g();\n    }\n    h();\n}\n";
    assert_eq!(separate_items(source), source);
}

#[test]
fn compact_text_puts_each_top_level_item_on_a_line_of_its_own() {
    let tokens = quote::quote! {
        #[doc = " A thing."]
        pub struct Thing { pub a: i32 }
        impl Thing { pub fn a(&self) -> i32 { self.a } }
        crate::runtime::serialize_properties!(Thing);
        const NAMES: &[&str] = &["a", "b"];
    };
    let compact = render(tokens, "preamble", Layout::Compact).expect("renders");
    let lines: Vec<&str> = compact.lines().collect();
    assert_eq!(lines.len(), 5, "{compact}");
    assert_eq!(lines[0], "// preamble");
    assert!(
        lines[1].starts_with("# [doc = \" A thing.\"] pub struct Thing {"),
        "{compact}"
    );
    assert!(
        lines[2].starts_with("impl Thing {") && lines[2].ends_with('}'),
        "{compact}"
    );
    assert_eq!(
        lines[3],
        "crate :: runtime :: serialize_properties ! (Thing) ;"
    );
    assert!(lines[4].starts_with("const NAMES"), "{compact}");
}
