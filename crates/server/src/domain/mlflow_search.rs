//! MLflow's search grammar, as its clients and common tools send it: a filter of
//! clauses joined by `AND` (`metrics.acc > 0.9 and params.lr = '0.01'`,
//! `tags."mlflow.runName" LIKE 'base%'`, `attributes.status IN ('FINISHED')`) and
//! `order_by` terms (`metrics.loss ASC`). Parsed here, evaluated against any record
//! that can answer a [`Field`]'s value, or translated to SQL (`storage::run_search`)
//! with the same meaning, which a property test holds the two to:
//! - a number compares with a number; a text with a text, byte by byte; a text with a
//!   number only when the text is a plain JSON number ([`plain_number`]);
//! - `LIKE` is case-sensitive, `ILIKE` folds ASCII letters only;
//! - a record without the field never matches, not even `!=` or `NOT IN`;
//! - an order puts records without the field last, numbers before texts.

use super::Refusal;
use std::cmp::Ordering;

/// Where a searched value lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Metric,
    Param,
    Tag,
    Attribute,
}

/// A searched name: `metrics.acc` is `Field { kind: Metric, key: "acc" }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub kind: Kind,
    pub key: String,
}

/// A value a record holds, or a filter compares with.
#[derive(Clone, Debug, PartialEq)]
pub enum SearchValue {
    Number(f64),
    Text(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Like,
    ILike,
    In,
    NotIn,
}

/// One `field comparator value` clause (`IN` lists hold several values).
#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub field: Field,
    pub comparator: Comparator,
    pub values: Vec<SearchValue>,
}

/// A parsed filter: every clause must hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub clauses: Vec<Clause>,
}

/// One `order_by` term.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderTerm {
    pub field: Field,
    pub ascending: bool,
}

fn refused(field: &str, message: impl Into<String>) -> Refusal {
    Refusal::invalid(field, message)
}

impl Filter {
    /// Parses `text` (empty: matches everything). Refusals name `field`.
    pub fn parse(field: &str, text: &str) -> Result<Filter, Refusal> {
        let mut scanner = Scanner::new(text);
        let mut clauses = Vec::new();
        scanner.skip_space();
        if scanner.done() {
            return Ok(Filter::default());
        }
        loop {
            let clause = scanner.clause().map_err(|message| {
                refused(
                    field,
                    format!("{message} (character {})", scanner.position()),
                )
            })?;
            clauses.push(clause);
            scanner.skip_space();
            if scanner.done() {
                break;
            }
            if !scanner.word_is("and") {
                return Err(refused(
                    field,
                    format!(
                        "expected AND at {:?} (character {}); clauses are joined by AND only",
                        scanner.rest(),
                        scanner.position()
                    ),
                ));
            }
        }
        Ok(Filter { clauses })
    }

    /// Whether a record matches: `value_of` answers each field's value (`None`: the
    /// record has none, and the clause does not hold).
    pub fn matches(&self, value_of: impl Fn(&Field) -> Option<SearchValue>) -> bool {
        self.clauses
            .iter()
            .all(|clause| value_of(&clause.field).is_some_and(|value| clause.holds(&value)))
    }
}

impl Clause {
    fn holds(&self, value: &SearchValue) -> bool {
        let first = &self.values[0];
        match self.comparator {
            Comparator::Eq => compare(value, first) == Some(Ordering::Equal),
            Comparator::Ne => compare(value, first).is_some_and(|o| o != Ordering::Equal),
            Comparator::Lt => compare(value, first) == Some(Ordering::Less),
            Comparator::Le => compare(value, first).is_some_and(|o| o != Ordering::Greater),
            Comparator::Gt => compare(value, first) == Some(Ordering::Greater),
            Comparator::Ge => compare(value, first).is_some_and(|o| o != Ordering::Less),
            Comparator::Like | Comparator::ILike => match (value, first) {
                (SearchValue::Text(text), SearchValue::Text(pattern)) => {
                    if self.comparator == Comparator::ILike {
                        like(&text.to_ascii_lowercase(), &pattern.to_ascii_lowercase())
                    } else {
                        like(text, pattern)
                    }
                }
                _ => false,
            },
            Comparator::In => self
                .values
                .iter()
                .any(|v| compare(value, v) == Some(Ordering::Equal)),
            Comparator::NotIn => self
                .values
                .iter()
                .all(|v| compare(value, v) != Some(Ordering::Equal)),
        }
    }
}

