//! Generates the `security` area's entity code from its folder of schemas into `OUT_DIR`.

fn main() -> std::process::ExitCode {
    let folder = nexudus_schema::build_script_area_dir("security");
    let generated =
        nexudus_codegen::generate_area(&folder, "security", nexudus_codegen::Layout::Compact);
    nexudus_codegen::finish_build_script(generated)
}
