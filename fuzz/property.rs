//! What fuzzing the schema pipeline checks, for the cargo-fuzz target (`fuzz_targets/check.rs`)
//! and the bounded run in the tests (`tests/it/fuzz.rs`): whatever the bytes of a schema file,
//! `generate` neither panics nor hangs (the callers bound the time), every problem it reports is
//! located inside the file (a line and column the file has), the report renders, and a schema
//! that `check` accepts gives code that parses (`generate` parses what it emits, and reports an
//! internal error otherwise).

use std::path::Path;

/// Writes `bytes` as the schema file `Fuzz.yaml` in `folder`, generates, and says what broke
/// the property, if anything. A panic inside the generator is left to unwind to the caller.
pub fn check_schema_bytes(folder: &Path, bytes: &[u8]) -> Result<(), String> {
    let file = folder.join("Fuzz.yaml");
    std::fs::write(&file, bytes).map_err(|error| format!("cannot write the input: {error}"))?;
    let problems = match nexudus_codegen::generate(&file) {
        Ok(_) => return Ok(()),
        Err(problems) => problems,
    };
    if problems.is_empty() {
        return Err("generate failed without a problem".to_owned());
    }
    let rendered = problems.to_string();
    if rendered.contains("internal error") {
        return Err(format!(
            "accepted by check, but the code does not parse:\n{rendered}"
        ));
    }
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.split('\n').collect();
    let prefix = format!("{}:", file.display());
    for summary in problems.summary_lines() {
        let located = summary
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split_once(": error: "))
            .and_then(|(place, _)| place.split_once(':'))
            .and_then(|(line, column)| {
                Some((line.parse::<usize>().ok()?, column.parse::<usize>().ok()?))
            });
        let Some((line, column)) = located else {
            return Err(format!(
                "a problem without a location in the file: {summary}"
            ));
        };
        // Columns count characters from 1; one past the end of a line points at its end.
        let inside = line >= 1
            && lines
                .get(line - 1)
                .is_some_and(|text| column >= 1 && column <= text.chars().count() + 1);
        if !inside {
            return Err(format!("a location outside the file: {summary}"));
        }
    }
    Ok(())
}