/// Compares like with like; a number against a text compares the text as a number when
/// it is a plain one, and not at all otherwise.
fn compare(left: &SearchValue, right: &SearchValue) -> Option<Ordering> {
    match (left, right) {
        (SearchValue::Number(a), SearchValue::Number(b)) => a.partial_cmp(b),
        (SearchValue::Text(a), SearchValue::Text(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        (SearchValue::Number(a), SearchValue::Text(b)) => {
            plain_number(b)?.partial_cmp(a).map(Ordering::reverse)
        }
        (SearchValue::Text(a), SearchValue::Number(b)) => plain_number(a)?.partial_cmp(b),
    }
}

/// `text` as a number if it is a plain one: a JSON number (no sign but `-`, no white
/// space, no leading zeros) of at most 100 characters with at most a two-digit
/// exponent, so that every database converts it to a double without overflow
/// (`storage::run_search` tests the same grammar in SQL).
pub fn plain_number(text: &str) -> Option<f64> {
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let whole_ok = whole == "0" || (digits(whole) && !whole.starts_with('0'));
    let fraction_ok = fraction.is_none_or(digits);
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        digits(e) && e.len() <= 2
    });
    if text.len() <= 100 && whole_ok && fraction_ok && exponent_ok {
        text.parse().ok()
    } else {
        None
    }
}

/// Where a value sorts: records without the field last, then numbers by value, then
/// texts byte by byte.
fn sort_key(value: Option<&SearchValue>) -> u8 {
    match value {
        Some(SearchValue::Number(_)) => 0,
        Some(SearchValue::Text(_)) => 1,
        None => 2,
    }
}

/// SQL `LIKE`: `%` any run of characters, `_` any one.
fn like(text: &str, pattern: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    // Classic two-pointer wildcard matching with backtracking to the last `%`.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        // `%` first: a `%` in the text is matched by the wildcard, never literally.
        if p < pattern.len() && pattern[p] == '%' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && (pattern[p] == '_' || pattern[p] == text[t]) {
            t += 1;
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '%')
}

/// Parses `order_by` terms (`metrics.acc DESC`, `start_time`).
pub fn parse_order(field: &str, terms: &[String]) -> Result<Vec<OrderTerm>, Refusal> {
    terms
        .iter()
        .map(|term| {
            let mut scanner = Scanner::new(term);
            let parsed = scanner.field().map_err(|message| refused(field, message))?;
            scanner.skip_space();
            let ascending = if scanner.done() || scanner.word_is("asc") {
                true
            } else if scanner.word_is("desc") {
                false
            } else {
                return Err(refused(
                    field,
                    format!("order_by {term:?} must end in ASC or DESC, if anything"),
                ));
            };
            scanner.skip_space();
            if !scanner.done() {
                return Err(refused(
                    field,
                    format!("unexpected {:?} in order_by {term:?}", scanner.rest()),
                ));
            }
            Ok(OrderTerm {
                field: parsed,
                ascending,
            })
        })
        .collect()
}

