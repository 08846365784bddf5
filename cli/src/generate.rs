//! `clv generate`: a synthetic but faithful Instacart Market Basket dataset.
//!
//! Writes the six published CSV files (`aisles.csv`, `departments.csv`,
//! `products.csv`, `orders.csv`, `order_products__prior.csv`,
//! `order_products__train.csv`) with the published names, headers and
//! shapes. Scale 1.0 reproduces the published sizes (206,209 users,
//! ~3.42M orders, ~33.8M order lines, 49,688 products).
//!
//! The output depends only on `(scale, seed)`: every user is simulated from
//! its own random stream, numbers go through deterministic arithmetic (see
//! `detmath`), and users are written in order. Two worker threads simulate
//! chunks of users while the calling thread writes them through bounded
//! channels, so memory stays flat whatever the scale.

mod catalog;
mod detmath;
mod names;
mod tables;
mod users;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver};

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use catalog::{product_count, Catalog};
use detmath::{user_rng, Permutation};
use tables::{AISLES, DEPARTMENTS, FULL_USERS};
use users::{Chunk, Model, Simulator};

/// What to generate and where.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// 1.0 = the published sizes; users (and products, within [1,000, 49,688]) scale linearly.
    pub scale: f64,
    /// Same (scale, seed) = same bytes.
    pub seed: u64,
    /// Directory receiving the six CSV files (created if missing).
    pub out_dir: PathBuf,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

/// Row counts of what was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateSummary {
    pub users: u64,
    pub orders: u64,
    pub prior_lines: u64,
    pub train_lines: u64,
    pub products: u64,
    pub aisles: u64,
    pub departments: u64,
}

/// Users simulated per chunk (the unit of work of a worker thread).
const CHUNK_USERS: u64 = 256;
/// Worker threads (the target machine has 2 cores).
const WORKERS: u64 = 2;
/// Chunks a worker may have finished ahead of the writer.
const CHANNEL_DEPTH: usize = 3;
/// Output buffer size of the big files.
const BUF_BYTES: usize = 4 << 20;

/// Number of users for a scale: round(206,209 * scale), at least 1.
fn user_count(scale: f64) -> u64 {
    ((FULL_USERS * scale).round() as u64).max(1)
}

fn check_scale(scale: f64) -> Result<()> {
    if scale.is_nan() || scale <= 0.0 || scale > 10.0 {
        bail!("invalid --scale {scale}: expected a number greater than 0 and at most 10 (1.0 = the published Instacart size)");
    }
    Ok(())
}

fn create(dir: &Path, name: &str) -> Result<(PathBuf, BufWriter<File>)> {
    let path = dir.join(name);
    let f = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok((path, BufWriter::with_capacity(BUF_BYTES, f)))
}

fn csv_writer(dir: &Path, name: &str) -> Result<(PathBuf, csv::Writer<File>)> {
    let path = dir.join(name);
    let f = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    let w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1 << 16)
        .from_writer(f);
    Ok((path, w))
}

