//! Wire names: which source spells each property, and the CLI option names that REST sources
//! spell otherwise.
//!
//! The vendor reference is generated for a CLI whose option names are not always the server's
//! property names: it drops prefixes (`--default-price` for `IsDefaultPrice`), shortens
//! (`--invoice-display` for `InvoiceLineDisplayAs`), corrects the API's typos
//! (`--cancel-member-account-after` for `CancelMemeberAccountAfter`) and flattens capitals
//! (`--bill-to-tax-id-number` for `BillToTaxIDNumber`). A name a REST source spells (a
//! documentation page, the 2020 API documentation, a backticked name in the reference's prose) is
//! what the server reads and writes, so it beats a name rebuilt from an option. Rules, in order,
//! each applied only where exactly one spelled name fits and no option already has that name:
//!
//! 1. **case**: the same letters in another case;
//! 2. **prefix**: the spelled name is the option's with a leading `Is`, `Use`, `To`, `Has` or
//!    `Can`;
//! 3. **typo**: one letter inserted, removed or changed, in names of at least eight letters (not
//!    a trailing `s`, which tells a list from its item);
//! 4. **shortened**: the option's words appear in order in the spelled name, which starts with
//!    the same word (`InvoiceDisplay` in `InvoiceLineDisplayAs`).

use std::collections::{BTreeMap, BTreeSet};

use crate::import::source::{EntityFacts, SourceKind};
pub(crate) use crate::provenance::Spelling;

/// Why an option's rebuilt name was replaced by a spelled one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cause {
    Case,
    Prefix,
    Typo,
    Shortened,
}

impl Cause {
    fn describe(self) -> &'static str {
        match self {
            Self::Case => "its letter case differs",
            Self::Prefix => "the option drops a prefix",
            Self::Typo => "the option corrects a typo of the API's",
            Self::Shortened => "the option shortens it",
        }
    }
}

/// One option name replaced by the spelled wire name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rename {
    pub(crate) rebuilt: String,
    pub(crate) spelled: String,
    pub(crate) cause: Cause,
    /// The source that spells it, as the schema's `sources` name it.
    pub(crate) source: String,
}

impl Rename {
    /// The note the schema keeps on the field.
    pub(crate) fn note(&self) -> String {
        format!(
            "The vendor reference's option rebuilds as `{}`; {} spells `{}` ({}). The schema \
             follows the REST spelling.",
            self.rebuilt,
            self.source,
            self.spelled,
            self.cause.describe()
        )
    }
}

/// What reconciling one entity's sources found: the renames made, names that could not be
/// settled, and who spells each name.
#[derive(Debug, Default)]
pub(crate) struct Reconciled {
    pub(crate) renames: Vec<Rename>,
    /// Options with more than one spelled name fitting them, left as rebuilt, with the candidates.
    pub(crate) ambiguous: Vec<(String, Vec<String>)>,
    /// The strongest spelling of every name a source spells, and its source.
    pub(crate) spellings: BTreeMap<String, (Spelling, String)>,
}

impl Reconciled {
    /// How the wire name `name` is attested.
    pub(crate) fn spelling(&self, name: &str) -> Spelling {
        self.spellings
            .get(name)
            .map_or(Spelling::CliOption, |(spelling, _)| *spelling)
    }
}

