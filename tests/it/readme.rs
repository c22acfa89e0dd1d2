//! The READMEs' Rust examples, compiled as written (`tests/build.rs` writes them out), and a check
//! that none was left out.

include!(concat!(env!("OUT_DIR"), "/readme.rs"));

#[test]
fn every_rust_block_of_every_readme_is_compiled() {
    let mut files: Vec<&str> = COMPILED.iter().map(|(file, _)| *file).collect();
    files.dedup();
    assert!(
        files.contains(&"README.md") && files.contains(&"generated/README.md"),
        "the SDK's READMEs have examples: {files:?}"
    );
    for file in files {
        let text = std::fs::read_to_string(crate::workspace().join(file)).expect("a README");
        let fences: Vec<usize> = text
            .lines()
            .enumerate()
            .filter(|(_, line)| line.trim_start().starts_with("```rust"))
            .map(|(index, _)| index + 1)
            .collect();
        let compiled: Vec<usize> = COMPILED
            .iter()
            .filter(|(name, _)| *name == file)
            .map(|(_, line)| *line)
            .collect();
        assert_eq!(
            compiled, fences,
            "{file}: every ```rust block, at these lines"
        );
    }
}
