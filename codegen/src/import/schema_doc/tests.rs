//! Tests of the schema writer: plain and quoted scalars, folded notes, and the committed schema
//! written back byte for byte.

use super::*;

#[test]
fn scalars_are_plain_only_when_they_read_back_the_same() {
    assert_eq!(scalar("Display Name."), "Display Name.");
    assert_eq!(scalar("true"), "\"true\"");
    assert_eq!(scalar("0"), "\"0\"");
    assert_eq!(scalar("a: b"), "\"a: b\"");
    assert_eq!(scalar("- item"), "\"- item\"");
    assert_eq!(scalar(""), "\"\"");
    assert_eq!(flow_scalar("IMAP, the only one"), "\"IMAP, the only one\"");
    assert_eq!(quoted("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
}

#[test]
fn folded_notes_wrap_and_keep_every_word() {
    let mut out = String::new();
    let text = "word ".repeat(40);
    folded_entry(&mut out, "    ", "notes", text.trim());
    assert!(out.lines().all(|line| line.len() <= WRAP));
    let words: usize = out
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().count())
        .sum();
    assert_eq!(words, 40);
}

/// Whole schema files: what the importer writes reads back as what it was written from.
mod round_trip {
    use super::*;

    /// The committed schema is in the layout the importer writes, so re-importing it changes
    /// only what the documentation changed.
    #[test]
    fn the_committed_schema_is_written_back_byte_for_byte() {
        let path = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../schema/crm/EmailAccount.yaml"
        ));
        let text = std::fs::read_to_string(path).expect("the schema is readable");
        let mut diagnostics = crate::Diagnostics::default();
        let raw = crate::load::load(path, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics}");
        let written = SchemaDoc::from_raw(&raw[0], &text).to_yaml();
        assert_eq!(written, text);
    }
}
