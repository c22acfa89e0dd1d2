//! Problems found in schema files, each pointing at a file, line and column, rendered like rustc's.

use std::fmt;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Chars, Config};

/// Identifies one loaded schema file inside [`Diagnostics`].
pub(crate) type FileId = usize;

/// A position in a schema file: 1-based line and column, as editors count them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Location {
    pub(crate) file: FileId,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl Location {
    /// The start of a file, for problems that concern the whole file.
    pub(crate) fn file_start(file: FileId) -> Self {
        Self {
            file,
            line: 1,
            column: 1,
        }
    }

    /// The location of a YAML marker, or the file start when the parser recorded none.
    pub(crate) fn from_marker(file: FileId, marker: Option<&marked_yaml::Marker>) -> Self {
        marker.map_or(Self::file_start(file), |marker| Self {
            file,
            line: marker.line().max(1),
            column: marker.column().max(1),
        })
    }
}

/// One problem: where it is, what is wrong, and how to fix it.
#[derive(Clone, Debug)]
struct Problem {
    location: Location,
    message: String,
    help: Option<String>,
    related: Vec<(Location, String)>,
}

/// Every problem found in one run, with the files they point into.
///
/// `Display` renders each problem with its source line, a caret under the offending text and a
/// `help:` line, then a count. The checker collects into one `Diagnostics` so that a single run
/// reports every problem in every file.
#[derive(Default)]
pub struct Diagnostics {
    files: Vec<(PathBuf, String)>,
    problems: Vec<Problem>,
    /// What the problems were found in, for the count line; schemas unless said otherwise.
    in_sources: bool,
}

impl Diagnostics {
    /// Diagnostics of documentation sources being imported, rather than of schemas.
    #[cfg(feature = "import")]
    pub(crate) fn for_sources() -> Self {
        Self {
            in_sources: true,
            ..Self::default()
        }
    }

    pub(crate) fn add_file(&mut self, path: &Path, text: String) -> FileId {
        self.files.push((path.to_path_buf(), text));
        self.files.len() - 1
    }

    pub(crate) fn file_path(&self, file: FileId) -> &Path {
        &self.files[file].0
    }

    /// Records a problem at `location`; `help` says how to fix it.
    pub(crate) fn error(
        &mut self,
        location: Location,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> &mut Self {
        let help = help.into();
        let location = self.within_file(location);
        self.problems.push(Problem {
            location,
            message: message.into(),
            help: (!help.is_empty()).then_some(help),
            related: Vec::new(),
        });
        self
    }

    /// Adds a secondary location to the problem recorded last, e.g. the first of two duplicates.
    pub(crate) fn also(&mut self, location: Location, note: impl Into<String>) {
        let location = self.within_file(location);
        if let Some(problem) = self.problems.last_mut() {
            problem.related.push((location, note.into()));
        }
    }

    /// True when no problem has been recorded.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// How many problems were recorded.
    pub fn len(&self) -> usize {
        self.problems.len()
    }

    /// Each problem as one line, `file:line:col: error: message`, in file and line order.
    pub fn summary_lines(&self) -> Vec<String> {
        self.sorted()
            .iter()
            .map(|problem| {
                let Location { file, line, column } = problem.location;
                format!(
                    "{}:{line}:{column}: error: {}",
                    self.files[file].0.display(),
                    problem.message
                )
            })
            .collect()
    }

    fn sorted(&self) -> Vec<&Problem> {
        let mut problems: Vec<&Problem> = self.problems.iter().collect();
        // Stable sort: problems at the same place keep the order the checker found them in.
        problems.sort_by_key(|problem| problem.location);
        problems
    }

    /// `location`, moved onto the file's text when it points past it: a YAML parser's marker
    /// at the end of input can name the line after the last one. A problem then points at the
    /// end of the last line, where the input stopped.
    fn within_file(&self, location: Location) -> Location {
        let Some((_, text)) = self.files.get(location.file) else {
            return location;
        };
        let lines: Vec<&str> = text.split('\n').collect();
        let line = location.line.clamp(1, lines.len());
        let width = lines[line - 1].chars().count();
        let column = if line < location.line {
            width + 1
        } else {
            location.column.clamp(1, width + 1)
        };
        Location {
            file: location.file,
            line,
            column,
        }
    }

    fn byte_range(&self, location: Location) -> std::ops::Range<usize> {
        let text = &self.files[location.file].1;
        let line_start = text
            .split_inclusive('\n')
            .take(location.line.saturating_sub(1))
            .map(str::len)
            .sum::<usize>();
        let line = text[line_start.min(text.len())..]
            .split('\n')
            .next()
            .unwrap_or_default();
        let start = line
            .char_indices()
            .nth(location.column.saturating_sub(1))
            .map_or(line.len(), |(offset, _)| offset);
        let rest = &line[start..];
        let width = token_width(rest);
        line_start + start..line_start + start + width
    }
}

/// The byte length of the YAML token at the start of `rest`: a quoted string, or a plain scalar
/// up to the next separator. Markers only give a start, so this decides what the caret covers.
fn token_width(rest: &str) -> usize {
    let mut chars = rest.char_indices();
    match chars.next() {
        None => 0,
        Some((_, quote @ ('"' | '\''))) => chars
            .find(|&(_, c)| c == quote)
            .map_or(rest.len(), |(offset, c)| offset + c.len_utf8()),
        Some(_) => rest
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#'))
            .map_or(rest.len(), |end| end.max(1)),
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut files = SimpleFiles::new();
        for (path, text) in &self.files {
            files.add(path.display().to_string(), text.as_str());
        }
        let config = Config {
            chars: Chars::ascii(),
            ..Config::default()
        };
        for problem in self.sorted() {
            let mut labels = vec![Label::primary(
                problem.location.file,
                self.byte_range(problem.location),
            )];
            labels.extend(problem.related.iter().map(|(location, note)| {
                Label::secondary(location.file, self.byte_range(*location)).with_message(note)
            }));
            let report = Report::error()
                .with_message(&problem.message)
                .with_labels(labels)
                .with_notes(
                    problem
                        .help
                        .iter()
                        .map(|help| format!("help: {help}"))
                        .collect(),
                );
            let rendered =
                term::emit_into_string(&config, &files, &report).map_err(|_| fmt::Error)?;
            f.write_str(&rendered)?;
        }
        let count = self.problems.len();
        write!(
            f,
            "error: {count} problem{} in the {}",
            if count == 1 { "" } else { "s" },
            if self.in_sources {
                "sources"
            } else {
                "schemas"
            }
        )
    }
}

impl fmt::Debug for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.summary_lines()).finish()
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests;
