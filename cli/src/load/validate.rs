//! Streaming validation of one CSV file into PostgreSQL COPY text chunks.
//! Every problem is reported with the file, the line and the column.

use super::spec::{Column, FileSpec, KeySet, Kind, RowRule};
use roaring::RoaringBitmap;
use std::io::Read;

/// Chunks handed to COPY: large enough to amortise the round trip, small
/// enough that a few in flight keep memory flat.
const CHUNK_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if let Some(col) = &self.column {
            write!(f, ", column {col}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for LoadError {}

/// The ids seen so far in this load. Roaring bitmaps: a few hundred KB for the
/// 3.4M published order ids, independent of the number of order lines.
#[derive(Default)]
pub struct Keys {
    aisles: RoaringBitmap,
    departments: RoaringBitmap,
    products: RoaringBitmap,
    prior_orders: RoaringBitmap,
    train_orders: RoaringBitmap,
    test_orders: RoaringBitmap,
}

impl Keys {
    fn contains(&self, set: KeySet, id: u32) -> bool {
        match set {
            KeySet::Aisle => self.aisles.contains(id),
            KeySet::Department => self.departments.contains(id),
            KeySet::Product => self.products.contains(id),
            KeySet::Order => {
                self.prior_orders.contains(id)
                    || self.train_orders.contains(id)
                    || self.test_orders.contains(id)
            }
        }
    }

    fn eval_set_of(&self, order: u32) -> Option<&'static str> {
        if self.prior_orders.contains(order) {
            Some("prior")
        } else if self.train_orders.contains(order) {
            Some("train")
        } else if self.test_orders.contains(order) {
            Some("test")
        } else {
            None
        }
    }
}

/// The consumer of COPY chunks went away (the database failed): stop quietly.
#[derive(Debug)]
pub struct Stopped;

pub struct Validated {
    pub rows: u64,
}

/// Reads `reader` as `spec.file`, checks the header and every field, and
/// passes COPY text-format chunks to `emit`.
pub fn validate<R: Read>(
    spec: &FileSpec,
    reader: R,
    keys: &mut Keys,
    mut emit: impl FnMut(Vec<u8>) -> Result<(), Stopped>,
) -> Result<Validated, LoadError> {
    let err = |line: Option<u64>, column: Option<&str>, message: String| LoadError {
        file: spec.file.to_string(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let expected = spec.header();

    // Header.
    let got_header = rdr
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(spec, e))?;
    if !got_header {
        return Err(err(
            Some(1),
            None,
            format!(
                "file is empty; expected the header `{}`",
                expected.join(",")
            ),
        ));
    }
    let header: Vec<String> = record
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let f = if i == 0 {
                f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f)
            } else {
                f
            };
            String::from_utf8_lossy(f).trim().to_string()
        })
        .collect();
    if header != expected {
        let mut sorted_got = header.clone();
        sorted_got.sort();
        let mut sorted_expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        sorted_expected.sort();
        let what = if sorted_got == sorted_expected {
            "header has the right columns in the wrong order"
        } else {
            "wrong header"
        };
        return Err(err(
            Some(1),
            None,
            format!(
                "{what}: got `{}`, expected `{}`",
                header.join(","),
                expected.join(",")
            ),
        ));
    }

    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK_BYTES + 4096);
    let mut rows = 0u64;
    let mut parsed: Vec<Parsed> = Vec::with_capacity(spec.columns.len());
    let cols = RuleColumns::of(spec);
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(spec, e)),
        }
        let line = record.position().map(|p| p.line());
        parsed.clear();
        for (column, field) in spec.columns.iter().zip(record.iter()) {
            let value =
                parse_field(column, field, keys).map_err(|m| err(line, Some(column.name), m))?;
            parsed.push(value);
        }
        check_row(spec, &cols, &parsed, keys).map_err(|(c, m)| err(line, Some(c), m))?;
        register_keys(spec, &cols, &parsed, &record, keys)
            .map_err(|(c, m)| err(line, Some(c), m))?;
        for (i, (value, field)) in parsed.iter().zip(record.iter()).enumerate() {
            if i > 0 {
                buf.push(b'\t');
            }
            write_copy_field(&mut buf, value, field);
        }
        buf.push(b'\n');
        rows += 1;
        if buf.len() >= CHUNK_BYTES {
            let full = std::mem::replace(&mut buf, Vec::with_capacity(CHUNK_BYTES + 4096));
            emit(full).map_err(|Stopped| err(None, None, "load stopped by the database".into()))?;
        }
    }
    if !buf.is_empty() {
        emit(buf).map_err(|Stopped| err(None, None, "load stopped by the database".into()))?;
    }
    Ok(Validated { rows })
}