fn write_dimensions(dir: &Path, cat: &Catalog) -> Result<()> {
    let (path, mut w) = csv_writer(dir, "departments.csv")?;
    let io = |e: csv::Error| anyhow::Error::new(e);
    (|| -> Result<()> {
        w.write_record(["department_id", "department"])
            .map_err(io)?;
        for (i, d) in DEPARTMENTS.iter().enumerate() {
            w.write_record([(i + 1).to_string().as_str(), d])
                .map_err(io)?;
        }
        w.flush()?;
        Ok(())
    })()
    .with_context(|| format!("cannot write {}", path.display()))?;

    let (path, mut w) = csv_writer(dir, "aisles.csv")?;
    (|| -> Result<()> {
        w.write_record(["aisle_id", "aisle"]).map_err(io)?;
        for (i, a) in AISLES.iter().enumerate() {
            w.write_record([(i + 1).to_string().as_str(), a.name])
                .map_err(io)?;
        }
        w.flush()?;
        Ok(())
    })()
    .with_context(|| format!("cannot write {}", path.display()))?;

    let (path, mut w) = csv_writer(dir, "products.csv")?;
    (|| -> Result<()> {
        w.write_record(["product_id", "product_name", "aisle_id", "department_id"])
            .map_err(io)?;
        for (i, name) in cat.names.iter().enumerate() {
            let aisle = cat.aisle[i];
            let dept = AISLES[aisle as usize - 1].department;
            w.write_record([
                (i + 1).to_string().as_str(),
                name.as_str(),
                aisle.to_string().as_str(),
                dept.to_string().as_str(),
            ])
            .map_err(io)?;
        }
        w.flush()?;
        Ok(())
    })()
    .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Generates the dataset into `opts.out_dir`.
pub fn generate(opts: &GenerateOptions) -> Result<GenerateSummary> {
    check_scale(opts.scale)?;
    let users = user_count(opts.scale);
    let n_products = product_count(opts.scale);
    std::fs::create_dir_all(&opts.out_dir)
        .with_context(|| format!("cannot create output directory {}", opts.out_dir.display()))?;

    let cat = Catalog::build(n_products, opts.seed);
    write_dimensions(&opts.out_dir, &cat)?;

    // Pass 1: the number of orders of every user (the first draw of its
    // stream) gives the first order sequence number of every chunk and the
    // total, which keys the order_id permutation.
    let model = Model::new();
    let n_chunks = users.div_ceil(CHUNK_USERS);
    let mut chunk_start = Vec::with_capacity(n_chunks as usize);
    let mut total_orders = 0u64;
    for u in 1..=users {
        if (u - 1) % CHUNK_USERS == 0 {
            chunk_start.push(total_orders);
        }
        let mut rng = user_rng(opts.seed, u);
        total_orders += model.n_orders(&mut rng) as u64;
    }
    let perm = Permutation::new(total_orders, opts.seed);

    let (orders_path, mut orders_w) = create(&opts.out_dir, "orders.csv")?;
    let (prior_path, mut prior_w) = create(&opts.out_dir, "order_products__prior.csv")?;
    let (train_path, mut train_w) = create(&opts.out_dir, "order_products__train.csv")?;
    let header = |w: &mut BufWriter<File>, path: &Path, h: &str| -> Result<()> {
        w.write_all(h.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))
    };
    header(
        &mut orders_w,
        &orders_path,
        "order_id,user_id,eval_set,order_number,order_dow,order_hour_of_day,days_since_prior_order\n",
    )?;
    header(
        &mut prior_w,
        &prior_path,
        "order_id,product_id,add_to_cart_order,reordered\n",
    )?;
    header(
        &mut train_w,
        &train_path,
        "order_id,product_id,add_to_cart_order,reordered\n",
    )?;

    let bar = if opts.progress {
        let b = ProgressBar::new(users);
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} generating users {bar:40} {pos}/{len} [{elapsed_precise}, eta {eta}]",
        ) {
            b.set_style(style);
        }
        b
    } else {
        ProgressBar::hidden()
    };

    let mut summary = GenerateSummary {
        users: 0,
        orders: 0,
        prior_lines: 0,
        train_lines: 0,
        products: n_products,
        aisles: AISLES.len() as u64,
        departments: DEPARTMENTS.len() as u64,
    };

    let seed = opts.seed;
    let result: Result<()> = std::thread::scope(|s| {
        let mut receivers: Vec<Receiver<Chunk>> = Vec::new();
        for w in 0..WORKERS {
            let (tx, rx) = sync_channel::<Chunk>(CHANNEL_DEPTH);
            receivers.push(rx);
            let (cat, model, perm, chunk_start) = (&cat, &model, &perm, &chunk_start);
            s.spawn(move || {
                let mut sim = Simulator::new(cat, model, perm, seed);
                let mut c = w;
                while c < n_chunks {
                    let mut chunk = Chunk::default();
                    let mut seq = chunk_start[c as usize];
                    let first = c * CHUNK_USERS + 1;
                    let last = ((c + 1) * CHUNK_USERS).min(users);
                    for u in first..=last {
                        seq += sim.user(u, seq, &mut chunk) as u64;
                    }
                    if tx.send(chunk).is_err() {
                        return; // the writer stopped on an error
                    }
                    c += WORKERS;
                }
            });
        }
        for c in 0..n_chunks {
            let chunk = receivers[(c % WORKERS) as usize]
                .recv()
                .context("a generator worker stopped unexpectedly")?;
            orders_w
                .write_all(&chunk.orders)
                .with_context(|| format!("cannot write {}", orders_path.display()))?;
            prior_w
                .write_all(&chunk.prior)
                .with_context(|| format!("cannot write {}", prior_path.display()))?;
            train_w
                .write_all(&chunk.train)
                .with_context(|| format!("cannot write {}", train_path.display()))?;
            summary.users += chunk.users;
            summary.orders += chunk.n_orders;
            summary.prior_lines += chunk.n_prior;
            summary.train_lines += chunk.n_train;
            bar.inc(chunk.users);
        }
        Ok(())
    });
    result?;
    for (w, path) in [
        (&mut orders_w, &orders_path),
        (&mut prior_w, &prior_path),
        (&mut train_w, &train_path),
    ] {
        w.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    bar.finish_and_clear();
    debug_assert_eq!(summary.orders, total_orders);
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    const FILES: [&str; 6] = [
        "aisles.csv",
        "departments.csv",
        "products.csv",
        "orders.csv",
        "order_products__prior.csv",
        "order_products__train.csv",
    ];

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("clv-generate-{}-{}", std::process::id(), name));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn opts(scale: f64, seed: u64, dir: &Path) -> GenerateOptions {
        GenerateOptions {
            scale,
            seed,
            out_dir: dir.to_path_buf(),
            progress: false,
        }
    }

    struct Order {
        order_id: u64,
        user_id: u64,
        eval_set: String,
        order_number: u32,
        dow: u32,
        hour: u32,
        days: Option<u32>,
    }

    struct Line {
        order_id: u64,
        product_id: u64,
        pos: u32,
        reordered: u8,
    }

    struct Data {
        summary: GenerateSummary,
        headers: Vec<String>,
        products: Vec<(u64, String, u32, u32)>,
        aisles: usize,
        departments: Vec<String>,
        orders: Vec<Order>,
        prior: Vec<Line>,
        train: Vec<Line>,
    }

    fn read_lines(path: &Path) -> (String, Vec<Line>) {
        let text = std::fs::read_to_string(path).unwrap();
        let mut it = text.lines();
        let header = it.next().unwrap().to_string();
        let lines = it
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                assert_eq!(f.len(), 4, "bad line {l:?}");
                Line {
                    order_id: f[0].parse().unwrap(),
                    product_id: f[1].parse().unwrap(),
                    pos: f[2].parse().unwrap(),
                    reordered: f[3].parse().unwrap(),
                }
            })
            .collect();
        (header, lines)
    }

    /// Generates a dataset, parses it all back and removes the directory.
    fn load(scale: f64, seed: u64, name: &str) -> Data {
        let dir = temp_dir(name);
        let summary = generate(&opts(scale, seed, &dir)).unwrap();
        let mut headers = Vec::new();
        for f in FILES {
            let text = std::fs::read_to_string(dir.join(f)).unwrap();
            assert!(!text.contains('\r'), "{f} must use \\n line endings");
            assert!(text.ends_with('\n'));
            headers.push(text.lines().next().unwrap().to_string());
        }
        let mut rdr = csv::Reader::from_path(dir.join("products.csv")).unwrap();
        let products = rdr
            .records()
            .map(|r| {
                let r = r.unwrap();
                assert_eq!(r.len(), 4);
                (
                    r[0].parse().unwrap(),
                    r[1].to_string(),
                    r[2].parse().unwrap(),
                    r[3].parse().unwrap(),
                )
            })
            .collect();
        let aisles = csv::Reader::from_path(dir.join("aisles.csv"))
            .unwrap()
            .records()
            .count();
        let departments = csv::Reader::from_path(dir.join("departments.csv"))
            .unwrap()
            .records()
            .map(|r| r.unwrap()[1].to_string())
            .collect();
        let text = std::fs::read_to_string(dir.join("orders.csv")).unwrap();
        let orders = text
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                assert_eq!(f.len(), 7, "bad order row {l:?}");
                let days = if f[6].is_empty() {
                    None
                } else {
                    let d = f[6].strip_suffix(".0").expect("days written as N.0");
                    Some(d.parse().unwrap())
                };
                Order {
                    order_id: f[0].parse().unwrap(),
                    user_id: f[1].parse().unwrap(),
                    eval_set: f[2].to_string(),
                    order_number: f[3].parse().unwrap(),
                    dow: f[4].parse().unwrap(),
                    hour: f[5].parse().unwrap(),
                    days,
                }
            })
            .collect();
        let (_, prior) = read_lines(&dir.join("order_products__prior.csv"));
        let (_, train) = read_lines(&dir.join("order_products__train.csv"));
        std::fs::remove_dir_all(&dir).unwrap();
        Data {
            summary,
            headers,
            products,
            aisles,
            departments,
            orders,
            prior,
            train,
        }
    }

    fn data_001() -> &'static Data {
        static DATA: std::sync::OnceLock<Data> = std::sync::OnceLock::new();
        DATA.get_or_init(|| load(0.01, 7, "scale001"))
    }

    #[test]
    fn same_seed_same_bytes_other_seed_differs() {
        let a = temp_dir("det-a");
        let b = temp_dir("det-b");
        let c = temp_dir("det-c");
        let sa = generate(&opts(0.002, 11, &a)).unwrap();
        let sb = generate(&opts(0.002, 11, &b)).unwrap();
        let sc = generate(&opts(0.002, 12, &c)).unwrap();
        assert_eq!(sa, sb);
        for f in FILES {
            let x = std::fs::read(a.join(f)).unwrap();
            let y = std::fs::read(b.join(f)).unwrap();
            assert!(x == y, "{f} differs between two runs with the same seed");
        }
        let x = std::fs::read(a.join("orders.csv")).unwrap();
        let z = std::fs::read(c.join("orders.csv")).unwrap();
        assert!(x != z, "a different seed must give different orders");
        assert_ne!(sa, sc);
        for d in [a, b, c] {
            std::fs::remove_dir_all(d).unwrap();
        }
    }

    #[test]
    fn rejects_bad_scale() {
        let dir = temp_dir("bad-scale");
        for s in [0.0, -1.0, f64::NAN, 10.5, f64::INFINITY] {
            let e = generate(&opts(s, 1, &dir)).unwrap_err();
            assert!(e.to_string().contains("--scale"), "{e}");
        }
        assert!(!dir.exists());
    }

    #[test]
    fn io_errors_name_the_path() {
        let dir = temp_dir("io-error");
        std::fs::create_dir_all(&dir).unwrap();
        let blocker = dir.join("file");
        std::fs::write(&blocker, b"x").unwrap();
        let e = generate(&opts(0.001, 1, &blocker.join("sub"))).unwrap_err();
        assert!(format!("{e:#}").contains("file"), "{e:#}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn structure_is_consistent() {
        let d = data_001();
        assert_eq!(
            d.headers,
            vec![
                "aisle_id,aisle",
                "department_id,department",
                "product_id,product_name,aisle_id,department_id",
                "order_id,user_id,eval_set,order_number,order_dow,order_hour_of_day,days_since_prior_order",
                "order_id,product_id,add_to_cart_order,reordered",
                "order_id,product_id,add_to_cart_order,reordered",
            ]
        );
        let s = &d.summary;
        assert_eq!(s.users, 2_062);
        assert_eq!(s.users, user_count(0.01));
        assert_eq!(s.orders as usize, d.orders.len());
        assert_eq!(s.prior_lines as usize, d.prior.len());
        assert_eq!(s.train_lines as usize, d.train.len());
        assert_eq!((s.aisles, s.departments), (134, 21));
        assert_eq!(d.aisles, 134);
        assert_eq!(d.departments.len(), 21);
        assert_eq!(d.departments[0], "frozen");
        assert_eq!(d.departments[20], "missing");
        assert_eq!(s.products as usize, d.products.len());
        assert_eq!(s.products, 1_000);
        for (i, p) in d.products.iter().enumerate() {
            assert_eq!(p.0, i as u64 + 1);
            assert!((1..=134).contains(&p.2) && (1..=21).contains(&p.3));
            assert_eq!(p.3, AISLES[p.2 as usize - 1].department);
        }

        // Orders: sorted by user then order_number, 4..=100 per user, last one train/test.
        let mut by_id: HashMap<u64, &Order> = HashMap::new();
        let mut i = 0;
        let mut expected_user = 1;
        while i < d.orders.len() {
            let u = d.orders[i].user_id;
            assert_eq!(u, expected_user, "users must appear in order, each once");
            expected_user += 1;
            let mut j = i;
            while j < d.orders.len() && d.orders[j].user_id == u {
                j += 1;
            }
            let n = j - i;
            assert!((4..=100).contains(&n), "user {u} has {n} orders");
            for (k, o) in d.orders[i..j].iter().enumerate() {
                assert_eq!(o.order_number as usize, k + 1);
                if k + 1 < n {
                    assert_eq!(o.eval_set, "prior");
                } else {
                    assert!(o.eval_set == "train" || o.eval_set == "test");
                }
                assert!(o.dow <= 6 && o.hour <= 23);
                assert_eq!(o.days.is_none(), o.order_number == 1);
                assert!(o.days.is_none_or(|x| x <= 30));
                assert!(by_id.insert(o.order_id, o).is_none(), "duplicate order_id");
            }
            i = j;
        }
        assert_eq!(expected_user - 1, s.users);
        let n = d.orders.len() as u64;
        assert!(
            by_id.keys().all(|&id| id >= 1 && id <= n),
            "order_id must be a permutation of 1..N"
        );
        let sequential = d
            .orders
            .windows(2)
            .filter(|w| w[1].order_id == w[0].order_id + 1)
            .count();
        assert!(
            sequential < d.orders.len() / 100,
            "order ids should look shuffled"
        );

        // Lines: grouped by order, positions 1..n, no duplicate product, right file.
        let mut with_lines: HashSet<u64> = HashSet::new();
        for (lines, set) in [(&d.prior, "prior"), (&d.train, "train")] {
            let mut k = 0;
            while k < lines.len() {
                let id = lines[k].order_id;
                let o = by_id.get(&id).expect("line refers to an unknown order");
                assert_eq!(o.eval_set, set);
                assert!(with_lines.insert(id), "order {id} is not contiguous");
                let mut seen = HashSet::new();
                let mut pos = 1;
                while k < lines.len() && lines[k].order_id == id {
                    assert_eq!(lines[k].pos, pos);
                    assert!(
                        seen.insert(lines[k].product_id),
                        "duplicate product in order {id}"
                    );
                    assert!(lines[k].product_id >= 1 && lines[k].product_id <= s.products);
                    assert!(lines[k].reordered <= 1);
                    pos += 1;
                    k += 1;
                }
                assert!(pos - 1 <= 145);
            }
        }
        for o in &d.orders {
            assert_eq!(
                with_lines.contains(&o.order_id),
                o.eval_set != "test",
                "order {}",
                o.order_id
            );
        }
    }

    /// Distribution statistics of a dataset, compared to the published data.
    #[derive(Debug)]
    struct Stats {
        orders_per_user: f64,
        capped_share: f64,
        train_share: f64,
        basket_mean: f64,
        basket_median: u32,
        basket_max: u32,
        basket_min: u32,
        basket_one_share: f64,
        prior_reorder: f64,
        train_reorder: f64,
        prior_per_user: f64,
        train_per_user: f64,
        days: Vec<f64>,
        days_mean: f64,
        day_hours_share: f64,
        dow_shares: Vec<f64>,
        top_products: Vec<(String, f64)>,
        comma_share: f64,
        quote_share: f64,
        decline_share: f64,
        decline_eligible: usize,
    }

    fn stats(d: &Data) -> Stats {
        let users = d.summary.users as f64;
        let n_orders = d.orders.len() as f64;
        let orders_per_user = n_orders / users;
        let capped_share = d.orders.iter().filter(|o| o.order_number == 100).count() as f64 / users;
        let train_share = d.orders.iter().filter(|o| o.eval_set == "train").count() as f64 / users;

        let mut sizes: HashMap<u64, u32> = HashMap::new();
        for l in d.prior.iter().chain(&d.train) {
            *sizes.entry(l.order_id).or_default() += 1;
        }
        let mut sv: Vec<u32> = sizes.values().copied().collect();
        sv.sort_unstable();
        let basket_mean = sv.iter().map(|&x| x as f64).sum::<f64>() / sv.len() as f64;
        let basket_one_share = sv.iter().filter(|&&x| x == 1).count() as f64 / sv.len() as f64;
        let share1 =
            |v: &[Line]| v.iter().filter(|l| l.reordered == 1).count() as f64 / v.len() as f64;

        let gaps: Vec<u32> = d.orders.iter().filter_map(|o| o.days).collect();
        let days: Vec<f64> = (0..=30)
            .map(|v| gaps.iter().filter(|&&g| g == v).count() as f64 / gaps.len() as f64)
            .collect();
        let days_mean = gaps.iter().map(|&g| g as f64).sum::<f64>() / gaps.len() as f64;
        let day_hours_share = d
            .orders
            .iter()
            .filter(|o| (9..=17).contains(&o.hour))
            .count() as f64
            / n_orders;
        let dow_shares = (0..7)
            .map(|w| d.orders.iter().filter(|o| o.dow == w).count() as f64 / n_orders)
            .collect();

        let baskets = sizes.len() as f64;
        let mut count: HashMap<u64, u32> = HashMap::new();
        for l in d.prior.iter().chain(&d.train) {
            *count.entry(l.product_id).or_default() += 1;
        }
        let mut top: Vec<(u32, u64)> = count.iter().map(|(&p, &c)| (c, p)).collect();
        top.sort_unstable_by(|a, b| b.cmp(a));
        let top_products = top
            .iter()
            .take(10)
            .map(|&(c, p)| (d.products[p as usize - 1].1.clone(), c as f64 / baskets))
            .collect();
        let np = d.products.len() as f64;
        let comma_share = d.products.iter().filter(|p| p.1.contains(',')).count() as f64 / np;
        let quote_share = d.products.iter().filter(|p| p.1.contains('"')).count() as f64 / np;

        // Users with >= 6 orders with lines: mean of the last 3 baskets more
        // than 20% below the mean of the first 3.
        let mut per_user: HashMap<u64, Vec<(u32, u32)>> = HashMap::new();
        for o in &d.orders {
            if let Some(&n) = sizes.get(&o.order_id) {
                per_user
                    .entry(o.user_id)
                    .or_default()
                    .push((o.order_number, n));
            }
        }
        let (mut eligible, mut declining) = (0usize, 0usize);
        for v in per_user.values_mut() {
            if v.len() < 6 {
                continue;
            }
            v.sort_unstable();
            let first: f64 = v[..3].iter().map(|x| x.1 as f64).sum::<f64>() / 3.0;
            let last: f64 = v[v.len() - 3..].iter().map(|x| x.1 as f64).sum::<f64>() / 3.0;
            eligible += 1;
            if last < 0.8 * first {
                declining += 1;
            }
        }
        Stats {
            orders_per_user,
            capped_share,
            train_share,
            basket_mean,
            basket_median: sv[sv.len() / 2],
            basket_max: sv[sv.len() - 1],
            basket_min: sv[0],
            basket_one_share,
            prior_reorder: share1(&d.prior),
            train_reorder: share1(&d.train),
            prior_per_user: d.prior.len() as f64 / users,
            train_per_user: d.train.len() as f64 / users,
            days,
            days_mean,
            day_hours_share,
            dow_shares,
            top_products,
            comma_share,
            quote_share,
            decline_share: declining as f64 / eligible.max(1) as f64,
            decline_eligible: eligible,
        }
    }

    #[test]
    fn distributions_match_the_published_data() {
        let d = data_001();
        let st = stats(d);
        eprintln!("{st:#?}");
        assert!(
            (st.orders_per_user - 16.59).abs() <= 1.5,
            "orders per user {}",
            st.orders_per_user
        );
        assert!(
            st.capped_share > 0.002,
            "some users are capped at 100 orders"
        );
        assert!(
            (st.train_share - 0.636).abs() <= 0.04,
            "train share {}",
            st.train_share
        );
        assert!(
            (st.basket_mean - 10.1).abs() <= 0.8,
            "mean basket {}",
            st.basket_mean
        );
        assert!(
            (7..=9).contains(&st.basket_median),
            "median basket {}",
            st.basket_median
        );
        assert!(st.basket_min >= 1 && st.basket_max <= 145);
        assert!(
            (st.prior_reorder - 0.59).abs() <= 0.04,
            "reorder share {}",
            st.prior_reorder
        );
        assert!(
            (st.days[30] - 0.116).abs() <= 0.03,
            "share of 30 days {}",
            st.days[30]
        );
        assert!(
            st.days[7] > st.days[6] && st.days[7] > st.days[8],
            "weekly spike at 7"
        );
        assert!(
            st.day_hours_share > 0.65,
            "hours 9..17 share {}",
            st.day_hours_share
        );
        assert!(
            (st.dow_shares[0] - 0.176).abs() < 0.03,
            "dow 0 share {}",
            st.dow_shares[0]
        );
        assert!(st.top_products[0].1 >= 0.05, "most popular product share");
        assert!(st.comma_share > 0.0 && st.quote_share > 0.0);
        assert!(
            (0.10..=0.40).contains(&st.decline_share),
            "declining share {}",
            st.decline_share
        );
        assert!(st.decline_eligible > 1_000);
        assert!(
            (0.01..0.08).contains(&st.basket_one_share),
            "single-item baskets"
        );
        assert!(
            (st.train_reorder - 0.6).abs() <= 0.08,
            "train reorder share {}",
            st.train_reorder
        );
        assert!(
            (st.prior_per_user - 157.3).abs() <= 20.0,
            "prior lines per user {}",
            st.prior_per_user
        );
        assert!(
            (st.train_per_user - 6.71).abs() <= 1.2,
            "train lines per user {}",
            st.train_per_user
        );
        assert!(
            (st.days_mean - 11.1).abs() <= 1.5,
            "mean days since prior {}",
            st.days_mean
        );

        // Product names round-trip through the csv crate.
        let cat = Catalog::build(d.summary.products, 7);
        assert_eq!(cat.names.len(), d.products.len());
        for (p, name) in d.products.iter().zip(&cat.names) {
            assert_eq!(&p.1, name);
        }

        // reordered = 1 exactly when the user bought the product in an earlier order.
        let user_of: HashMap<u64, (u64, u32)> = d
            .orders
            .iter()
            .map(|o| (o.order_id, (o.user_id, o.order_number)))
            .collect();
        let mut lines: Vec<(u64, u32, u64, u8)> = d
            .prior
            .iter()
            .chain(&d.train)
            .map(|l| {
                let (u, k) = user_of[&l.order_id];
                (u, k, l.product_id, l.reordered)
            })
            .collect();
        lines.sort_unstable();
        let mut bought: HashSet<(u64, u64)> = HashSet::new();
        let mut i = 0;
        while i < lines.len() {
            let (u, k) = (lines[i].0, lines[i].1);
            let mut j = i;
            while j < lines.len() && lines[j].0 == u && lines[j].1 == k {
                let expect = bought.contains(&(u, lines[j].2));
                assert_eq!(
                    lines[j].3 == 1,
                    expect,
                    "reordered flag of user {u} order {k}"
                );
                j += 1;
            }
            for l in &lines[i..j] {
                bought.insert((u, l.2));
            }
            i = j;
        }
    }
}