/// Renames, in the reference's facts, every option whose rebuilt name a REST source spells
/// otherwise, and says who spells each name. `reviewed` are the names a reviewer settled in the
/// schema from other evidence (`public-code`, `reviewer`): they count as spelled, so a re-import
/// keeps them and their word.
pub(crate) fn reconcile(facts: &mut [EntityFacts], reviewed: &[(String, Spelling)]) -> Reconciled {
    let mut result = Reconciled::default();
    for (name, spelling) in reviewed {
        result
            .spellings
            .insert(name.clone(), (*spelling, "a reviewer".to_owned()));
    }
    for fact in facts.iter() {
        let spelling = match fact.kind {
            SourceKind::Page => Spelling::Page,
            SourceKind::ApiDocs2020 => Spelling::ApiDocs2020,
            SourceKind::Reference => Spelling::ReferenceProse,
        };
        let mut names: Vec<&str> = fact.spelled.iter().map(|s| s.value.as_str()).collect();
        if fact.kind.spells_wire_names() {
            names.extend(fact.params().map(|p| p.wire_name.as_str()));
        }
        for name in names {
            let entry = result
                .spellings
                .entry(name.to_owned())
                .or_insert((spelling, fact.source.clone()));
            if spelling < entry.0 {
                *entry = (spelling, fact.source.clone());
            }
        }
    }

    let rebuilt: BTreeSet<String> = facts
        .iter()
        .filter(|fact| fact.kind == SourceKind::Reference)
        .flat_map(EntityFacts::params)
        .map(|param| param.wire_name.clone())
        .collect();
    // A spelled name that an option already has is taken.
    let free: Vec<&String> = result
        .spellings
        .keys()
        .filter(|name| !rebuilt.contains(*name))
        .collect();
    let mut claimed: BTreeMap<String, Vec<(String, Cause)>> = BTreeMap::new();
    for name in rebuilt
        .iter()
        .filter(|name| !result.spellings.contains_key(*name))
    {
        for cause in [Cause::Case, Cause::Prefix, Cause::Typo, Cause::Shortened] {
            let fits: Vec<&String> = free
                .iter()
                .copied()
                .filter(|spelled| fits(cause, name, spelled))
                .collect();
            match fits.as_slice() {
                [] => continue,
                [one] => claimed
                    .entry((*one).clone())
                    .or_default()
                    .push((name.clone(), cause)),
                many => result.ambiguous.push((
                    name.clone(),
                    many.iter().map(|spelled| (*spelled).clone()).collect(),
                )),
            }
            break;
        }
    }
    for (spelled, options) in claimed {
        if let [(rebuilt, cause)] = options.as_slice() {
            let source = result.spellings[&spelled].1.clone();
            result.renames.push(Rename {
                rebuilt: rebuilt.clone(),
                spelled,
                cause: *cause,
                source,
            });
        } else {
            for (rebuilt, _) in options {
                result.ambiguous.push((rebuilt, vec![spelled.clone()]));
            }
        }
    }
    result.renames.sort_by(|a, b| a.rebuilt.cmp(&b.rebuilt));
    result.ambiguous.sort();

    for fact in facts.iter_mut().filter(|f| f.kind == SourceKind::Reference) {
        for rename in &result.renames {
            for param in fact.params_mut() {
                if param.wire_name == rename.rebuilt {
                    param.wire_name.clone_from(&rename.spelled);
                }
            }
            for table in &mut fact.enums {
                if table.property.as_deref() == Some(rename.rebuilt.as_str()) {
                    table.name = format!("e{}", rename.spelled);
                    table.property = Some(rename.spelled.clone());
                }
            }
        }
    }
    result
}

/// Whether `spelled` is `rebuilt` as the server spells it, by `cause`.
fn fits(cause: Cause, rebuilt: &str, spelled: &str) -> bool {
    match cause {
        Cause::Case => rebuilt.eq_ignore_ascii_case(spelled),
        Cause::Prefix => ["Is", "Use", "To", "Has", "Can"]
            .iter()
            .any(|prefix| spelled.strip_prefix(prefix) == Some(rebuilt)),
        Cause::Typo => {
            rebuilt.len() >= 8
                && spelled.len() >= 8
                && spelled.strip_suffix('s') != Some(rebuilt)
                && rebuilt.strip_suffix('s') != Some(spelled)
                && one_letter_apart(rebuilt, spelled)
        }
        Cause::Shortened => {
            let short = words(rebuilt);
            let long = words(spelled);
            short.len() < long.len()
                && short.first() == long.first()
                && is_subsequence(&short, &long)
        }
    }
}

/// Whether one letter inserted, removed or replaced turns `a` into `b`.
fn one_letter_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() == b.len() {
        let mut differ = a.iter().zip(&b).filter(|(x, y)| x != y);
        return matches!(
            (differ.next(), differ.next()),
            (Some((x, y)), None) if x.is_alphabetic() && y.is_alphabetic()
        );
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() != 1 {
        return false;
    }
    let prefix = short.iter().zip(&long).take_while(|(x, y)| x == y).count();
    long[prefix].is_alphabetic() && short[prefix..] == long[prefix + 1..]
}

/// The PascalCase words of a name, `InvoiceLineDisplayAs` -> `Invoice`, `Line`, `Display`, `As`.
fn words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (index, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..index]);
            start = index;
        }
    }
    words.push(&name[start..]);
    words
}

/// Whether every word of `short` appears in `long`, in order; a word of four letters or more
/// also matches one it begins (`Intro` in `Introduction`, but not `Id` in `Identity`).
fn is_subsequence(short: &[&str], long: &[&str]) -> bool {
    let mut rest = long.iter();
    short.iter().all(|word| {
        rest.any(|candidate| candidate == word || (word.len() >= 4 && candidate.starts_with(word)))
    })
}

#[cfg(test)]
mod tests;
