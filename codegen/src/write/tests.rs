//! Tests of formatting: the blank lines put between items.

use super::*;

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
    let formatted = format(tokens, "preamble").expect("formats");
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

#[test]
fn statements_stay_together() {
    let source = "fn f() {\n    let a = 1;\n    let b = 2;\n    if a > b {\n        g();\n    }\n    h();\n}\n";
    assert_eq!(separate_items(source), source);
}
