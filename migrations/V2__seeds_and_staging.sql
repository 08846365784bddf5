-- Enrichment seeds (editable CSVs in sql/seeds/, loaded by `clv load`) and the
-- staging views that add what Instacart lacks: a calendar, money, a region per
-- customer and returns. Everything is a deterministic function of ids, seeds
-- and clv.hash_unit, so published and generated files are enriched alike.

CREATE TABLE raw.seed_department_economics (
    department           text    NOT NULL,
    median_unit_price    numeric(10, 2)   NOT NULL CHECK (median_unit_price > 0 AND median_unit_price < 10000),
    aisle_price_spread   double precision NOT NULL CHECK (aisle_price_spread BETWEEN 0 AND 2),
    product_price_spread double precision NOT NULL CHECK (product_price_spread BETWEEN 0 AND 2),
    margin_rate          double precision NOT NULL CHECK (margin_rate > 0 AND margin_rate < 1),
    margin_spread        double precision NOT NULL CHECK (margin_spread BETWEEN 0 AND 0.5),
    return_rate          double precision NOT NULL CHECK (return_rate BETWEEN 0 AND 1),
    CONSTRAINT seed_department_economics_pkey PRIMARY KEY (department)
);
COMMENT ON TABLE raw.seed_department_economics IS
  'Seed sql/seeds/seed_department_economics.csv: per department the median unit price, log-normal price spreads between aisles and between products, margin rate and spread, and the share of lines returned.';

CREATE TABLE raw.seed_regions (
    region text NOT NULL,
    weight double precision NOT NULL CHECK (weight > 0 AND weight < 1e6),
    CONSTRAINT seed_regions_pkey PRIMARY KEY (region)
);
COMMENT ON TABLE raw.seed_regions IS
  'Seed sql/seeds/seed_regions.csv: customer regions and their relative sizes.';

CREATE TABLE raw.seed_calendar (
    -- At most one row: the calendar has one set of settings.
    singleton                 boolean NOT NULL DEFAULT true CHECK (singleton),
    calendar_end              date    NOT NULL CHECK (calendar_end BETWEEN DATE '1990-01-01' AND DATE '2100-01-01'),
    history_window_days       integer NOT NULL CHECK (history_window_days BETWEEN 1 AND 36500),
    active_share              double precision NOT NULL CHECK (active_share BETWEEN 0 AND 1),
    active_window_days        integer NOT NULL CHECK (active_window_days BETWEEN 1 AND 36500),
    capped_gap_extra_max_days integer NOT NULL CHECK (capped_gap_extra_max_days BETWEEN 0 AND 365),
    CONSTRAINT seed_calendar_pkey PRIMARY KEY (singleton),
    CONSTRAINT seed_calendar_active_within_history CHECK (active_window_days <= history_window_days)
);
COMMENT ON TABLE raw.seed_calendar IS
  'Seed sql/seeds/seed_calendar.csv: how order dates are laid out (see README, What is synthetic).';

CREATE VIEW staging.stg_aisles AS
SELECT aisle_id, aisle FROM raw.aisles;
COMMENT ON VIEW staging.stg_aisles IS 'One row per aisle.';

CREATE VIEW staging.stg_departments AS
SELECT department_id, department FROM raw.departments;
COMMENT ON VIEW staging.stg_departments IS 'One row per department.';

CREATE VIEW staging.stg_products AS
SELECT
    p.product_id,
    p.product_name,
    p.aisle_id,
    a.aisle,
    p.department_id,
    d.department,
    price.unit_price,
    round(price.unit_price * (1 - m.margin_rate)::numeric, 2) AS unit_cost,
    e.return_rate,
    -- Whole cents, so the marts sum 34M lines as integers, not numerics.
    (price.unit_price * 100)::bigint AS unit_price_cents,
    (round(price.unit_price * (1 - m.margin_rate)::numeric, 2) * 100)::bigint AS unit_cost_cents
FROM raw.products p
JOIN raw.aisles a ON a.aisle_id = p.aisle_id
JOIN raw.departments d ON d.department_id = p.department_id
JOIN raw.seed_department_economics e ON e.department = d.department
CROSS JOIN LATERAL (
    -- Log-normal around the department median: one draw per aisle, one per product.
    SELECT greatest(0.10, round((e.median_unit_price * exp(
        e.aisle_price_spread * clv.hash_normal(p.aisle_id, 'aisle_price')
        + e.product_price_spread * clv.hash_normal(p.product_id, 'product_price')))::numeric, 2)) AS unit_price
) price
CROSS JOIN LATERAL (
    SELECT least(0.90, greatest(0.02,
        e.margin_rate + e.margin_spread * clv.hash_normal(p.product_id, 'product_margin'))) AS margin_rate
) m;
COMMENT ON VIEW staging.stg_products IS 'One row per product with aisle, department and synthetic unit price, unit cost and return rate (from seed_department_economics).';
COMMENT ON COLUMN staging.stg_products.unit_price IS 'Synthetic unit price in USD: department median x log-normal aisle and product factors.';
COMMENT ON COLUMN staging.stg_products.unit_cost IS 'Synthetic unit cost in USD: unit_price x (1 - product margin rate).';
COMMENT ON COLUMN staging.stg_products.return_rate IS 'Probability that a line of this product is returned (department rate).';
COMMENT ON COLUMN staging.stg_products.unit_price_cents IS 'unit_price in whole cents.';
COMMENT ON COLUMN staging.stg_products.unit_cost_cents IS 'unit_cost in whole cents.';