/// Orders two records by `terms`: a record without a value comes last either way, and
/// numbers come before texts; the values themselves go up or down as the term says.
pub fn order_by(
    terms: &[OrderTerm],
    left: impl Fn(&Field) -> Option<SearchValue>,
    right: impl Fn(&Field) -> Option<SearchValue>,
) -> Ordering {
    for term in terms {
        let (a, b) = (left(&term.field), right(&term.field));
        let ordering = sort_key(a.as_ref())
            .cmp(&sort_key(b.as_ref()))
            .then_with(|| {
                let values = match (&a, &b) {
                    (Some(SearchValue::Number(a)), Some(SearchValue::Number(b))) => {
                        a.partial_cmp(b).unwrap_or(Ordering::Equal)
                    }
                    (Some(SearchValue::Text(a)), Some(SearchValue::Text(b))) => {
                        a.as_bytes().cmp(b.as_bytes())
                    }
                    _ => Ordering::Equal,
                };
                if term.ascending {
                    values
                } else {
                    values.reverse()
                }
            });
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

/// A cursor over the text of a filter or order term.
struct Scanner<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner { text, at: 0 }
    }

    /// Which character the cursor is at, counting from 1.
    fn position(&self) -> usize {
        self.text[..self.at].chars().count() + 1
    }

    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn done(&self) -> bool {
        self.rest().is_empty()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_space(&mut self) {
        let trimmed = self.rest().trim_start();
        self.at = self.text.len() - trimmed.len();
    }

    /// Consumes `word` (any case) when it is next and ends there.
    fn word_is(&mut self, word: &str) -> bool {
        self.skip_space();
        let rest = self.rest();
        let matches = rest.len() >= word.len()
            && rest.is_char_boundary(word.len())
            && rest[..word.len()].eq_ignore_ascii_case(word)
            && rest[word.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || c == '(' || c == '\'' || c == '"');
        if matches {
            self.at += word.len();
        }
        matches
    }

    /// A quoted string (`'…'`, `"…"` or `` `…` ``), without its quotes.
    fn quoted(&mut self) -> Result<String, String> {
        let quote = self.peek().ok_or("expected a quoted string")?;
        let rest = &self.rest()[quote.len_utf8()..];
        let end = rest
            .find(quote)
            .ok_or_else(|| format!("the string at {:?} has no closing {quote}", self.rest()))?;
        let value = rest[..end].to_owned();
        self.at += quote.len_utf8() * 2 + end;
        Ok(value)
    }

    /// A bare identifier: up to white space or a comparator character.
    fn bare(&mut self) -> String {
        let rest = self.rest();
        let end = rest
            .find(|c: char| c.is_whitespace() || "=!<>(),`\"'".contains(c))
            .unwrap_or(rest.len());
        self.at += end;
        rest[..end].to_owned()
    }

    fn field(&mut self) -> Result<Field, String> {
        self.skip_space();
        let first = match self.peek() {
            Some('"' | '`') => {
                return Ok(Field {
                    kind: Kind::Attribute,
                    key: self.quoted()?,
                })
            }
            _ => self.bare(),
        };
        if first.is_empty() {
            return Err(format!("expected a name at {:?}", self.rest()));
        }
        let (prefix, key) = match first.split_once('.') {
            Some((prefix, key)) => (prefix.to_ascii_lowercase(), key.to_owned()),
            None => {
                return Ok(Field {
                    kind: Kind::Attribute,
                    key: first,
                })
            }
        };
        let kind = match prefix.as_str() {
            "metric" | "metrics" => Kind::Metric,
            "param" | "params" | "parameter" | "parameters" => Kind::Param,
            "tag" | "tags" => Kind::Tag,
            "attribute" | "attributes" | "attr" | "run" => Kind::Attribute,
            other => {
                return Err(format!(
                    "unknown kind {other:?}: use metrics., params., tags. or attributes."
                ))
            }
        };
        // `metrics."my key"` / metrics.`my key`: the quoted key follows the dot.
        let key = if key.is_empty() && matches!(self.peek(), Some('"' | '`')) {
            self.quoted()?
        } else {
            key
        };
        if key.is_empty() {
            return Err(format!("{prefix}. needs a name after the dot"));
        }
        Ok(Field { kind, key })
    }

    fn comparator(&mut self) -> Result<Comparator, String> {
        self.skip_space();
        for (symbol, comparator) in [
            ("!=", Comparator::Ne),
            ("<>", Comparator::Ne),
            ("<=", Comparator::Le),
            (">=", Comparator::Ge),
            ("==", Comparator::Eq),
            ("=", Comparator::Eq),
            ("<", Comparator::Lt),
            (">", Comparator::Gt),
        ] {
            if self.rest().starts_with(symbol) {
                self.at += symbol.len();
                return Ok(comparator);
            }
        }
        if self.word_is("like") {
            return Ok(Comparator::Like);
        }
        if self.word_is("ilike") {
            return Ok(Comparator::ILike);
        }
        if self.word_is("in") {
            return Ok(Comparator::In);
        }
        if self.word_is("not") && self.word_is("in") {
            return Ok(Comparator::NotIn);
        }
        Err(format!(
            "expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN) at {:?}",
            self.rest()
        ))
    }

    fn value(&mut self) -> Result<SearchValue, String> {
        self.skip_space();
        match self.peek() {
            Some('\'' | '"') => Ok(SearchValue::Text(self.quoted()?)),
            _ => {
                let word = self.bare();
                word.parse::<f64>()
                    .map(SearchValue::Number)
                    .map_err(|_| format!("expected a number or a quoted string, found {word:?}"))
            }
        }
    }

    fn clause(&mut self) -> Result<Clause, String> {
        let field = self.field()?;
        let comparator = self.comparator()?;
        let values = if matches!(comparator, Comparator::In | Comparator::NotIn) {
            self.skip_space();
            if self.peek() != Some('(') {
                return Err("IN takes a parenthesised list: IN ('a', 'b')".to_owned());
            }
            self.at += 1;
            let mut values = Vec::new();
            loop {
                values.push(self.value()?);
                self.skip_space();
                match self.peek() {
                    Some(',') => self.at += 1,
                    Some(')') => {
                        self.at += 1;
                        break;
                    }
                    _ => return Err(format!("expected , or ) at {:?}", self.rest())),
                }
            }
            values
        } else {
            vec![self.value()?]
        };
        Ok(Clause {
            field,
            comparator,
            values,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(field: &Field) -> Option<SearchValue> {
        match (field.kind, field.key.as_str()) {
            (Kind::Metric, "acc") => Some(SearchValue::Number(0.93)),
            (Kind::Param, "lr") => Some(SearchValue::Text("0.01".into())),
            (Kind::Tag, "mlflow.runName") => Some(SearchValue::Text("baseline-2".into())),
            (Kind::Attribute, "status") => Some(SearchValue::Text("FINISHED".into())),
            _ => None,
        }
    }

    fn matches(filter: &str) -> bool {
        Filter::parse("filter", filter)
            .expect(filter)
            .matches(record)
    }

    #[test]
    fn clauses_compare_numbers_and_strings() {
        assert!(matches(""));
        assert!(matches("metrics.acc > 0.9"));
        assert!(!matches("metrics.acc < 0.9"));
        assert!(matches("metrics.acc >= 0.93 and params.lr = '0.01'"));
        assert!(matches(
            "params.lr = \"0.01\" AND attributes.status = 'FINISHED'"
        ));
        assert!(matches("status != 'RUNNING'"));
        assert!(
            matches("params.lr > 0.001"),
            "a param compared with a number"
        );
    }

    #[test]
    fn missing_values_never_match() {
        assert!(!matches("metrics.loss < 1"));
        assert!(!matches("metrics.loss != 1"));
    }

    #[test]
    fn like_in_and_quoted_keys() {
        assert!(matches("tags.mlflow.runName LIKE 'base%'"));
        assert!(matches("tags.`mlflow.runName` ILIKE 'BASE%-_'"));
        assert!(matches("tags.\"mlflow.runName\" like '%line%'"));
        assert!(!matches("tags.mlflow.runName LIKE 'line%'"));
        assert!(matches("attributes.status IN ('FINISHED', 'FAILED')"));
        assert!(matches("attributes.status NOT IN ('RUNNING')"));
        assert!(!matches("attributes.status not in ('FINISHED')"));
    }

    #[test]
    fn bad_filters_are_refused_naming_the_field() {
        for bad in [
            "metrics.acc",
            "metrics.acc > ",
            "metrics.acc > 0.9 or params.lr = '1'",
            "foo.bar = 1",
            "params.lr = 'open",
            "status IN 'A'",
            "metrics.acc ~ 1",
        ] {
            let refusal = Filter::parse("filter", bad).expect_err(bad);
            assert_eq!(refusal.field, "filter", "{bad}");
        }
    }

    #[test]
    fn order_terms_sort_and_put_missing_values_last() {
        let terms = parse_order("order_by", &["metrics.acc DESC".into()]).expect("a valid term");
        let value = |v: Option<f64>| move |_: &Field| v.map(SearchValue::Number);
        assert_eq!(
            order_by(&terms, value(Some(2.0)), value(Some(1.0))),
            Ordering::Less
        );
        assert_eq!(
            order_by(&terms, value(None), value(Some(1.0))),
            Ordering::Greater
        );
        let terms = parse_order("order_by", &["start_time".into()]).expect("a valid term");
        assert!(terms[0].ascending);
        assert_eq!(terms[0].field.kind, Kind::Attribute);
        assert!(parse_order("order_by", &["metrics.acc sideways".into()]).is_err());
    }

    #[test]
    fn plain_numbers_are_json_numbers_of_bounded_size() {
        for (text, number) in [
            ("0", 0.0),
            ("-1.5", -1.5),
            ("0.001", 0.001),
            ("2E-3", 0.002),
        ] {
            assert_eq!(plain_number(text), Some(number), "{text}");
        }
        for text in [
            "", "01", "1.", ".5", "+1", " 1", "1e", "1e100", "inf", "NaN", "0x10", "1_0",
        ] {
            assert_eq!(plain_number(text), None, "{text}");
        }
        assert_eq!(plain_number(&"9".repeat(101)), None);
        assert_eq!(plain_number(&"9".repeat(100)), Some(1e100));
    }

    #[test]
    fn errors_say_where() {
        let refusal = Filter::parse("filter", "metrics.a > 1 and params.b ~ 2").expect_err("bad");
        assert!(
            refusal.message.contains("character 28"),
            "{}",
            refusal.message
        );
        let refusal = Filter::parse("filter", "metrics.a > 1 or x = 2").expect_err("bad");
        assert!(
            refusal.message.contains("character 15"),
            "{}",
            refusal.message
        );
    }

    #[test]
    fn like_handles_wildcards() {
        assert!(like("abc", "a%"));
        assert!(like("abc", "%c"));
        assert!(like("abc", "a_c"));
        assert!(like("a", "%%a%"));
        assert!(!like("abc", "a_"));
        assert!(like("", "%"));
        assert!(
            like("50%-23", "50%"),
            "a % in the text is no literal match for the wildcard"
        );
    }
}
