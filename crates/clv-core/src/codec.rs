//! The binary encoding shared by the aggregate states' `to_bytes` and
//! `from_bytes` (PostgreSQL's serial/deserial functions for parallel plans).
//!
//! Every state starts with a version byte and a type tag (so a blob of one
//! state is never read as another); then come little-endian fixed-size
//! integers and floats and LEB128 varints (7 bits per byte, low bits first).
//! [`Writer`] produces that; [`Reader`] reads it back without ever panicking
//! or over-allocating on corrupt input: every read checks the length, element
//! counts are checked against the bytes left before anything is allocated,
//! and every error names the state ("corrupt RFM state: truncated").

/// Appends the encoding of values to a byte buffer.
#[derive(Debug, Clone, Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty writer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            buf: Vec::with_capacity(capacity),
        }
    }

    /// The version byte and the type tag that start every state.
    pub fn header(&mut self, version: u8, tag: u8) {
        self.buf.extend_from_slice(&[version, tag]);
    }

    /// One byte.
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    /// 4 bytes, little-endian.
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// 4 bytes, little-endian two's complement.
    pub fn i32(&mut self, v: i32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// 8 bytes, little-endian.
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// 8 bytes, little-endian two's complement.
    pub fn i64(&mut self, v: i64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// 8 bytes: the IEEE 754 bits, little-endian.
    pub fn f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// 1 to 10 bytes, see [`put_varint`].
    pub fn varint(&mut self, v: u64) {
        put_varint(&mut self.buf, v);
    }

    /// Raw bytes (e.g. a nested state after its varint length).
    pub fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    /// The encoded bytes.
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }
}

/// Appends `v` as an LEB128 varint: 7 bits per byte, low bits first, the
/// high bit set on every byte but the last.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Bounds-checked reader of the encoding; every method returns `Err` (never
/// panics) on truncated or invalid input, with a message naming the state.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    what: &'static str,
    offsets: bool,
}

impl<'a> Reader<'a> {
    /// A reader of `buf`, a serialised `what` (e.g. "RFM state"); errors
    /// read "corrupt {what}: {problem}".
    pub fn new(buf: &'a [u8], what: &'static str) -> Self {
        Self {
            buf,
            pos: 0,
            what,
            offsets: false,
        }
    }

    /// Like [`Reader::new`], but errors also give the byte offset of the
    /// problem: "corrupt {what} at byte {offset}: {problem}" (for
    /// variable-length encodings, where the offset is not obvious).
    pub fn with_offsets(buf: &'a [u8], what: &'static str) -> Self {
        Self {
            offsets: true,
            ..Self::new(buf, what)
        }
    }

    /// The error message for `problem` at the current position.
    pub fn corrupt(&self, problem: &str) -> String {
        if self.offsets {
            format!("corrupt {} at byte {}: {problem}", self.what, self.pos)
        } else {
            format!("corrupt {}: {problem}", self.what)
        }
    }

