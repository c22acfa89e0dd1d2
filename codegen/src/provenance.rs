//! Where each wire name comes from: the `spelled_by` of every schema field, and the names that
//! only a CLI option attests, which are guesses until a source that shows the server's JSON
//! spells them.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostics, Location};

/// What attests a field's wire name, from the strongest evidence to none: the words of a
/// schema's `spelled_by`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Spelling {
    /// `page`: a documentation page of the operation shows the property.
    Page,
    /// `api-docs-2020`: the vendor's API documentation of 2020 shows it (a filter's query string,
    /// a body, a JSON example).
    ApiDocs2020,
    /// `reference-prose`: the vendor reference's prose spells it in backticks.
    ReferenceProse,
    /// `public-code`: public code that calls the API reads or writes it (the notes say where).
    PublicCode,
    /// `reviewer`: a reviewer settled it from evidence the notes give.
    Reviewer,
    /// `cli-option`: only the vendor CLI's option name attests it, rebuilt: a guess.
    CliOption,
}

impl Spelling {
    /// Every spelling, in order of strength.
    pub(crate) const ALL: [Self; 6] = [
        Self::Page,
        Self::ApiDocs2020,
        Self::ReferenceProse,
        Self::PublicCode,
        Self::Reviewer,
        Self::CliOption,
    ];

    /// The schema's word for it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Page => "page",
            Self::ApiDocs2020 => "api-docs-2020",
            Self::ReferenceProse => "reference-prose",
            Self::PublicCode => "public-code",
            Self::Reviewer => "reviewer",
            Self::CliOption => "cli-option",
        }
    }

    /// The spelling a schema's word names; `None` for any other word.
    pub(crate) fn parse(word: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|spelling| spelling.as_str() == word)
    }

    /// Whether a reviewer, not a source the importer reads, settled the name.
    #[cfg(feature = "import")]
    pub(crate) fn is_reviewed(self) -> bool {
        matches!(self, Self::PublicCode | Self::Reviewer)
    }
}

/// One schema field and what attests its wire name.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldSpelling {
    /// The schema file.
    pub file: PathBuf,
    /// The 1-based line and column of the field's `name`.
    pub line: usize,
    /// See [`line`](Self::line).
    pub column: usize,
    /// The entity, `ExtraService`.
    pub entity: String,
    /// The wire name, `IsDefaultPrice`.
    pub name: String,
    /// The field's `spelled_by`; `None` when the schema does not say.
    pub spelled_by: Option<String>,
}

impl FieldSpelling {
    /// Whether nothing but a CLI option attests the name (or the schema does not say).
    pub fn is_guess(&self) -> bool {
        self.spelled_by
            .as_deref()
            .is_none_or(|word| word == "cli-option")
    }
}

/// Every field of the schemas in `input` with what attests its wire name, in file and field
/// order; the load problems when a file does not load.
pub fn spellings(input: &Path) -> Result<Vec<FieldSpelling>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let raw = crate::load::load(input, &mut diagnostics);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut found = Vec::new();
    for entity in &raw {
        let name = entity
            .entity
            .as_ref()
            .map(|name| name.as_str().to_owned())
            .unwrap_or_default();
        for field in &entity.fields {
            let at = Location::from_marker(entity.file, field.name.span().start());
            found.push(FieldSpelling {
                file: diagnostics.file_path(entity.file).to_path_buf(),
                line: at.line,
                column: at.column,
                entity: name.clone(),
                name: field.name.as_str().to_owned(),
                spelled_by: field.spelled_by.as_ref().map(|s| s.as_str().to_owned()),
            });
        }
    }
    Ok(found)
}