fn csv_error(spec: &FileSpec, e: csv::Error) -> LoadError {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!(
            "expected {expected_len} fields, found {len} (a truncated line, a stray comma or an unbalanced quote)"
        ),
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        _ => e.to_string(),
    };
    LoadError {
        file: spec.file.to_string(),
        line,
        column: None,
        message,
    }
}

/// A checked field; text and numbers are re-emitted from the original bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Parsed {
    Null,
    Int(i64),
    Text,
    Number,
    /// days_since_prior_order, normalised from "15.0" to 15.
    Gap(i64),
}

fn parse_field(column: &Column, field: &[u8], keys: &Keys) -> Result<Parsed, String> {
    let show = || String::from_utf8_lossy(field).into_owned();
    let int =
        |field: &[u8]| -> Option<i64> { std::str::from_utf8(field).ok()?.parse::<i64>().ok() };
    match column.kind {
        Kind::Id { references, .. } => {
            let v = int(field)
                .filter(|v| (1..=i64::from(i32::MAX)).contains(v))
                .ok_or_else(|| format!("expected a positive integer id, got `{}`", show()))?;
            if let Some(set) = references {
                if !keys.contains(set, v as u32) {
                    return Err(format!(
                        "{} {v} does not exist in {}",
                        column.name,
                        set.source_file()
                    ));
                }
            }
            Ok(Parsed::Int(v))
        }
        Kind::Int { min, max } => {
            let v = int(field).ok_or_else(|| format!("expected an integer, got `{}`", show()))?;
            if !(min..=max).contains(&v) {
                return Err(format!("{v} is out of range {min}..={max}"));
            }
            Ok(Parsed::Int(v))
        }
        Kind::Text => {
            let s = std::str::from_utf8(field).map_err(|_| "is not valid UTF-8".to_string())?;
            if s.trim().is_empty() {
                return Err("must not be empty".into());
            }
            if s.contains(['\n', '\r']) {
                return Err(
                    "contains a line break: probably an unbalanced quote that swallowed the following lines"
                        .into(),
                );
            }
            Ok(Parsed::Text)
        }
        Kind::Choice(allowed) => {
            if allowed.iter().any(|a| a.as_bytes() == field) {
                Ok(Parsed::Text)
            } else {
                Err(format!("`{}` is not one of {}", show(), allowed.join(", ")))
            }
        }
        Kind::GapDays => {
            if field.is_empty() {
                return Ok(Parsed::Null);
            }
            let v = std::str::from_utf8(field)
                .ok()
                .and_then(|s| s.parse::<f64>().ok())
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("expected a number of days like 7.0, got `{}`", show()))?;
            if v.fract() != 0.0 || !(0.0..=30.0).contains(&v) {
                return Err(format!(
                    "{} must be a whole number of days 0..30, got `{}`",
                    column.name,
                    show()
                ));
            }
            Ok(Parsed::Gap(v as i64))
        }
        Kind::Number { min, max } => {
            let v = std::str::from_utf8(field)
                .ok()
                .and_then(|s| s.parse::<f64>().ok())
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("expected a number, got `{}`", show()))?;
            if !(min..=max).contains(&v) {
                return Err(format!("{v} is out of range {min}..={max}"));
            }
            Ok(Parsed::Number)
        }
        Kind::Date => {
            let s = std::str::from_utf8(field).unwrap_or("");
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| format!("expected a date YYYY-MM-DD, got `{}`", show()))?;
            Ok(Parsed::Text)
        }
    }
}

