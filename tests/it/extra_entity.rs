//! Adding an entity is adding one schema file: a fixture entity is generated, compiled into the SDK
//! by its build script, and used from a separate program.

use std::path::{Path, PathBuf};

use crate::program::Program;
use crate::workspace;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/extra/Voucher.yaml")
}

/// `schema/` plus the fixture, in a folder of their own, laid out as `schema/` is (a folder per
/// API area).
fn schema_folder_with_fixture(root: &Path) -> PathBuf {
    let folder = root.join("schema");
    let areas = std::fs::read_dir(workspace().join("schema")).expect("read schema/");
    for area in areas.map(|entry| entry.expect("a folder entry").path()) {
        if !area.is_dir() {
            continue;
        }
        let copy = folder.join(area.file_name().expect("a folder name"));
        std::fs::create_dir_all(&copy).expect("create an area's folder");
        for entry in std::fs::read_dir(&area).expect("read an area's folder") {
            let entry = entry.expect("a folder entry").path();
            std::fs::copy(&entry, copy.join(entry.file_name().expect("a file name")))
                .expect("copy a schema");
        }
    }
    std::fs::copy(fixture(), folder.join("billing/Voucher.yaml")).expect("copy the fixture");
    folder
}

#[test]
fn the_fixture_entity_generates_alongside_the_others() {
    let root = tempfile::tempdir().expect("a temporary folder");
    let output = nexudus_codegen::generate(&schema_folder_with_fixture(root.path()))
        .unwrap_or_else(|problems| panic!("{problems}"));
    let voucher = output
        .for_schema("Voucher.yaml")
        .expect("the fixture is generated");
    assert_eq!(voucher.path, Path::new("billing/voucher.rs"));
    assert!(
        output.for_schema("EmailAccount.yaml").is_some(),
        "the existing entity is still there"
    );
    insta::assert_snapshot!(voucher.source);
}

const PROGRAM: &str = r#"
use nexudus::billing::voucher::{
    VoucherChannel, VoucherCreate, VoucherCreateRequired, VoucherFilter, VoucherKind, VoucherSort,
};

fn main() {
    let request = VoucherCreate::new(VoucherCreateRequired {
        code: "SPRING".into(),
        kind: VoucherKind::Percentage,
        discount: "12.5".parse().expect("a decimal"),
    })
    .r#type("promo")
    .product_ids(vec![3, 5])
    .channel(VoucherChannel::from(7))
    .redemption_secret("hunter2-partner");
    println!("{}", serde_json::to_string(&request).expect("serializes"));
    println!("debug shows the secret: {}", format!("{request:?}").contains("hunter2"));

    let invalid = VoucherCreate::new(VoucherCreateRequired {
        code: " ".into(),
        kind: VoucherKind::from(9),
        discount: "1".parse().expect("a decimal"),
    })
    .max_uses(0)
    .r#type("");
    for error in invalid.validate().expect_err("invalid") {
        println!("{}: {}", error.property_name, error.message);
    }

    let client = nexudus::Client::builder().bearer_token("token").build().expect("a client");
    // Compiling the calls is the point; the HTTP behaviour is tested on EmailAccount and in the
    // runtime.
    let vouchers = client.vouchers();
    drop(vouchers.create(&request));
    let filter = VoucherFilter::new()
        .partner_id(12)
        .from_max_uses(2)
        .to_discount("50".parse().expect("a decimal"))
        .r#type("promo")
        .kind(VoucherKind::FixedAmount);
    let page = nexudus::PageRequest::new().order_by(VoucherSort::Discount, nexudus::SortDirection::Ascending);
    drop(vouchers.search(&filter, &page));
    drop(vouchers.search_all(&filter, page));
    drop(vouchers.get_many(&[1, 2]));
    drop(vouchers.commands());
    drop(vouchers.run_command("ARCHIVE", &[1], &[nexudus::CommandParameter::new("Reason", "string", "expired")]));
    drop(vouchers.delete(1));
}
"#;

#[test]
fn a_new_schema_file_compiles_into_the_sdk_and_works() {
    let root = tempfile::tempdir().expect("a temporary folder");
    let schemas = schema_folder_with_fixture(root.path());
    let program = Program::new(
        root.path(),
        "voucher-app",
        "rust_decimal = \"1\"\nserde_json = \"1\"\n",
        PROGRAM,
        schemas,
    );
    let output = program.cargo(&["run", "--quiet", "--offline"], &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the program failed to build or run:\n{stderr}\n{stdout}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    let body: serde_json::Value = serde_json::from_str(lines[0]).expect("JSON on the first line");
    assert_eq!(
        body,
        serde_json::json!({
            "Code": "SPRING", "Kind": 1, "Channel": 7, "Discount": 12.5, "MaxUses": 1,
            "ProductIds": [3, 5], "Type": "promo", "RedemptionSecret": "hunter2-partner"
        })
    );
    assert_eq!(lines[1], "debug shows the secret: false");
    assert_eq!(
        lines[2..],
        [
            "Code: is a required field",
            "MaxUses: must be at least 1",
            "Type: must not be blank"
        ]
    );
}
