//! Tests of diagnostic rendering: carets, sorting, locations and help lines.

use super::*;

#[test]
fn caret_covers_a_plain_or_quoted_token() {
    assert_eq!(token_width("int  # comment"), 3);
    assert_eq!(token_width("\"two words\", x"), 11);
    assert_eq!(token_width("enum<e>}"), 7);
    assert_eq!(token_width(""), 0);
}

#[test]
fn problems_render_sorted_with_location_and_help() {
    let mut diagnostics = Diagnostics::default();
    let file = diagnostics.add_file(Path::new("a.yaml"), "x: 1\ntype: int\n".to_owned());
    diagnostics.error(
        Location {
            file,
            line: 2,
            column: 7,
        },
        "unknown type `int`",
        "use int32",
    );
    diagnostics.error(Location::file_start(file), "first", "");
    assert_eq!(
        diagnostics.summary_lines(),
        [
            "a.yaml:1:1: error: first",
            "a.yaml:2:7: error: unknown type `int`"
        ]
    );
    let rendered = diagnostics.to_string();
    assert!(rendered.contains("a.yaml:2:7"), "{rendered}");
    assert!(rendered.contains("^^^"), "{rendered}");
    assert!(rendered.contains("help: use int32"), "{rendered}");
    assert!(rendered.ends_with("error: 2 problems in the schemas"));
}

#[test]
fn a_location_past_the_text_points_at_where_the_text_ends() {
    let mut diagnostics = Diagnostics::default();
    let file = diagnostics.add_file(Path::new("a.yaml"), "x: 1\nab".to_owned());
    let at = |line, column| Location { file, line, column };
    diagnostics.error(at(5, 1), "past the last line", "h");
    diagnostics.error(at(1, 40), "past the end of a line", "h");
    diagnostics.error(at(2, 3), "at the end of the last line", "h");
    assert_eq!(
        diagnostics.summary_lines(),
        [
            "a.yaml:1:5: error: past the end of a line",
            "a.yaml:2:3: error: past the last line",
            "a.yaml:2:3: error: at the end of the last line",
        ]
    );
}
