//! Composite result types of the aggregates, created before everything else.

use pgrx::prelude::*;

extension_sql!(
    r#"
CREATE TYPE gap_stats AS (
    orders      bigint,
    first_order date,
    last_order  date,
    mean_gap    double precision,
    median_gap  double precision,
    max_gap     double precision,
    stddev_gap  double precision,
    last_gap    double precision
);
COMMENT ON TYPE gap_stats IS 'Result of clv.order_gaps and clv.order_gaps_days: orders and the gaps in days between them.';

CREATE TYPE basket_decline AS (
    orders          bigint,
    early_mean      double precision,
    recent_mean     double precision,
    relative_change double precision,
    declined        boolean
);
COMMENT ON TYPE basket_decline IS 'Result of clv.basket_decline: mean basket of the first and last N orders and the relative change.';

CREATE TYPE rfm AS (
    recency_days integer,
    frequency    bigint,
    monetary     double precision,
    first_order  date,
    last_order   date
);
COMMENT ON TYPE rfm IS 'Result of clv.rfm: recency in days before as_of, frequency, monetary value, first and last order.';
"#,
    name = "result_types",
    bootstrap
);
