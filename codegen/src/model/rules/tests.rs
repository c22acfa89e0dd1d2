//! Tests of the value rules: good values pass, and a broken rule is named in the shared words.

use super::*;

#[test]
fn each_rule_passes_good_values_and_names_what_is_wrong() {
    assert_eq!(required(" \t"), Some(REQUIRED));
    assert_eq!(required("x"), None);
    assert_eq!(not_blank(""), Some(NOT_BLANK));
    assert_eq!(not_blank(" y "), None);
    assert_eq!(email("desk@example.com"), None);
    assert_eq!(email("not an address"), Some(NOT_AN_EMAIL));
    assert_eq!(email("  "), None, "blank is for the other rules");
    assert_eq!(
        range(0, Some(1), Some(65535)).as_deref(),
        Some("must be between 1 and 65535")
    );
    assert_eq!(
        range(65535, Some(1), Some(65535)),
        None,
        "bounds are included"
    );
    assert_eq!(
        range(-1, Some(0), None).as_deref(),
        Some("must be at least 0")
    );
    assert_eq!(
        range(11, None, Some(10)).as_deref(),
        Some("must be at most 10")
    );
    assert_eq!(range(i64::MIN, None, None), None);
}
