//! Tests of the wire-name rules: which CLI option names take a REST source's spelling.

use super::*;
use crate::diagnostics::Location;
use crate::import::source::{DocType, Param, Sourced};

fn param(name: &str) -> Param {
    Param {
        wire_name: name.to_owned(),
        ty: DocType::Bool,
        required: false,
        description: String::new(),
        at: Location::file_start(0),
    }
}

fn facts(kind: SourceKind, names: &[&str]) -> EntityFacts {
    EntityFacts {
        source: format!("{kind:?}"),
        entity: "Thing".to_owned(),
        kind,
        create: Some(names.iter().map(|name| param(name)).collect()),
        ..EntityFacts::default()
    }
}

#[test]
fn each_rule_renames_an_option_to_the_name_a_rest_source_spells() {
    let mut sources = [
        facts(
            SourceKind::Reference,
            &[
                "DefaultPrice",
                "BillToTaxIdNumber",
                "CancelMemberAccountAfter",
                "InvoiceDisplay",
                "Price",
                "NewSince2020",
            ],
        ),
        facts(
            SourceKind::ApiDocs2020,
            &[
                "IsDefaultPrice",
                "BillToTaxIDNumber",
                "CancelMemeberAccountAfter",
                "InvoiceLineDisplayAs",
                "Price",
            ],
        ),
    ];
    let reconciled = reconcile(&mut sources, &[]);
    let renames: Vec<(&str, &str, Cause)> = reconciled
        .renames
        .iter()
        .map(|r| (r.rebuilt.as_str(), r.spelled.as_str(), r.cause))
        .collect();
    assert_eq!(
        renames,
        [
            ("BillToTaxIdNumber", "BillToTaxIDNumber", Cause::Case),
            (
                "CancelMemberAccountAfter",
                "CancelMemeberAccountAfter",
                Cause::Typo
            ),
            ("DefaultPrice", "IsDefaultPrice", Cause::Prefix),
            ("InvoiceDisplay", "InvoiceLineDisplayAs", Cause::Shortened),
        ]
    );
    let names: Vec<&str> = sources[0]
        .create
        .iter()
        .flatten()
        .map(|p| p.wire_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "IsDefaultPrice",
            "BillToTaxIDNumber",
            "CancelMemeberAccountAfter",
            "InvoiceLineDisplayAs",
            "Price",
            "NewSince2020"
        ]
    );
    assert_eq!(reconciled.spelling("Price"), Spelling::ApiDocs2020);
    assert_eq!(reconciled.spelling("NewSince2020"), Spelling::CliOption);
}

#[test]
fn a_name_an_option_already_has_or_two_options_fit_is_never_taken() {
    let mut sources = [
        facts(
            SourceKind::Reference,
            &["MinLength", "Tariff", "Active", "IsActive"],
        ),
        facts(
            SourceKind::ApiDocs2020,
            &["MaxLength", "Tariffs", "IsActive"],
        ),
    ];
    let reconciled = reconcile(&mut sources, &[]);
    assert!(reconciled.renames.is_empty(), "{:?}", reconciled.renames);
}

#[test]
fn prose_spells_names_but_options_do_not() {
    let mut reference = facts(SourceKind::Reference, &["PrintingCredit"]);
    reference.spelled.push(Sourced {
        value: "IsPrintingCredit".to_owned(),
        at: Location::file_start(0),
    });
    let mut sources = [reference];
    let reconciled = reconcile(&mut sources, &[]);
    assert_eq!(reconciled.renames.len(), 1);
    assert_eq!(
        reconciled.spelling("IsPrintingCredit"),
        Spelling::ReferenceProse
    );
}

#[test]
fn one_letter_apart_counts_letters_only() {
    assert!(one_letter_apart(
        "CanBeUsedForEvents",
        "CaneBeUsedForEvents"
    ));
    assert!(is_subsequence(
        &words("ShortIntro"),
        &words("ShortIntroduction")
    ));
    assert!(!is_subsequence(
        &words("CoworkerId"),
        &words("CoworkerIdentityCheck")
    ));
    assert!(one_letter_apart("Colour", "Color"));
    assert!(one_letter_apart("Colour", "Colonr"));
    assert!(!one_letter_apart("Image1", "Image2"));
    assert!(!one_letter_apart("FromTime", "ToTime"));
}
