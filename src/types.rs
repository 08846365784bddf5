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

CREATE TYPE product_pair AS (
    product_a     bigint,
    product_b     bigint,
    pair_count    bigint,
    count_a       bigint,
    count_b       bigint,
    baskets       bigint,
    support       double precision,
    confidence_ab double precision,
    confidence_ba double precision,
    lift          double precision
);
COMMENT ON TYPE product_pair IS 'An element of clv.top_pairs: a product pair (product_a < product_b) and its association measures.';

CREATE TYPE product_partner AS (
    product    bigint,
    partner    bigint,
    pair_count bigint,
    confidence double precision,
    lift       double precision
);
COMMENT ON TYPE product_partner IS 'An element of clv.top_partners: a partner of a product, confidence = pair_count / baskets with product.';

CREATE TYPE btyd_summary AS (
    x             double precision,
    t_x           double precision,
    t             double precision,
    monetary      double precision,
    first_purchase date,
    last_purchase  date,
    holdout_x     double precision,
    holdout_value double precision
);
COMMENT ON TYPE btyd_summary IS 'Result of clv.btyd_summary: repeat purchases x, recency t_x and age T in time units, mean repeat value, and the holdout purchases and value.';

CREATE TYPE btyd_fit AS (
    model          text,
    param_names    text[],
    params         double precision[],
    log_likelihood double precision,
    iterations     bigint,
    converged      boolean,
    customers      double precision
);
COMMENT ON TYPE btyd_fit IS 'Result of the clv.*_fit aggregates: maximum-likelihood parameters (in param_names order), the log-likelihood at them (without the penalty), iterations, convergence and the number of customers.';
"#,
    name = "result_types",
    bootstrap
);