    /// Number of bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// The next `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.remaining() < n {
            return Err(self.corrupt("truncated"));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.bytes(N)?);
        Ok(a)
    }

    /// Checks the version byte and the type tag written by
    /// [`Writer::header`].
    pub fn header(&mut self, version: u8, tag: u8) -> Result<(), String> {
        let v = self.u8()?;
        if v != version {
            return Err(self.corrupt(&format!("unsupported version {v} (expected {version})")));
        }
        if self.u8()? != tag {
            return Err(self.corrupt("wrong type tag"));
        }
        Ok(())
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8, String> {
        Ok(self.bytes(1)?[0])
    }

    /// See [`Writer::u32`].
    pub fn u32(&mut self) -> Result<u32, String> {
        self.array().map(u32::from_le_bytes)
    }

    /// See [`Writer::i32`].
    pub fn i32(&mut self) -> Result<i32, String> {
        self.array().map(i32::from_le_bytes)
    }

    /// See [`Writer::u64`].
    pub fn u64(&mut self) -> Result<u64, String> {
        self.array().map(u64::from_le_bytes)
    }

    /// See [`Writer::i64`].
    pub fn i64(&mut self) -> Result<i64, String> {
        self.array().map(i64::from_le_bytes)
    }

    /// See [`Writer::f64`] (any bits, NaN included: callers validate).
    pub fn f64(&mut self) -> Result<f64, String> {
        self.array().map(f64::from_le_bytes)
    }

    /// See [`put_varint`]; errors on a value beyond 64 bits.
    pub fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            if shift == 63 && b > 1 {
                return Err(self.corrupt("varint overflow"));
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.corrupt("varint too long"))
    }

    /// A `u64` element count for elements of exactly `elem_size` (>= 1)
    /// bytes that fill the rest of the input; errors unless they do, so a
    /// corrupt count never leads to a huge allocation.
    pub fn count(&mut self, elem_size: usize) -> Result<usize, String> {
        let n = self.u64()?;
        let size = elem_size.max(1) as u64;
        if n.checked_mul(size) != Some(self.remaining() as u64) {
            return Err(self.corrupt(&format!("length does not match count {n}")));
        }
        usize::try_from(n).map_err(|_| self.corrupt("count too large"))
    }

    /// A varint element count for elements of at least `min_size` (>= 1)
    /// bytes each; errors when they cannot fit in the bytes left (no huge
    /// allocations).
    pub fn varint_count(&mut self, min_size: usize) -> Result<usize, String> {
        let n = self.varint()?;
        if n.saturating_mul(min_size.max(1) as u64) > self.remaining() as u64 {
            return Err(self.corrupt("count exceeds the data"));
        }
        usize::try_from(n).map_err(|_| self.corrupt("count too large"))
    }

    /// Errors unless every byte was read.
    pub fn end(&self) -> Result<(), String> {
        if self.remaining() != 0 {
            return Err(self.corrupt("trailing bytes"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::decline::BasketDecline;
    use crate::gaps::{DaySpanGaps, OrderGaps};
    use crate::pairs::{PairCounter, RowGrouper};
    use crate::rfm::RfmState;

    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// Golden hex with spaces between fields, as plain hex.
    fn plain(golden: &str) -> String {
        golden.split_whitespace().collect()
    }

    fn unhex(golden: &str) -> Vec<u8> {
        let s = plain(golden);
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    // Golden bytes: the encodings of small hand-made states, produced by the
    // hand-written `to_bytes` of each module before they moved to this codec.
    // A state serialised by an older build must still deserialise, so these
    // must never change without a version bump.

    #[test]
    fn golden_order_gaps() {
        // 01 'G', u64 count 3, i32 dates 3, -1, 70000.
        let golden = "0147 0300000000000000 03000000 ffffffff 70110100";
        let mut s = OrderGaps::new();
        for d in [3, -1, 70_000] {
            s.add(d);
        }
        assert_eq!(hex(&s.to_bytes()), plain(golden));
        assert_eq!(OrderGaps::from_bytes(&unhex(golden)).unwrap(), s);
    }

    #[test]
    fn golden_day_span_gaps() {
        // 01 'D', u64 count 2, f64 gaps 0.5, 7.0.
        let golden = "0144 0200000000000000 000000000000e03f 0000000000001c40";
        let mut s = DaySpanGaps::new();
        for g in [0.5, 7.0] {
            s.add(g).unwrap();
        }
        assert_eq!(hex(&s.to_bytes()), plain(golden));
        assert_eq!(DaySpanGaps::from_bytes(&unhex(golden)).unwrap(), s);
    }

    #[test]
    fn golden_basket_decline() {
        // 02 'B', i64 n 2, f64 threshold 0.25, u64 orders 2, then the early
        // and the recent window: u64 count 2 and (i64, f64) rows ascending,
        // (-2, 0.5), (1, 3.0).
        let golden = "0242 0200000000000000 000000000000d03f 0200000000000000 \
                      0200000000000000 feffffffffffffff 000000000000e03f \
                      0100000000000000 0000000000000840 \
                      0200000000000000 feffffffffffffff 000000000000e03f \
                      0100000000000000 0000000000000840";
        let mut s = BasketDecline::new(2, 0.25).unwrap();
        s.add(1, 3.0).unwrap();
        s.add(-2, 0.5).unwrap();
        assert_eq!(hex(&s.to_bytes()), plain(golden));
        assert_eq!(BasketDecline::from_bytes(&unhex(golden)).unwrap(), s);
    }

    #[test]
    fn golden_rfm() {
        // 01 'R', i32 as_of 100, u64 count 2, (i32, f64) rows (90, 10.5),
        // (-5, -2.25).
        let golden = "0152 64000000 0200000000000000 \
                      5a000000 0000000000002540 fbffffff 00000000000002c0";
        let mut s = RfmState::new(100);
        s.add(90, 10.5).unwrap();
        s.add(-5, -2.25).unwrap();
        assert_eq!(hex(&s.to_bytes()), plain(golden));
        assert_eq!(RfmState::from_bytes(&unhex(golden)).unwrap(), s);
    }

    #[test]
    fn golden_pair_counter() {
        // 01 'P', varints: budget 2^20, baskets 3, 4 products as (id delta,
        // count): 1:2, 2:2, 3:2, 200:1, 4 pairs as (key a<<32|b delta, count).
        let golden = "0150 808040 03 04 0102 0002 0002 c40101 \
                      04 8280808010 01 00 01 c40101 bafeffff0f 02";
        let mut c = PairCounter::new(1 << 20);
        for b in [vec![1, 2, 3], vec![3, 2], vec![200, 1]] {
            c.add_basket(&b).unwrap();
        }
        assert_eq!(hex(&c.to_bytes()), plain(golden));
        let back = PairCounter::from_bytes(&unhex(golden)).unwrap();
        assert_eq!(hex(&back.to_bytes()), plain(golden));
        assert_eq!(back.budget_bytes(), 1 << 20);
        assert_eq!((back.baskets(), back.pair_count(2, 3)), (3, 2));
        assert_eq!(back.top_pairs(10).unwrap(), c.top_pairs(10).unwrap());
    }

    #[test]
    fn golden_row_grouper() {
        let mut g = RowGrouper::new(1 << 20);
        for (b, p) in [(10, 1), (10, 2), (11, 2), (11, 3), (12, 3), (12, 200)] {
            g.add_row(b, p).unwrap();
        }
        // 01 'Q', varint length 18 + the counter of basket 11 (budget 2^20,
        // 1 basket, products 2 and 3, pair (2, 3) once), flags 3 (head and
        // tail), head (i64 id 10, varint count 2, varint products 1, 2), tail
        // (12: 3, 200), varint 0 merged open baskets.
        let golden = "0151 12 0150 808040 01 02 0201 0001 01 8380808020 01 \
                      03 0a00000000000000 02 01 02 0c00000000000000 02 03 c801 00";
        assert_eq!(hex(&g.to_bytes()), plain(golden));
        let back = RowGrouper::from_bytes(&unhex(golden)).unwrap();
        assert_eq!(hex(&back.to_bytes()), plain(golden));
        assert_eq!(back.top_pairs(10).unwrap(), g.top_pairs(10).unwrap());

        let mut other = RowGrouper::new(1 << 20);
        for (b, p) in [(12, 1), (13, 5), (13, 6)] {
            other.add_row(b, p).unwrap();
        }
        g.merge(other).unwrap();
        // After a merge: same counter, flags 0, then 3 open baskets ascending:
        // 10: 1, 2; 12: 3, 200, 1 (joined across the states); 13: 5, 6.
        let golden = "0151 12 0150 808040 01 02 0201 0001 01 8380808020 01 00 \
                      03 0a00000000000000 02 01 02 0c00000000000000 03 03 c801 01 \
                      0d00000000000000 02 05 06";
        assert_eq!(hex(&g.to_bytes()), plain(golden));
        let back = RowGrouper::from_bytes(&unhex(golden)).unwrap();
        assert_eq!(hex(&back.to_bytes()), plain(golden));
        assert_eq!(back.open_baskets(), 3);
        assert_eq!(back.baskets().unwrap(), 4);
    }

    #[test]
    fn writer_and_reader_round_trip() {
        let mut w = Writer::with_capacity(64);
        w.header(7, b'T');
        w.u8(0xab);
        w.u32(0xdead_beef);
        w.i32(-2);
        w.u64(u64::MAX);
        w.i64(i64::MIN);
        w.f64(-0.5);
        for v in [0, 127, 128, 300, u64::MAX] {
            w.varint(v);
        }
        w.bytes(b"xy");
        let b = w.finish();
        assert_eq!(hex(&b[..3]), "0754ab");
        assert_eq!(
            b.len(),
            2 + 1 + 4 + 4 + 8 + 8 + 8 + (1 + 1 + 2 + 2 + 10) + 2
        );
        let mut r = Reader::new(&b, "test state");
        r.header(7, b'T').unwrap();
        assert_eq!(r.u8().unwrap(), 0xab);
        assert_eq!(r.u32().unwrap(), 0xdead_beef);
        assert_eq!(r.i32().unwrap(), -2);
        assert_eq!(r.u64().unwrap(), u64::MAX);
        assert_eq!(r.i64().unwrap(), i64::MIN);
        assert_eq!(r.f64().unwrap(), -0.5);
        for v in [0, 127, 128, 300, u64::MAX] {
            assert_eq!(r.varint().unwrap(), v);
        }
        assert!(r.end().unwrap_err().contains("trailing bytes"));
        assert_eq!(r.bytes(2).unwrap(), b"xy");
        r.end().unwrap();
        assert_eq!(r.u8().unwrap_err(), "corrupt test state: truncated");
    }

    #[test]
    fn reader_errors_name_the_state() {
        let mut r = Reader::new(&[2, b'T'], "test state");
        assert_eq!(
            r.header(1, b'T').unwrap_err(),
            "corrupt test state: unsupported version 2 (expected 1)"
        );
        let mut r = Reader::new(&[1, b'X'], "test state");
        assert_eq!(
            r.header(1, b'T').unwrap_err(),
            "corrupt test state: wrong type tag"
        );
        let mut r = Reader::with_offsets(&[1, 0x80], "test state");
        r.u8().unwrap();
        assert_eq!(
            r.varint().unwrap_err(),
            "corrupt test state at byte 2: truncated"
        );
        // A varint beyond 64 bits overflows.
        let over = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert!(Reader::new(&over, "s")
            .varint()
            .unwrap_err()
            .contains("overflow"));
        for cut in 0..8 {
            assert!(Reader::new(&[0; 8][..cut], "s").i64().is_err());
            assert!(Reader::new(&[0; 8][..cut], "s").f64().is_err());
        }
    }

    #[test]
    fn counts_are_checked_before_allocating() {
        let mut w = Writer::default();
        w.u64(2);
        w.i32(5);
        w.i32(6);
        let b = w.finish();
        assert_eq!(Reader::new(&b, "s").count(4).unwrap(), 2);
        assert!(Reader::new(&b, "s").count(8).is_err());
        assert!(Reader::new(&b[..11], "s").count(4).is_err());
        let mut huge = u64::MAX.to_le_bytes().to_vec();
        huge.extend_from_slice(&[0; 8]);
        let e = Reader::new(&huge, "s").count(8).unwrap_err();
        assert!(e.contains("length does not match count"), "{e}");
        assert!(Reader::new(&huge, "s").count(0).is_err());

        let mut w = Writer::default();
        w.varint(3);
        w.bytes(&[1, 2, 3]);
        let b = w.finish();
        assert_eq!(Reader::new(&b, "s").varint_count(1).unwrap(), 3);
        assert!(Reader::new(&b, "s").varint_count(2).is_err());
        let mut w = Writer::default();
        w.varint(u64::MAX);
        let b = w.finish();
        assert!(Reader::new(&b, "s").varint_count(0).is_err());
        assert!(Reader::new(&b, "s").varint_count(9).is_err());
    }
}