CREATE VIEW staging.stg_orders AS
WITH gaps AS (
    SELECT
        o.*,
        -- 30 means "30 or more" in the published data: stretch it by a
        -- deterministic 0..capped_gap_extra_max_days so long gaps exist.
        CASE
            WHEN o.days_since_prior_order IS NULL THEN 0
            WHEN o.days_since_prior_order >= 30 THEN 30 + floor(
                clv.hash_unit(o.order_id, 'capped_gap') * (c.capped_gap_extra_max_days + 1))::integer
            ELSE o.days_since_prior_order::integer
        END AS calendar_gap_days
    FROM raw.orders o
    CROSS JOIN raw.seed_calendar c
), running AS (
    SELECT
        g.*,
        sum(g.calendar_gap_days) OVER (PARTITION BY g.user_id ORDER BY g.order_number)::integer AS days_since_first_order,
        sum(g.calendar_gap_days) OVER (PARTITION BY g.user_id)::integer AS history_span_days
    FROM gaps g
)
SELECT
    r.order_id,
    r.user_id,
    r.eval_set,
    r.order_number,
    r.order_dow,
    r.order_hour_of_day,
    r.days_since_prior_order::integer AS days_since_prior_order,
    r.calendar_gap_days,
    r.days_since_first_order,
    -- Each customer's last order lands end_offset days before calendar_end:
    -- "active" customers within the active window, the rest anywhere in the
    -- history window, so lapsed customers exist.
    (c.calendar_end - end_offset.days - r.history_span_days + r.days_since_first_order) AS order_date,
    r.order_number = 1 AS is_first_order
FROM running r
CROSS JOIN raw.seed_calendar c
CROSS JOIN LATERAL (
    SELECT floor(clv.hash_unit(r.user_id, 'end_offset') * CASE
        WHEN clv.hash_unit(r.user_id, 'active') < c.active_share THEN c.active_window_days
        ELSE c.history_window_days END)::integer AS days
) end_offset;
COMMENT ON VIEW staging.stg_orders IS 'One row per order with a synthetic order_date (see README, What is synthetic).';
COMMENT ON COLUMN staging.stg_orders.calendar_gap_days IS 'Days since the prior order used by the calendar: days_since_prior_order, with 30 (capped) stretched to 30..30+capped_gap_extra_max_days.';
COMMENT ON COLUMN staging.stg_orders.order_date IS 'Synthetic order date: per-customer end date minus the customer''s span plus the running sum of calendar gaps.';

CREATE VIEW staging.stg_dataset AS
SELECT max(order_date) AS as_of_date, min(order_date) AS first_order_date
FROM staging.stg_orders;
COMMENT ON VIEW staging.stg_dataset IS 'The dataset as-of date (the latest order date) and the earliest order date.';

CREATE VIEW staging.stg_customers AS
WITH regions AS (
    SELECT
        region,
        coalesce(sum(weight) OVER (ORDER BY region ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
            / sum(weight) OVER () AS lo,
        -- The last region's upper bound is 2, not a rounded 0.99999..., so every draw lands somewhere.
        CASE WHEN row_number() OVER (ORDER BY region DESC) = 1 THEN 2.0
             ELSE sum(weight) OVER (ORDER BY region ROWS UNBOUNDED PRECEDING) / sum(weight) OVER () END AS hi
    FROM raw.seed_regions
), customers AS (
    SELECT user_id, count(*) AS orders, min(order_date) AS first_order_date, max(order_date) AS last_order_date
    FROM staging.stg_orders
    GROUP BY user_id
)
SELECT
    c.user_id,
    r.region,
    c.orders,
    c.first_order_date,
    c.last_order_date,
    date_trunc('month', c.first_order_date)::date AS cohort_month
FROM customers c
JOIN regions r ON clv.hash_unit(c.user_id, 'region') >= r.lo AND clv.hash_unit(c.user_id, 'region') < r.hi;
COMMENT ON VIEW staging.stg_customers IS 'One row per customer with a synthetic region (seed_regions weights) and first/last order dates.';

-- The one definition of a synthetic return, shared by stg_order_lines and
-- the models that read lines without it (an inlined SQL function).
CREATE FUNCTION staging.line_is_returned(order_id bigint, product_id bigint, return_rate double precision)
RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN clv.hash_unit(order_id, product_id, 'returned') < return_rate;
COMMENT ON FUNCTION staging.line_is_returned IS 'Synthetic: an order line is returned when hash_unit(order_id, product_id, ''returned'') is below its department''s return rate.';

CREATE VIEW staging.stg_order_lines AS
SELECT
    l.order_id,
    l.product_id,
    l.add_to_cart_order,
    l.reordered = 1 AS is_reorder,
    l.eval_set,
    p.department_id,
    p.aisle_id,
    p.unit_price,
    p.unit_cost,
    p.unit_price_cents,
    p.unit_cost_cents,
    staging.line_is_returned(l.order_id, l.product_id, p.return_rate) AS is_returned
FROM (
    SELECT order_id, product_id, add_to_cart_order, reordered, 'prior'::text AS eval_set FROM raw.order_products_prior
    UNION ALL
    SELECT order_id, product_id, add_to_cart_order, reordered, 'train'::text FROM raw.order_products_train
) l
JOIN staging.stg_products p ON p.product_id = l.product_id;
COMMENT ON VIEW staging.stg_order_lines IS 'One row per order line (prior and train), quantity 1, with synthetic unit price, cost and a returned flag.';
COMMENT ON COLUMN staging.stg_order_lines.is_returned IS 'Synthetic: hash of (order_id, product_id) below the department return rate.';