/// Positions of the columns the row rules read, found once per file rather
/// than once per row.
struct RuleColumns {
    order_id: usize,
    order_number: usize,
    days_since_prior_order: usize,
    eval_set: usize,
}

impl RuleColumns {
    fn of(spec: &FileSpec) -> Self {
        // A file without one of these columns has no rule that reads it.
        let find = |name| {
            spec.columns
                .iter()
                .position(|c| c.name == name)
                .unwrap_or(usize::MAX)
        };
        RuleColumns {
            order_id: find("order_id"),
            order_number: find("order_number"),
            days_since_prior_order: find("days_since_prior_order"),
            eval_set: find("eval_set"),
        }
    }
}

fn check_row(
    spec: &FileSpec,
    cols: &RuleColumns,
    row: &[Parsed],
    keys: &Keys,
) -> Result<(), (&'static str, String)> {
    match spec.rule {
        RowRule::None => Ok(()),
        RowRule::Orders => {
            let n = row[cols.order_number];
            let gap = row[cols.days_since_prior_order];
            match (n, gap) {
                (Parsed::Int(1), Parsed::Null) => Ok(()),
                (Parsed::Int(1), _) => Err((
                    "days_since_prior_order",
                    "must be empty for a first order (order_number 1)".into(),
                )),
                (Parsed::Int(k), Parsed::Null) => Err((
                    "days_since_prior_order",
                    format!(
                        "is empty but order_number is {k}; only first orders have no prior order"
                    ),
                )),
                _ => Ok(()),
            }
        }
        RowRule::LinesOf(eval_set) => {
            let Parsed::Int(order) = row[cols.order_id] else {
                unreachable!("order_id is an Id column")
            };
            match keys.eval_set_of(order as u32) {
                Some(s) if s == eval_set => Ok(()),
                Some(other) => Err((
                    "order_id",
                    format!(
                        "order {order} is a {other} order in orders.csv; {} holds only {eval_set} orders",
                        spec.file
                    ),
                )),
                None => Err(("order_id", format!("order_id {order} does not exist in orders.csv"))),
            }
        }
    }
}

fn register_keys(
    spec: &FileSpec,
    cols: &RuleColumns,
    row: &[Parsed],
    record: &csv::ByteRecord,
    keys: &mut Keys,
) -> Result<(), (&'static str, String)> {
    for (column, value) in spec.columns.iter().zip(row) {
        let (Kind::Id { key: Some(set), .. }, Parsed::Int(v)) = (column.kind, *value) else {
            continue;
        };
        let v = v as u32;
        let fresh = match set {
            KeySet::Aisle => keys.aisles.insert(v),
            KeySet::Department => keys.departments.insert(v),
            KeySet::Product => keys.products.insert(v),
            // Orders are kept per eval_set so order lines can be checked against their file.
            KeySet::Order => {
                !keys.contains(KeySet::Order, v)
                    && match &record[cols.eval_set] {
                        b"prior" => keys.prior_orders.insert(v),
                        b"train" => keys.train_orders.insert(v),
                        _ => keys.test_orders.insert(v),
                    }
            }
        };
        if !fresh {
            return Err((column.name, format!("duplicate {} {v}", column.name)));
        }
    }
    Ok(())
}

fn write_copy_field(buf: &mut Vec<u8>, value: &Parsed, field: &[u8]) {
    match value {
        Parsed::Null => buf.extend_from_slice(b"\\N"),
        Parsed::Gap(v) | Parsed::Int(v) => {
            let mut b = itoa::Buffer::new();
            buf.extend_from_slice(b.format(*v).as_bytes());
        }
        Parsed::Number => buf.extend_from_slice(field),
        Parsed::Text => {
            for &c in field {
                match c {
                    b'\\' => buf.extend_from_slice(b"\\\\"),
                    b'\t' => buf.extend_from_slice(b"\\t"),
                    b'\n' => buf.extend_from_slice(b"\\n"),
                    b'\r' => buf.extend_from_slice(b"\\r"),
                    _ => buf.push(c),
                }
            }
        }
    }
}
