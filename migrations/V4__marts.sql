-- The models BI reads: intermediate behavioural metrics and the marts (CLV
-- facts, dimensions, KPIs and one mart per business question).
--
-- How they are kept (see `clv refresh`): each mart is a table marts.x whose
-- content is defined by the view model.x; a refresh runs, in ONE transaction
-- and in dependency order, DELETE FROM marts.x; INSERT INTO marts.x SELECT *
-- FROM model.x. Readers only ever need ROW EXCLUSIVE-compatible locks, so
-- they are never blocked and see the old rows until the new ones commit; a
-- failure rolls everything back. (REFRESH ... CONCURRENTLY on materialized
-- views does the same for readers but costs 3-4x at 3.4M rows.) Intermediate
-- models are materialized views refreshed plainly (in parallel): BI cannot
-- read them. Thresholds come from meta.settings at refresh time, always as a
-- scalar subquery, (SELECT meta.setting('x')): an InitPlan run once per query,
-- where a bare call would run once per row. Each model is followed by its
-- comments and data tests (meta.data_tests, `clv test`).
--
-- Money: numeric, exact. Orders whose lines are not published (Instacart's
-- eval_set 'test') count as orders but have NULL basket and value, so AOV
-- (avg of order_value) is over priced orders only.

-- Order ids and product ids of every published line, without the product join
-- of stg_order_lines: the input of basket-level models.
CREATE SCHEMA model;
COMMENT ON SCHEMA model IS 'Definitions of the mart tables: view model.x is what `clv refresh` writes into table marts.x.';

CREATE VIEW staging.stg_basket_lines AS
SELECT order_id, product_id FROM raw.order_products_prior
UNION ALL
SELECT order_id, product_id FROM raw.order_products_train;
COMMENT ON VIEW staging.stg_basket_lines IS 'One row per published order line (prior and train): order_id and product_id only.';

CREATE FUNCTION meta.add_tests(schema_name text, model_name text, not_null text[], unique_key text[])
RETURNS void LANGUAGE sql AS $$
    INSERT INTO meta.data_tests (schema_name, model_name, kind, columns)
    SELECT schema_name, model_name, 'not_null', ARRAY[c] FROM unnest(not_null) c
    UNION ALL
    SELECT schema_name, model_name, 'unique', unique_key WHERE unique_key IS NOT NULL;
$$;
COMMENT ON FUNCTION meta.add_tests IS 'Declares not_null tests for each column and one unique test for the key (used by the migrations).';

CREATE FUNCTION meta.add_range(schema_name text, model_name text, column_name text, lo double precision, hi double precision)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO meta.data_tests (schema_name, model_name, kind, columns, min_value, max_value)
    VALUES (schema_name, model_name, 'accepted_range', ARRAY[column_name], lo, hi);
$$;

CREATE FUNCTION meta.add_relationship(schema_name text, model_name text, column_name text,
                                      ref_schema text, ref_model text, ref_column text)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO meta.data_tests (schema_name, model_name, kind, columns, ref_schema, ref_model, ref_column)
    VALUES (schema_name, model_name, 'relationship', ARRAY[column_name], ref_schema, ref_model, ref_column);
$$;

CREATE FUNCTION meta.add_values(schema_name text, model_name text, column_name text, accepted text[])
RETURNS void LANGUAGE sql AS $$
    INSERT INTO meta.data_tests (schema_name, model_name, kind, columns, accepted)
    VALUES (schema_name, model_name, 'accepted_values', ARRAY[column_name], accepted);
$$;

------------------------------------------------------------------------------
-- intermediate
------------------------------------------------------------------------------

-- Prices computed once per product and kept with statistics: joined to 34M
-- lines, the staging view would recompute them per line.
CREATE MATERIALIZED VIEW intermediate.int_product_prices AS
SELECT product_id, department_id, aisle_id, unit_price_cents, unit_cost_cents, return_rate
FROM staging.stg_products;
CREATE UNIQUE INDEX int_product_prices_key ON intermediate.int_product_prices (product_id);
COMMENT ON MATERIALIZED VIEW intermediate.int_product_prices IS 'Per product the synthetic unit price and cost in cents and the return rate (from staging.stg_products).';
SELECT meta.add_tests('intermediate', 'int_product_prices', ARRAY['product_id', 'department_id', 'unit_price_cents', 'unit_cost_cents', 'return_rate'], ARRAY['product_id']);

CREATE MATERIALIZED VIEW intermediate.int_order_metrics AS
SELECT
    l.order_id,
    count(*)::integer AS basket_size,
    -- Summed in whole cents (integers are several times faster than numeric
    -- over 34M lines) and turned back into exact dollars once per order.
    (sum(l.unit_price_cents) / 100.0)::numeric(14, 2) AS order_value,
    (sum(l.unit_cost_cents) / 100.0)::numeric(14, 2) AS order_cost,
    (coalesce(sum(l.unit_price_cents) FILTER (WHERE l.is_returned), 0) / 100.0)::numeric(14, 2) AS returned_value,
    (coalesce(sum(l.unit_cost_cents) FILTER (WHERE l.is_returned), 0) / 100.0)::numeric(14, 2) AS returned_cost,
    count(*) FILTER (WHERE l.is_returned)::integer AS returned_lines,
    -- Departments 0..62 as bits, so a customer's departments are one bit_or
    -- away instead of another pass over every line (data test on dim_product).
    bit_or(1::bigint << l.department_id) AS department_mask
FROM (
    SELECT b.order_id, p.department_id, p.unit_price_cents, p.unit_cost_cents,
           staging.line_is_returned(b.order_id, b.product_id, p.return_rate) AS is_returned
    FROM staging.stg_basket_lines b
    JOIN intermediate.int_product_prices p ON p.product_id = b.product_id
) l
GROUP BY l.order_id;
CREATE UNIQUE INDEX int_order_metrics_key ON intermediate.int_order_metrics (order_id);
COMMENT ON MATERIALIZED VIEW intermediate.int_order_metrics IS 'One row per order that has published lines: basket size, value, cost, returns and the set of departments.';
COMMENT ON COLUMN intermediate.int_order_metrics.department_mask IS 'Bit d set when the order has a line from department_id d (ids 0..62).';
SELECT meta.add_tests('intermediate', 'int_order_metrics', ARRAY['order_id', 'basket_size', 'order_value', 'department_mask'], ARRAY['order_id']);
SELECT meta.add_range('intermediate', 'int_order_metrics', 'basket_size', 1, NULL);

------------------------------------------------------------------------------
-- core marts: dimensions and facts
------------------------------------------------------------------------------

CREATE VIEW model.dim_product AS
SELECT
    product_id,
    product_name,
    aisle_id,
    aisle,
    department_id,
    department,
    unit_price,
    unit_cost,
    unit_price - unit_cost AS unit_margin,
    return_rate
FROM staging.stg_products;
CREATE TABLE marts.dim_product AS SELECT * FROM model.dim_product WITH NO DATA;
ALTER TABLE marts.dim_product ADD CONSTRAINT dim_product_pkey PRIMARY KEY (product_id);
COMMENT ON TABLE marts.dim_product IS 'Product dimension: one row per product with aisle, department, synthetic price, cost and return rate.';
COMMENT ON COLUMN marts.dim_product.product_id IS 'Instacart product id.';
COMMENT ON COLUMN marts.dim_product.product_name IS 'Product name as published.';
COMMENT ON COLUMN marts.dim_product.aisle_id IS 'Aisle id.';
COMMENT ON COLUMN marts.dim_product.aisle IS 'Aisle name.';
COMMENT ON COLUMN marts.dim_product.department_id IS 'Department id.';
COMMENT ON COLUMN marts.dim_product.department IS 'Department name.';
COMMENT ON COLUMN marts.dim_product.unit_price IS 'Synthetic unit price, USD.';
COMMENT ON COLUMN marts.dim_product.unit_cost IS 'Synthetic unit cost, USD.';
COMMENT ON COLUMN marts.dim_product.unit_margin IS 'unit_price - unit_cost, USD.';
COMMENT ON COLUMN marts.dim_product.return_rate IS 'Share of this product''s lines that are returned (synthetic, by department).';
SELECT meta.add_tests('marts', 'dim_product', ARRAY['product_id', 'product_name', 'aisle', 'department', 'unit_price', 'unit_cost'], ARRAY['product_id']);
SELECT meta.add_range('marts', 'dim_product', 'department_id', 0, 62);
SELECT meta.add_range('marts', 'dim_product', 'unit_price', 0.01, NULL);
SELECT meta.add_range('marts', 'dim_product', 'return_rate', 0, 1);

CREATE VIEW model.fct_orders AS
SELECT
    o.order_id,
    o.user_id,
    o.order_number,
    o.order_date,
    date_trunc('month', o.order_date)::date AS order_month,
    o.order_dow,
    o.order_hour_of_day,
    o.eval_set,
    o.days_since_prior_order,
    m.order_id IS NOT NULL AS has_lines,
    m.basket_size,
    m.order_value,
    m.order_cost,
    m.returned_value,
    m.order_value - m.returned_value AS net_value,
    (m.order_value - m.returned_value) - (m.order_cost - m.returned_cost) AS order_margin,
    m.returned_lines,
    m.department_mask,
    o.is_first_order,
    CASE WHEN o.is_first_order THEN 'first-time' ELSE 'returning' END AS customer_order_type
FROM staging.stg_orders o
LEFT JOIN intermediate.int_order_metrics m ON m.order_id = o.order_id;
CREATE TABLE marts.fct_orders AS SELECT * FROM model.fct_orders WITH NO DATA;
-- No primary key on the 3.4M-row fact: refresh re-inserts every row, and
-- the unique check against the just-deleted versions doubled its cost.
-- order_id uniqueness is a declared data test (clv test).
COMMENT ON TABLE marts.fct_orders IS 'Order fact: one row per order with its synthetic date, basket size, value, margin and returns. Orders without published lines (eval_set test) have NULL basket and money columns.';
COMMENT ON COLUMN marts.fct_orders.order_id IS 'Instacart order id.';
COMMENT ON COLUMN marts.fct_orders.user_id IS 'Customer (Instacart user id).';
COMMENT ON COLUMN marts.fct_orders.order_number IS 'The customer''s order sequence number, from 1.';
COMMENT ON COLUMN marts.fct_orders.order_date IS 'Synthetic order date (see README, What is synthetic).';
COMMENT ON COLUMN marts.fct_orders.order_month IS 'First day of the order''s calendar month.';
COMMENT ON COLUMN marts.fct_orders.order_dow IS 'Day of week as published (0..6; Instacart does not document which day 0 is).';
COMMENT ON COLUMN marts.fct_orders.order_hour_of_day IS 'Hour of day as published (0..23).';
COMMENT ON COLUMN marts.fct_orders.eval_set IS 'prior, train or test (test orders have no published lines).';
COMMENT ON COLUMN marts.fct_orders.days_since_prior_order IS 'As published: capped at 30, NULL for the first order.';
COMMENT ON COLUMN marts.fct_orders.has_lines IS 'True when the order''s lines are published (prior and train orders).';
COMMENT ON COLUMN marts.fct_orders.basket_size IS 'Number of lines (products) in the order; NULL without published lines.';
COMMENT ON COLUMN marts.fct_orders.order_value IS 'Gross order value: sum of unit prices of its lines, USD.';
COMMENT ON COLUMN marts.fct_orders.order_cost IS 'Sum of unit costs of its lines, USD.';
COMMENT ON COLUMN marts.fct_orders.returned_value IS 'Value of the returned lines, USD.';
COMMENT ON COLUMN marts.fct_orders.net_value IS 'order_value - returned_value, USD.';
COMMENT ON COLUMN marts.fct_orders.order_margin IS 'Margin on the kept lines: net_value minus the cost of the kept lines, USD.';
COMMENT ON COLUMN marts.fct_orders.returned_lines IS 'Number of returned lines.';
COMMENT ON COLUMN marts.fct_orders.department_mask IS 'Bit d set when the order has a line from department_id d.';
COMMENT ON COLUMN marts.fct_orders.is_first_order IS 'True for the customer''s first order (order_number 1).';
COMMENT ON COLUMN marts.fct_orders.customer_order_type IS 'first-time (the customer''s first order) or returning.';
SELECT meta.add_tests('marts', 'fct_orders', ARRAY['order_id', 'user_id', 'order_number', 'order_date', 'order_month', 'eval_set', 'has_lines', 'customer_order_type'], ARRAY['order_id']);
SELECT meta.add_values('marts', 'fct_orders', 'customer_order_type', ARRAY['first-time', 'returning']);
SELECT meta.add_range('marts', 'fct_orders', 'basket_size', 1, NULL);
SELECT meta.add_range('marts', 'fct_orders', 'order_value', 0, NULL);
SELECT meta.add_range('marts', 'fct_orders', 'returned_value', 0, NULL);

CREATE VIEW model.dim_customer AS
SELECT
    c.user_id,
    c.region,
    c.first_order_date,
    c.last_order_date,
    c.cohort_month,
    c.orders,
    CASE
        WHEN c.orders = 1 THEN 'one-time'
        WHEN c.orders <= (SELECT meta.setting('loyalty_order_threshold')) THEN 'repeat'
        ELSE 'loyal'
    END AS customer_type
FROM staging.stg_customers c;
CREATE TABLE marts.dim_customer AS SELECT * FROM model.dim_customer WITH NO DATA;
ALTER TABLE marts.dim_customer ADD CONSTRAINT dim_customer_pkey PRIMARY KEY (user_id);
COMMENT ON TABLE marts.dim_customer IS 'Customer dimension: one row per customer with region, first order date, cohort month and customer type.';
COMMENT ON COLUMN marts.dim_customer.user_id IS 'Customer (Instacart user id).';
COMMENT ON COLUMN marts.dim_customer.region IS 'Synthetic region (seed_regions weights).';
COMMENT ON COLUMN marts.dim_customer.first_order_date IS 'Date of the first order.';
COMMENT ON COLUMN marts.dim_customer.last_order_date IS 'Date of the latest order.';
COMMENT ON COLUMN marts.dim_customer.cohort_month IS 'First day of the month of the first order: the retention cohort.';
COMMENT ON COLUMN marts.dim_customer.orders IS 'Number of orders (all eval sets).';
COMMENT ON COLUMN marts.dim_customer.customer_type IS 'one-time (1 order), repeat (2..loyalty_order_threshold orders) or loyal (more).';
SELECT meta.add_tests('marts', 'dim_customer', ARRAY['user_id', 'region', 'first_order_date', 'last_order_date', 'cohort_month', 'orders', 'customer_type'], ARRAY['user_id']);
SELECT meta.add_values('marts', 'dim_customer', 'customer_type', ARRAY['one-time', 'repeat', 'loyal']);
SELECT meta.add_relationship('marts', 'fct_orders', 'user_id', 'marts', 'dim_customer', 'user_id');

CREATE VIEW model.fct_customer_clv AS
WITH as_of AS (
    SELECT max(order_date) AS as_of_date FROM marts.fct_orders
), per_customer AS (
    SELECT
        o.user_id,
        count(*) AS orders,
        count(o.order_value) AS priced_orders,
        coalesce(sum(o.order_value), 0) AS revenue,
        coalesce(sum(o.returned_value), 0) AS returned_value,
        coalesce(sum(o.net_value), 0) AS net_revenue,
        coalesce(sum(o.order_margin), 0) AS margin,
        avg(o.order_value) AS aov,
        bit_count(coalesce(bit_or(o.department_mask), 0)::bit(64))::integer AS departments,
        -- A test order (NULL value) counts as an order worth 0.
        clv.rfm(o.order_date, o.order_value::double precision, a.as_of_date) AS rfm
    FROM marts.fct_orders o
    CROSS JOIN as_of a
    GROUP BY o.user_id, a.as_of_date
), flat AS (
    SELECT user_id, orders, priced_orders, revenue, returned_value, net_revenue, margin, aov, departments,
           (rfm).recency_days, (rfm).frequency, (rfm).monetary, (rfm).first_order, (rfm).last_order
    FROM per_customer
), scored AS (
    SELECT
        f.*,
        -- Quintiles across the customer base; ties share a score. Recency
        -- ranks oldest first so the most recent customers score 5.
        clv.rfm_quintile(rank() OVER (ORDER BY f.recency_days DESC), count(*) OVER ()) AS r_score,
        clv.rfm_quintile(rank() OVER (ORDER BY f.frequency), count(*) OVER ()) AS f_score,
        -- Monetary ranks the exact revenue, not its float sum, so equal
        -- revenues tie.
        clv.rfm_quintile(rank() OVER (ORDER BY f.revenue), count(*) OVER ()) AS m_score
    FROM flat f
)
SELECT
    s.user_id,
    c.region,
    c.cohort_month,
    c.customer_type,
    s.orders,
    s.priced_orders,
    s.first_order AS first_order_date,
    s.last_order AS last_order_date,
    s.last_order - s.first_order AS tenure_days,
    s.recency_days,
    s.revenue,
    s.returned_value,
    s.net_revenue,
    s.margin,
    s.aov,
    s.margin AS historical_clv,
    s.departments,
    s.r_score,
    s.f_score,
    s.m_score,
    clv.rfm_segment(s.r_score, s.f_score, s.m_score) AS rfm_segment
FROM scored s
JOIN marts.dim_customer c ON c.user_id = s.user_id;
CREATE TABLE marts.fct_customer_clv AS SELECT * FROM model.fct_customer_clv WITH NO DATA;
ALTER TABLE marts.fct_customer_clv ADD CONSTRAINT fct_customer_clv_pkey PRIMARY KEY (user_id);
COMMENT ON TABLE marts.fct_customer_clv IS 'Customer CLV fact: one row per customer with orders, tenure, revenue, margin, AOV, historical CLV, RFM scores and segment, and recency.';
COMMENT ON COLUMN marts.fct_customer_clv.user_id IS 'Customer (Instacart user id).';
COMMENT ON COLUMN marts.fct_customer_clv.region IS 'Synthetic region.';
COMMENT ON COLUMN marts.fct_customer_clv.cohort_month IS 'Month of the first order.';
COMMENT ON COLUMN marts.fct_customer_clv.customer_type IS 'one-time, repeat or loyal (see dim_customer).';
COMMENT ON COLUMN marts.fct_customer_clv.orders IS 'Number of orders (all eval sets): RFM frequency.';
COMMENT ON COLUMN marts.fct_customer_clv.priced_orders IS 'Orders with published lines (the AOV denominator).';
COMMENT ON COLUMN marts.fct_customer_clv.first_order_date IS 'Date of the first order.';
COMMENT ON COLUMN marts.fct_customer_clv.last_order_date IS 'Date of the latest order.';
COMMENT ON COLUMN marts.fct_customer_clv.tenure_days IS 'Days from the first to the latest order.';
COMMENT ON COLUMN marts.fct_customer_clv.recency_days IS 'Days from the latest order to the as-of date (the dataset''s latest order date).';
COMMENT ON COLUMN marts.fct_customer_clv.revenue IS 'Gross revenue: sum of order values, USD (RFM monetary).';
COMMENT ON COLUMN marts.fct_customer_clv.returned_value IS 'Value of returned lines, USD.';
COMMENT ON COLUMN marts.fct_customer_clv.net_revenue IS 'revenue - returned_value, USD.';
COMMENT ON COLUMN marts.fct_customer_clv.margin IS 'Margin on kept lines, USD.';
COMMENT ON COLUMN marts.fct_customer_clv.aov IS 'Average order value over priced orders, USD.';
COMMENT ON COLUMN marts.fct_customer_clv.historical_clv IS 'Historical CLV: the margin the customer has brought so far, USD.';
COMMENT ON COLUMN marts.fct_customer_clv.departments IS 'Number of distinct departments the customer bought from.';
COMMENT ON COLUMN marts.fct_customer_clv.r_score IS 'Recency quintile 1..5 (5 = most recent).';
COMMENT ON COLUMN marts.fct_customer_clv.f_score IS 'Frequency quintile 1..5 (5 = most orders).';
COMMENT ON COLUMN marts.fct_customer_clv.m_score IS 'Monetary quintile 1..5 (5 = highest revenue).';
COMMENT ON COLUMN marts.fct_customer_clv.rfm_segment IS 'RFM segment name from (R, ceil((F+M)/2)) (README, RFM segments).';
SELECT meta.add_tests('marts', 'fct_customer_clv', ARRAY['user_id', 'region', 'orders', 'first_order_date', 'recency_days', 'revenue', 'margin', 'historical_clv', 'r_score', 'f_score', 'm_score', 'rfm_segment'], ARRAY['user_id']);
SELECT meta.add_relationship('marts', 'fct_customer_clv', 'user_id', 'marts', 'dim_customer', 'user_id');
SELECT meta.add_range('marts', 'fct_customer_clv', 'r_score', 1, 5);
SELECT meta.add_range('marts', 'fct_customer_clv', 'f_score', 1, 5);
SELECT meta.add_range('marts', 'fct_customer_clv', 'm_score', 1, 5);
SELECT meta.add_range('marts', 'fct_customer_clv', 'recency_days', 0, NULL);
SELECT meta.add_range('marts', 'fct_customer_clv', 'tenure_days', 0, NULL);
SELECT meta.add_range('marts', 'fct_customer_clv', 'orders', 1, NULL);

------------------------------------------------------------------------------
-- the ten questions
------------------------------------------------------------------------------

-- Q1: monthly retention by first-order cohort.
CREATE VIEW model.mart_cohort_retention AS
WITH settings AS (
    SELECT (SELECT meta.setting('cohort_months'))::integer AS months
), as_of AS (
    SELECT date_trunc('month', max(order_date))::date AS as_of_month FROM marts.fct_orders
), cohorts AS (
    SELECT cohort_month, count(*) AS cohort_size FROM marts.dim_customer GROUP BY cohort_month
), activity AS (
    SELECT
        c.cohort_month,
        ((extract(year FROM o.order_month) - extract(year FROM c.cohort_month)) * 12
          + extract(month FROM o.order_month) - extract(month FROM c.cohort_month))::integer AS months_since_first_order,
        count(DISTINCT o.user_id) AS active_customers
    FROM marts.fct_orders o
    JOIN marts.dim_customer c ON c.user_id = o.user_id
    GROUP BY 1, 2
)
SELECT
    k.cohort_month,
    m.months_since_first_order,
    k.cohort_size,
    coalesce(a.active_customers, 0) AS active_customers,
    round(coalesce(a.active_customers, 0)::numeric / k.cohort_size, 6) AS retention_rate
FROM cohorts k
CROSS JOIN settings s
CROSS JOIN as_of
CROSS JOIN LATERAL generate_series(0, s.months) AS m(months_since_first_order)
LEFT JOIN activity a ON a.cohort_month = k.cohort_month AND a.months_since_first_order = m.months_since_first_order
-- Months after the data ends are unknown, not 0% retained.
WHERE (k.cohort_month + make_interval(months => m.months_since_first_order))::date <= as_of.as_of_month;
CREATE TABLE marts.mart_cohort_retention AS SELECT * FROM model.mart_cohort_retention WITH NO DATA;
ALTER TABLE marts.mart_cohort_retention ADD CONSTRAINT mart_cohort_retention_pkey PRIMARY KEY (cohort_month, months_since_first_order);
COMMENT ON TABLE marts.mart_cohort_retention IS 'Q1, long form: per first-order cohort month and month offset (0..cohort_months, up to the as-of month), the customers who ordered in that month and the retention rate.';
COMMENT ON COLUMN marts.mart_cohort_retention.cohort_month IS 'Month of the customers'' first order.';
COMMENT ON COLUMN marts.mart_cohort_retention.months_since_first_order IS 'Calendar months after the cohort month (0 = the cohort month itself).';
COMMENT ON COLUMN marts.mart_cohort_retention.cohort_size IS 'Customers in the cohort.';
COMMENT ON COLUMN marts.mart_cohort_retention.active_customers IS 'Cohort customers with at least one order in that month.';
COMMENT ON COLUMN marts.mart_cohort_retention.retention_rate IS 'active_customers / cohort_size (1 at offset 0), rounded to 6 decimals.';
SELECT meta.add_tests('marts', 'mart_cohort_retention', ARRAY['cohort_month', 'months_since_first_order', 'cohort_size', 'active_customers', 'retention_rate'], ARRAY['cohort_month', 'months_since_first_order']);
SELECT meta.add_range('marts', 'mart_cohort_retention', 'retention_rate', 0, 1);
SELECT meta.add_range('marts', 'mart_cohort_retention', 'months_since_first_order', 0, NULL);

CREATE VIEW model.mart_cohort_retention_pivot AS
SELECT
    cohort_month,
    max(cohort_size) AS cohort_size,
    max(retention_rate) FILTER (WHERE months_since_first_order = 0) AS m00,
    max(retention_rate) FILTER (WHERE months_since_first_order = 1) AS m01,
    max(retention_rate) FILTER (WHERE months_since_first_order = 2) AS m02,
    max(retention_rate) FILTER (WHERE months_since_first_order = 3) AS m03,
    max(retention_rate) FILTER (WHERE months_since_first_order = 4) AS m04,
    max(retention_rate) FILTER (WHERE months_since_first_order = 5) AS m05,
    max(retention_rate) FILTER (WHERE months_since_first_order = 6) AS m06,
    max(retention_rate) FILTER (WHERE months_since_first_order = 7) AS m07,
    max(retention_rate) FILTER (WHERE months_since_first_order = 8) AS m08,
    max(retention_rate) FILTER (WHERE months_since_first_order = 9) AS m09,
    max(retention_rate) FILTER (WHERE months_since_first_order = 10) AS m10,
    max(retention_rate) FILTER (WHERE months_since_first_order = 11) AS m11,
    max(retention_rate) FILTER (WHERE months_since_first_order = 12) AS m12
FROM marts.mart_cohort_retention
GROUP BY cohort_month;
CREATE TABLE marts.mart_cohort_retention_pivot AS SELECT * FROM model.mart_cohort_retention_pivot WITH NO DATA;
ALTER TABLE marts.mart_cohort_retention_pivot ADD CONSTRAINT mart_cohort_retention_pivot_pkey PRIMARY KEY (cohort_month);
COMMENT ON TABLE marts.mart_cohort_retention_pivot IS 'Q1, pivoted: one row per cohort, retention rate per month offset 0..12 (NULL past the as-of month or the cohort_months setting).';
COMMENT ON COLUMN marts.mart_cohort_retention_pivot.cohort_month IS 'Month of the customers'' first order.';
COMMENT ON COLUMN marts.mart_cohort_retention_pivot.cohort_size IS 'Customers in the cohort.';
DO $$
BEGIN
    FOR k IN 0..12 LOOP
        EXECUTE format('COMMENT ON COLUMN marts.mart_cohort_retention_pivot.%I IS %L',
                       'm' || lpad(k::text, 2, '0'), format('Retention rate %s month(s) after the cohort month.', k));
    END LOOP;
END $$;
SELECT meta.add_tests('marts', 'mart_cohort_retention_pivot', ARRAY['cohort_month', 'cohort_size', 'm00'], ARRAY['cohort_month']);
SELECT meta.add_range('marts', 'mart_cohort_retention_pivot', 'm00', 1, 1);

-- Q2: how long between orders.
CREATE VIEW model.mart_order_gaps AS
WITH as_of AS (
    SELECT max(order_date) AS as_of_date FROM marts.fct_orders
), g AS (
    SELECT user_id, clv.order_gaps(order_date) AS gaps FROM marts.fct_orders GROUP BY user_id
)
SELECT
    g.user_id,
    (g.gaps).orders,
    (g.gaps).mean_gap AS avg_gap_days,
    (g.gaps).median_gap AS median_gap_days,
    (g.gaps).max_gap AS max_gap_days,
    (g.gaps).stddev_gap AS stddev_gap_days,
    (g.gaps).last_gap AS last_gap_days,
    a.as_of_date - (g.gaps).last_order AS recency_days
FROM g CROSS JOIN as_of a;
CREATE TABLE marts.mart_order_gaps AS SELECT * FROM model.mart_order_gaps WITH NO DATA;
ALTER TABLE marts.mart_order_gaps ADD CONSTRAINT mart_order_gaps_pkey PRIMARY KEY (user_id);
COMMENT ON TABLE marts.mart_order_gaps IS 'Q2: per customer, the days between consecutive orders (by synthetic order date) and the days since the latest order.';
COMMENT ON COLUMN marts.mart_order_gaps.user_id IS 'Customer.';
COMMENT ON COLUMN marts.mart_order_gaps.orders IS 'Number of orders.';
COMMENT ON COLUMN marts.mart_order_gaps.avg_gap_days IS 'Mean days between consecutive orders; NULL with one order.';
COMMENT ON COLUMN marts.mart_order_gaps.median_gap_days IS 'Median days between consecutive orders.';
COMMENT ON COLUMN marts.mart_order_gaps.max_gap_days IS 'Longest gap in days.';
COMMENT ON COLUMN marts.mart_order_gaps.stddev_gap_days IS 'Sample standard deviation of the gaps; NULL below two gaps.';
COMMENT ON COLUMN marts.mart_order_gaps.last_gap_days IS 'Days between the last two orders.';
COMMENT ON COLUMN marts.mart_order_gaps.recency_days IS 'Days from the latest order to the as-of date.';
SELECT meta.add_tests('marts', 'mart_order_gaps', ARRAY['user_id', 'orders', 'recency_days'], ARRAY['user_id']);
SELECT meta.add_relationship('marts', 'mart_order_gaps', 'user_id', 'marts', 'dim_customer', 'user_id');
SELECT meta.add_range('marts', 'mart_order_gaps', 'avg_gap_days', 0, NULL);
SELECT meta.add_range('marts', 'mart_order_gaps', 'recency_days', 0, NULL);

-- Q3: top spenders going quiet.
CREATE VIEW model.mart_churn_risk AS
WITH ranked AS (
    SELECT
        user_id,
        revenue,
        rank() OVER (ORDER BY revenue DESC) AS revenue_rank,
        cume_dist() OVER (ORDER BY revenue DESC) AS revenue_cume_share,
        recency_days AS days_inactive,
        last_order_date
    FROM marts.fct_customer_clv
)
SELECT
    r.user_id,
    r.revenue,
    r.revenue_rank,
    r.revenue_cume_share,
    r.days_inactive,
    r.last_order_date,
    r.days_inactive >= (SELECT meta.setting('churn_inactive_days')) AS churn_risk
FROM ranked r
WHERE r.revenue_cume_share <= (SELECT meta.setting('churn_top_spender_share'));
CREATE TABLE marts.mart_churn_risk AS SELECT * FROM model.mart_churn_risk WITH NO DATA;
ALTER TABLE marts.mart_churn_risk ADD CONSTRAINT mart_churn_risk_pkey PRIMARY KEY (user_id);
COMMENT ON TABLE marts.mart_churn_risk IS 'Q3: the top spenders (cume_dist by revenue, highest first, <= churn_top_spender_share) and whether each is at churn risk (no order for churn_inactive_days or more before the as-of date).';
COMMENT ON COLUMN marts.mart_churn_risk.user_id IS 'Customer.';
COMMENT ON COLUMN marts.mart_churn_risk.revenue IS 'Gross revenue, USD.';
COMMENT ON COLUMN marts.mart_churn_risk.revenue_rank IS 'Rank by revenue among all customers, 1 = highest (ties share a rank).';
COMMENT ON COLUMN marts.mart_churn_risk.revenue_cume_share IS 'Share of customers with revenue >= this customer''s (cume_dist).';
COMMENT ON COLUMN marts.mart_churn_risk.days_inactive IS 'Days from the latest order to the as-of date.';
COMMENT ON COLUMN marts.mart_churn_risk.last_order_date IS 'Date of the latest order.';
COMMENT ON COLUMN marts.mart_churn_risk.churn_risk IS 'days_inactive >= churn_inactive_days.';
SELECT meta.add_tests('marts', 'mart_churn_risk', ARRAY['user_id', 'revenue', 'revenue_rank', 'days_inactive', 'churn_risk'], ARRAY['user_id']);
SELECT meta.add_relationship('marts', 'mart_churn_risk', 'user_id', 'marts', 'dim_customer', 'user_id');
SELECT meta.add_range('marts', 'mart_churn_risk', 'revenue_cume_share', 0, 1);

-- Q4: products bought together. Both aggregates share one scan of the baskets.
CREATE MATERIALIZED VIEW intermediate.int_product_associations AS
SELECT
    true AS singleton,
    s.k,
    -- Same arguments, so PostgreSQL keeps one pair-count state for both.
    clv.top_pairs(b.basket, s.k) AS pairs,
    clv.top_partners(b.basket, s.k) AS partners
FROM (
    -- Built here rather than stored with the order metrics: array_agg has no
    -- combine function in PostgreSQL 15, so storing baskets made that pass
    -- serial (measured 30 s -> 70 s at scale 1.0) and this one no faster.
    SELECT order_id, array_agg(product_id::bigint) AS basket
    FROM staging.stg_basket_lines
    GROUP BY order_id
) b
CROSS JOIN (SELECT (SELECT meta.setting('pair_top_k'))::integer AS k) s
GROUP BY s.k;
CREATE UNIQUE INDEX int_product_associations_key ON intermediate.int_product_associations (singleton);
COMMENT ON MATERIALIZED VIEW intermediate.int_product_associations IS 'One row: the top pair_top_k product pairs over all baskets and the top pair_top_k partners of every product (clv.top_pairs, clv.top_partners).';

CREATE VIEW model.mart_product_pairs AS
SELECT
    p.ord::integer AS pair_rank,
    p.product_a::integer AS product_a,
    a.product_name AS product_a_name,
    p.product_b::integer AS product_b,
    b.product_name AS product_b_name,
    p.pair_count,
    p.support,
    p.confidence_ab,
    p.confidence_ba,
    p.lift
FROM intermediate.int_product_associations i
CROSS JOIN LATERAL unnest(i.pairs) WITH ORDINALITY AS p(product_a, product_b, pair_count, count_a, count_b, baskets, support, confidence_ab, confidence_ba, lift, ord)
LEFT JOIN marts.dim_product a ON a.product_id = p.product_a
LEFT JOIN marts.dim_product b ON b.product_id = p.product_b;
CREATE TABLE marts.mart_product_pairs AS SELECT * FROM model.mart_product_pairs WITH NO DATA;
ALTER TABLE marts.mart_product_pairs ADD CONSTRAINT mart_product_pairs_pkey PRIMARY KEY (pair_rank);
COMMENT ON TABLE marts.mart_product_pairs IS 'Q4: the pair_top_k most frequent product pairs in shared baskets, with support, confidence both ways and lift.';
COMMENT ON COLUMN marts.mart_product_pairs.pair_rank IS '1 = most frequent pair (ties by product ids).';
COMMENT ON COLUMN marts.mart_product_pairs.product_a IS 'The pair''s lower product id.';
COMMENT ON COLUMN marts.mart_product_pairs.product_a_name IS 'Name of product_a.';
COMMENT ON COLUMN marts.mart_product_pairs.product_b IS 'The pair''s higher product id.';
COMMENT ON COLUMN marts.mart_product_pairs.product_b_name IS 'Name of product_b.';
COMMENT ON COLUMN marts.mart_product_pairs.pair_count IS 'Baskets containing both products.';
COMMENT ON COLUMN marts.mart_product_pairs.support IS 'pair_count / all baskets.';
COMMENT ON COLUMN marts.mart_product_pairs.confidence_ab IS 'pair_count / baskets with product_a: P(b | a).';
COMMENT ON COLUMN marts.mart_product_pairs.confidence_ba IS 'pair_count / baskets with product_b: P(a | b).';
COMMENT ON COLUMN marts.mart_product_pairs.lift IS 'support / (support(a) x support(b)); above 1 = bought together more than by chance.';
SELECT meta.add_tests('marts', 'mart_product_pairs', ARRAY['pair_rank', 'product_a', 'product_b', 'pair_count', 'support', 'lift'], ARRAY['pair_rank']);
SELECT meta.add_relationship('marts', 'mart_product_pairs', 'product_a', 'marts', 'dim_product', 'product_id');
SELECT meta.add_relationship('marts', 'mart_product_pairs', 'product_b', 'marts', 'dim_product', 'product_id');
SELECT meta.add_range('marts', 'mart_product_pairs', 'support', 0, 1);
SELECT meta.add_range('marts', 'mart_product_pairs', 'confidence_ab', 0, 1);
SELECT meta.add_range('marts', 'mart_product_pairs', 'confidence_ba', 0, 1);

CREATE VIEW model.mart_product_recommendations AS
SELECT
    p.product::integer AS product_id,
    row_number() OVER (PARTITION BY p.product ORDER BY p.ord)::integer AS partner_rank,
    a.product_name,
    p.partner::integer AS partner_id,
    b.product_name AS partner_name,
    p.pair_count,
    p.confidence,
    p.lift
FROM intermediate.int_product_associations i
CROSS JOIN LATERAL unnest(i.partners) WITH ORDINALITY AS p(product, partner, pair_count, confidence, lift, ord)
LEFT JOIN marts.dim_product a ON a.product_id = p.product
LEFT JOIN marts.dim_product b ON b.product_id = p.partner;
CREATE TABLE marts.mart_product_recommendations AS SELECT * FROM model.mart_product_recommendations WITH NO DATA;
ALTER TABLE marts.mart_product_recommendations ADD CONSTRAINT mart_product_recommendations_pkey PRIMARY KEY (product_id, partner_rank);
COMMENT ON TABLE marts.mart_product_recommendations IS 'Q4: for every product, its pair_top_k most frequent basket partners (recommendations).';
COMMENT ON COLUMN marts.mart_product_recommendations.product_id IS 'The product.';
COMMENT ON COLUMN marts.mart_product_recommendations.partner_rank IS '1 = the partner most often in the same basket (ties by partner id).';
COMMENT ON COLUMN marts.mart_product_recommendations.product_name IS 'Name of the product.';
COMMENT ON COLUMN marts.mart_product_recommendations.partner_id IS 'The recommended partner product.';
COMMENT ON COLUMN marts.mart_product_recommendations.partner_name IS 'Name of the partner.';
COMMENT ON COLUMN marts.mart_product_recommendations.pair_count IS 'Baskets containing both.';
COMMENT ON COLUMN marts.mart_product_recommendations.confidence IS 'pair_count / baskets with the product: P(partner | product).';
COMMENT ON COLUMN marts.mart_product_recommendations.lift IS 'Lift of the pair.';
SELECT meta.add_tests('marts', 'mart_product_recommendations', ARRAY['product_id', 'partner_rank', 'partner_id', 'pair_count', 'confidence', 'lift'], ARRAY['product_id', 'partner_rank']);
SELECT meta.add_relationship('marts', 'mart_product_recommendations', 'product_id', 'marts', 'dim_product', 'product_id');
SELECT meta.add_relationship('marts', 'mart_product_recommendations', 'partner_id', 'marts', 'dim_product', 'product_id');
SELECT meta.add_range('marts', 'mart_product_recommendations', 'confidence', 0, 1);

-- Q5: AOV by month, first-time vs returning.
CREATE VIEW model.mart_monthly_aov AS
SELECT
    order_month,
    customer_order_type,
    count(*) AS orders,
    count(order_value) AS priced_orders,
    count(DISTINCT user_id) AS customers,
    coalesce(sum(order_value), 0) AS revenue,
    avg(order_value) AS aov
FROM marts.fct_orders
GROUP BY order_month, customer_order_type;
CREATE TABLE marts.mart_monthly_aov AS SELECT * FROM model.mart_monthly_aov WITH NO DATA;
ALTER TABLE marts.mart_monthly_aov ADD CONSTRAINT mart_monthly_aov_pkey PRIMARY KEY (order_month, customer_order_type);
COMMENT ON TABLE marts.mart_monthly_aov IS 'Q5: per calendar month, orders, revenue and AOV of first-time orders versus returning customers'' orders.';
COMMENT ON COLUMN marts.mart_monthly_aov.order_month IS 'First day of the calendar month.';
COMMENT ON COLUMN marts.mart_monthly_aov.customer_order_type IS 'first-time (a customer''s first order) or returning.';
COMMENT ON COLUMN marts.mart_monthly_aov.orders IS 'Orders in the month.';
COMMENT ON COLUMN marts.mart_monthly_aov.priced_orders IS 'Orders with published lines (the AOV denominator).';
COMMENT ON COLUMN marts.mart_monthly_aov.customers IS 'Distinct customers ordering.';
COMMENT ON COLUMN marts.mart_monthly_aov.revenue IS 'Gross revenue, USD.';
COMMENT ON COLUMN marts.mart_monthly_aov.aov IS 'revenue / priced_orders, USD; NULL without priced orders.';
SELECT meta.add_tests('marts', 'mart_monthly_aov', ARRAY['order_month', 'customer_order_type', 'orders', 'revenue'], ARRAY['order_month', 'customer_order_type']);
SELECT meta.add_values('marts', 'mart_monthly_aov', 'customer_order_type', ARRAY['first-time', 'returning']);
SELECT meta.add_range('marts', 'mart_monthly_aov', 'aov', 0, NULL);

-- Q6: high-AOV customers who shop across the store.
CREATE VIEW model.mart_golden_basket AS
WITH threshold AS (
    SELECT percentile_cont((SELECT meta.setting('golden_aov_percentile'))) WITHIN GROUP (ORDER BY aov) AS aov_threshold
    FROM marts.fct_customer_clv
    WHERE aov IS NOT NULL
)
SELECT
    c.user_id,
    c.aov,
    t.aov_threshold,
    c.departments,
    c.orders,
    c.revenue,
    c.historical_clv
FROM marts.fct_customer_clv c
CROSS JOIN threshold t
WHERE c.aov >= t.aov_threshold
  AND c.departments >= (SELECT meta.setting('golden_min_departments'));
CREATE TABLE marts.mart_golden_basket AS SELECT * FROM model.mart_golden_basket WITH NO DATA;
ALTER TABLE marts.mart_golden_basket ADD CONSTRAINT mart_golden_basket_pkey PRIMARY KEY (user_id);
COMMENT ON TABLE marts.mart_golden_basket IS 'Q6: multi-department loyalists: AOV at or above the golden_aov_percentile of customer AOVs and at least golden_min_departments departments bought from.';
COMMENT ON COLUMN marts.mart_golden_basket.user_id IS 'Customer.';
COMMENT ON COLUMN marts.mart_golden_basket.aov IS 'The customer''s average order value, USD.';
COMMENT ON COLUMN marts.mart_golden_basket.aov_threshold IS 'The AOV percentile the customer is at or above (percentile_cont over customers with priced orders).';
COMMENT ON COLUMN marts.mart_golden_basket.departments IS 'Distinct departments bought from.';
COMMENT ON COLUMN marts.mart_golden_basket.orders IS 'Number of orders.';
COMMENT ON COLUMN marts.mart_golden_basket.revenue IS 'Gross revenue, USD.';
COMMENT ON COLUMN marts.mart_golden_basket.historical_clv IS 'Historical CLV (margin so far), USD.';
SELECT meta.add_tests('marts', 'mart_golden_basket', ARRAY['user_id', 'aov', 'aov_threshold', 'departments'], ARRAY['user_id']);
SELECT meta.add_relationship('marts', 'mart_golden_basket', 'user_id', 'marts', 'dim_customer', 'user_id');

-- Q7: CLV by region and when customers like to order.
CREATE MATERIALIZED VIEW intermediate.int_customer_preferences AS
WITH hours AS (
    SELECT user_id, order_hour_of_day AS hour, count(*) AS n FROM marts.fct_orders GROUP BY 1, 2
), days AS (
    SELECT user_id, order_dow AS dow, count(*) AS n FROM marts.fct_orders GROUP BY 1, 2
), top_hour AS (
    -- The most frequent hour; ties go to the earliest hour.
    SELECT DISTINCT ON (user_id) user_id, hour FROM hours ORDER BY user_id, n DESC, hour
), top_day AS (
    SELECT DISTINCT ON (user_id) user_id, dow FROM days ORDER BY user_id, n DESC, dow
)
SELECT
    h.user_id,
    h.hour AS preferred_hour,
    CASE WHEN h.hour < 6 THEN 'night' WHEN h.hour < 12 THEN 'morning'
         WHEN h.hour < 18 THEN 'afternoon' ELSE 'evening' END AS preferred_day_part,
    d.dow AS preferred_dow
FROM top_hour h
JOIN top_day d ON d.user_id = h.user_id;
CREATE UNIQUE INDEX int_customer_preferences_key ON intermediate.int_customer_preferences (user_id);
COMMENT ON MATERIALIZED VIEW intermediate.int_customer_preferences IS 'Per customer the most frequent order hour (and its day part: night 0-5, morning 6-11, afternoon 12-17, evening 18-23) and weekday; ties to the smallest.';
SELECT meta.add_tests('intermediate', 'int_customer_preferences', ARRAY['user_id', 'preferred_hour', 'preferred_day_part', 'preferred_dow'], ARRAY['user_id']);

CREATE VIEW model.mart_regional_clv AS
WITH c AS (
    SELECT f.user_id, f.region, f.historical_clv, p.preferred_hour, p.preferred_day_part, p.preferred_dow
    FROM marts.fct_customer_clv f
    JOIN intermediate.int_customer_preferences p ON p.user_id = f.user_id
), day_parts AS (
    -- The day part most customers of the region prefer; ties to the earliest.
    SELECT DISTINCT ON (region) region, preferred_day_part
    FROM (SELECT region, preferred_day_part, count(*) AS n FROM c GROUP BY 1, 2) x
    ORDER BY region, n DESC, CASE preferred_day_part WHEN 'night' THEN 0 WHEN 'morning' THEN 1 WHEN 'afternoon' THEN 2 ELSE 3 END
), weekdays AS (
    SELECT DISTINCT ON (region) region, preferred_dow
    FROM (SELECT region, preferred_dow, count(*) AS n FROM c GROUP BY 1, 2) x
    ORDER BY region, n DESC, preferred_dow
)
SELECT
    c.region,
    count(*) AS customers,
    avg(c.historical_clv) AS avg_clv,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY c.historical_clv) AS median_clv,
    d.preferred_day_part,
    w.preferred_dow,
    (ARRAY['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'])[w.preferred_dow + 1] AS preferred_weekday,
    corr(c.historical_clv::double precision, c.preferred_hour::double precision) AS clv_hour_correlation
FROM c
JOIN day_parts d ON d.region = c.region
JOIN weekdays w ON w.region = c.region
GROUP BY c.region, d.preferred_day_part, w.preferred_dow;
CREATE TABLE marts.mart_regional_clv AS SELECT * FROM model.mart_regional_clv WITH NO DATA;
ALTER TABLE marts.mart_regional_clv ADD CONSTRAINT mart_regional_clv_pkey PRIMARY KEY (region);
COMMENT ON TABLE marts.mart_regional_clv IS 'Q7: per region, average and median historical CLV, the ordering time most of its customers prefer, and the correlation between customer CLV and preferred hour.';
COMMENT ON COLUMN marts.mart_regional_clv.region IS 'Synthetic region.';
COMMENT ON COLUMN marts.mart_regional_clv.customers IS 'Customers in the region.';
COMMENT ON COLUMN marts.mart_regional_clv.avg_clv IS 'Mean historical CLV, USD.';
COMMENT ON COLUMN marts.mart_regional_clv.median_clv IS 'Median historical CLV, USD.';
COMMENT ON COLUMN marts.mart_regional_clv.preferred_day_part IS 'Day part (night, morning, afternoon, evening) preferred by the most customers of the region.';
COMMENT ON COLUMN marts.mart_regional_clv.preferred_dow IS 'order_dow preferred by the most customers (0..6 as published).';
COMMENT ON COLUMN marts.mart_regional_clv.preferred_weekday IS 'preferred_dow as a name, assuming 0 = Sunday (Instacart does not document it).';
COMMENT ON COLUMN marts.mart_regional_clv.clv_hour_correlation IS 'Pearson correlation between customers'' historical CLV and preferred order hour; NULL when undefined.';
SELECT meta.add_tests('marts', 'mart_regional_clv', ARRAY['region', 'customers', 'avg_clv', 'median_clv', 'preferred_day_part', 'preferred_weekday'], ARRAY['region']);
SELECT meta.add_range('marts', 'mart_regional_clv', 'clv_hour_correlation', -1, 1);

-- Q8: what happens after the Nth order.
CREATE VIEW model.mart_loyalty_impact AS
WITH n AS (
    SELECT (SELECT meta.setting('loyalty_order_threshold'))::integer AS n
)
SELECT
    o.user_id,
    n.n + 1 AS milestone_order_number,
    max(o.order_date) FILTER (WHERE o.order_number = n.n + 1) - min(o.order_date) AS days_to_milestone,
    avg(o.order_value) FILTER (WHERE o.order_number <= n.n) AS aov_before,
    avg(o.order_value) FILTER (WHERE o.order_number > n.n) AS aov_after,
    avg(o.order_value) FILTER (WHERE o.order_number > n.n)
      / nullif(avg(o.order_value) FILTER (WHERE o.order_number <= n.n), 0) - 1 AS spend_uplift
FROM marts.fct_orders o
CROSS JOIN n
GROUP BY o.user_id, n.n
HAVING max(o.order_number) > n.n;
CREATE TABLE marts.mart_loyalty_impact AS SELECT * FROM model.mart_loyalty_impact WITH NO DATA;
ALTER TABLE marts.mart_loyalty_impact ADD CONSTRAINT mart_loyalty_impact_pkey PRIMARY KEY (user_id);
COMMENT ON TABLE marts.mart_loyalty_impact IS 'Q8: customers who passed loyalty_order_threshold (N) orders: days from the first order to order N+1, AOV over orders 1..N and over orders after N, and the uplift.';
COMMENT ON COLUMN marts.mart_loyalty_impact.user_id IS 'Customer.';
COMMENT ON COLUMN marts.mart_loyalty_impact.milestone_order_number IS 'N + 1: the order that passes the threshold.';
COMMENT ON COLUMN marts.mart_loyalty_impact.days_to_milestone IS 'Days from the first order to order N + 1.';
COMMENT ON COLUMN marts.mart_loyalty_impact.aov_before IS 'AOV of priced orders 1..N, USD.';
COMMENT ON COLUMN marts.mart_loyalty_impact.aov_after IS 'AOV of priced orders after N, USD; NULL when none is priced.';
COMMENT ON COLUMN marts.mart_loyalty_impact.spend_uplift IS 'aov_after / aov_before - 1 (0.1 = 10% more per order after the milestone).';
SELECT meta.add_tests('marts', 'mart_loyalty_impact', ARRAY['user_id', 'milestone_order_number', 'days_to_milestone'], ARRAY['user_id']);
SELECT meta.add_relationship('marts', 'mart_loyalty_impact', 'user_id', 'marts', 'dim_customer', 'user_id');
SELECT meta.add_range('marts', 'mart_loyalty_impact', 'days_to_milestone', 0, NULL);
SELECT meta.add_range('marts', 'mart_loyalty_impact', 'spend_uplift', -1, NULL);

CREATE VIEW model.mart_loyalty_impact_summary AS
SELECT
    true AS summary,
    count(*) AS customers,
    avg(days_to_milestone) AS avg_days_to_milestone,
    avg(aov_before) AS avg_aov_before,
    avg(aov_after) AS avg_aov_after,
    avg(spend_uplift) AS avg_spend_uplift,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY spend_uplift) AS median_spend_uplift,
    avg((spend_uplift > 0)::integer) AS share_with_uplift
FROM marts.mart_loyalty_impact;
CREATE TABLE marts.mart_loyalty_impact_summary AS SELECT * FROM model.mart_loyalty_impact_summary WITH NO DATA;
ALTER TABLE marts.mart_loyalty_impact_summary ADD CONSTRAINT mart_loyalty_impact_summary_pkey PRIMARY KEY (summary);
COMMENT ON TABLE marts.mart_loyalty_impact_summary IS 'Q8 summary row over mart_loyalty_impact.';
COMMENT ON COLUMN marts.mart_loyalty_impact_summary.summary IS 'Always true: the key of the single row.';
COMMENT ON COLUMN marts.mart_loyalty_impact_summary.customers IS 'Customers who passed the threshold.';
COMMENT ON COLUMN marts.mart_loyalty_impact_summary.avg_days_to_milestone IS 'Mean days to order N + 1.';
COMMENT ON COLUMN marts.mart_loyalty_impact_summary.avg_aov_before IS 'Mean of aov_before, USD.';
COMMENT ON COLUMN marts.mart_loyalty_impact_summary.avg_aov_after IS 'Mean of aov_after, USD.';
COMMENT ON COLUMN marts.mart_loyalty_impact_summary.avg_spend_uplift IS 'Mean per-customer spend_uplift.';
COMMENT ON COLUMN marts.mart_loyalty_impact_summary.median_spend_uplift IS 'Median per-customer spend_uplift.';
COMMENT ON COLUMN marts.mart_loyalty_impact_summary.share_with_uplift IS 'Share of customers (with a defined uplift) who spend more per order after the milestone.';
SELECT meta.add_tests('marts', 'mart_loyalty_impact_summary', ARRAY['summary', 'customers'], ARRAY['summary']);
SELECT meta.add_range('marts', 'mart_loyalty_impact_summary', 'share_with_uplift', 0, 1);

-- Q9: which categories earn.
CREATE MATERIALIZED VIEW intermediate.int_product_sales AS
SELECT
    product_id,
    count(*) AS lines,
    (sum(unit_price_cents) / 100.0)::numeric(16, 2) AS revenue,
    count(*) FILTER (WHERE is_returned) AS returned_lines,
    (coalesce(sum(unit_price_cents) FILTER (WHERE is_returned), 0) / 100.0)::numeric(16, 2) AS returned_value,
    (coalesce(sum(unit_price_cents - unit_cost_cents) FILTER (WHERE NOT is_returned), 0) / 100.0)::numeric(16, 2) AS margin
FROM (
    SELECT b.product_id, p.unit_price_cents, p.unit_cost_cents,
           staging.line_is_returned(b.order_id, b.product_id, p.return_rate) AS is_returned
    FROM staging.stg_basket_lines b
    JOIN intermediate.int_product_prices p ON p.product_id = b.product_id
) l
GROUP BY product_id;
CREATE UNIQUE INDEX int_product_sales_key ON intermediate.int_product_sales (product_id);
COMMENT ON MATERIALIZED VIEW intermediate.int_product_sales IS 'Per product: lines sold, gross revenue, returned lines and value, and margin on kept lines.';
SELECT meta.add_tests('intermediate', 'int_product_sales', ARRAY['product_id', 'lines', 'revenue', 'margin'], ARRAY['product_id']);

CREATE VIEW model.mart_category_performance AS
WITH by_category AS (
    SELECT 'department'::text AS level, p.department_id AS category_id, p.department AS category_name, p.department,
           sum(s.lines)::bigint AS lines, sum(s.revenue) AS revenue, sum(s.returned_lines)::bigint AS returned_lines,
           sum(s.returned_value) AS returned_value, sum(s.margin) AS margin
    FROM intermediate.int_product_sales s JOIN marts.dim_product p ON p.product_id = s.product_id
    GROUP BY p.department_id, p.department
    UNION ALL
    SELECT 'aisle', p.aisle_id, p.aisle, min(p.department),
           sum(s.lines)::bigint, sum(s.revenue), sum(s.returned_lines)::bigint, sum(s.returned_value), sum(s.margin)
    FROM intermediate.int_product_sales s JOIN marts.dim_product p ON p.product_id = s.product_id
    GROUP BY p.aisle_id, p.aisle
)
SELECT
    level,
    category_id,
    category_name,
    department,
    rank() OVER (PARTITION BY level ORDER BY margin DESC) AS margin_rank,
    lines,
    revenue,
    revenue - returned_value AS net_revenue,
    margin,
    round(margin / nullif(revenue - returned_value, 0), 6) AS margin_rate,
    round(returned_lines::numeric / lines, 6) AS return_rate
FROM by_category;
CREATE TABLE marts.mart_category_performance AS SELECT * FROM model.mart_category_performance WITH NO DATA;
ALTER TABLE marts.mart_category_performance ADD CONSTRAINT mart_category_performance_pkey PRIMARY KEY (level, category_id);
COMMENT ON TABLE marts.mart_category_performance IS 'Q9: departments and aisles ranked by margin, with revenue, margin rate and the estimated return rate.';
COMMENT ON COLUMN marts.mart_category_performance.level IS 'department or aisle.';
COMMENT ON COLUMN marts.mart_category_performance.category_id IS 'department_id or aisle_id.';
COMMENT ON COLUMN marts.mart_category_performance.category_name IS 'Department or aisle name.';
COMMENT ON COLUMN marts.mart_category_performance.department IS 'The department (of the aisle''s products, for aisles).';
COMMENT ON COLUMN marts.mart_category_performance.margin_rank IS 'Rank by margin within the level, 1 = highest.';
COMMENT ON COLUMN marts.mart_category_performance.lines IS 'Order lines sold.';
COMMENT ON COLUMN marts.mart_category_performance.revenue IS 'Gross revenue, USD.';
COMMENT ON COLUMN marts.mart_category_performance.net_revenue IS 'Revenue minus returned value, USD.';
COMMENT ON COLUMN marts.mart_category_performance.margin IS 'Margin on kept lines, USD.';
COMMENT ON COLUMN marts.mart_category_performance.margin_rate IS 'margin / net_revenue.';
COMMENT ON COLUMN marts.mart_category_performance.return_rate IS 'Estimated return rate: returned lines / lines.';
SELECT meta.add_tests('marts', 'mart_category_performance', ARRAY['level', 'category_id', 'category_name', 'margin_rank', 'lines', 'revenue', 'margin'], ARRAY['level', 'category_id']);
SELECT meta.add_values('marts', 'mart_category_performance', 'level', ARRAY['department', 'aisle']);
SELECT meta.add_range('marts', 'mart_category_performance', 'return_rate', 0, 1);
SELECT meta.add_range('marts', 'mart_category_performance', 'margin_rate', -1, 1);

-- Q10: baskets getting smaller.
CREATE VIEW model.mart_basket_decline AS
WITH d AS (
    SELECT user_id,
           clv.basket_decline(order_number, basket_size,
                              (SELECT meta.setting('decline_window_orders'))::integer, (SELECT meta.setting('decline_threshold'))) AS d
    FROM marts.fct_orders
    WHERE has_lines
    GROUP BY user_id
)
SELECT user_id, (d).orders AS priced_orders, (d).early_mean, (d).recent_mean, (d).relative_change
FROM d
WHERE (d).declined;
CREATE TABLE marts.mart_basket_decline AS SELECT * FROM model.mart_basket_decline WITH NO DATA;
ALTER TABLE marts.mart_basket_decline ADD CONSTRAINT mart_basket_decline_pkey PRIMARY KEY (user_id);
COMMENT ON TABLE marts.mart_basket_decline IS 'Q10: customers whose recent basket (mean of the last decline_window_orders priced orders) is more than decline_threshold below their early basket (the first ones).';
COMMENT ON COLUMN marts.mart_basket_decline.user_id IS 'Customer.';
COMMENT ON COLUMN marts.mart_basket_decline.priced_orders IS 'Orders with published lines.';
COMMENT ON COLUMN marts.mart_basket_decline.early_mean IS 'Mean basket size of the first N priced orders.';
COMMENT ON COLUMN marts.mart_basket_decline.recent_mean IS 'Mean basket size of the last N priced orders.';
COMMENT ON COLUMN marts.mart_basket_decline.relative_change IS 'recent_mean / early_mean - 1 (below -decline_threshold).';
SELECT meta.add_tests('marts', 'mart_basket_decline', ARRAY['user_id', 'priced_orders', 'early_mean', 'recent_mean', 'relative_change'], ARRAY['user_id']);
SELECT meta.add_relationship('marts', 'mart_basket_decline', 'user_id', 'marts', 'dim_customer', 'user_id');
SELECT meta.add_range('marts', 'mart_basket_decline', 'relative_change', -1, 0);

------------------------------------------------------------------------------
-- headline KPIs
------------------------------------------------------------------------------

CREATE VIEW model.kpi_summary AS
WITH as_of AS (
    SELECT max(order_date) AS as_of_date FROM marts.fct_orders
)
SELECT
    a.as_of_date,
    count(*) AS customers,
    count(*) FILTER (WHERE c.recency_days <= (SELECT meta.setting('active_window_days'))) AS active_customers,
    count(*) FILTER (WHERE c.orders >= 2) AS repeat_customers,
    round(count(*) FILTER (WHERE c.orders >= 2)::numeric / nullif(count(*), 0), 6) AS repeat_rate,
    (SELECT count(*) FROM marts.mart_churn_risk WHERE churn_risk) AS churn_risk_customers,
    sum(c.orders)::bigint AS orders,
    sum(c.revenue) AS revenue,
    sum(c.net_revenue) AS net_revenue,
    sum(c.margin) AS margin,
    round(sum(c.margin) / nullif(sum(c.net_revenue), 0), 6) AS margin_rate,
    sum(c.revenue) / nullif(sum(c.priced_orders), 0) AS aov,
    avg(c.historical_clv) AS average_clv
FROM marts.fct_customer_clv c
CROSS JOIN as_of a
GROUP BY a.as_of_date;
CREATE TABLE marts.kpi_summary AS SELECT * FROM model.kpi_summary WITH NO DATA;
ALTER TABLE marts.kpi_summary ADD CONSTRAINT kpi_summary_pkey PRIMARY KEY (as_of_date);
COMMENT ON TABLE marts.kpi_summary IS 'Headline KPIs as of the latest order date: customers, active customers, repeat rate, churn-risk count, revenue, margin, AOV and average historical CLV.';
COMMENT ON COLUMN marts.kpi_summary.as_of_date IS 'The dataset''s latest order date.';
COMMENT ON COLUMN marts.kpi_summary.customers IS 'Customers with at least one order.';
COMMENT ON COLUMN marts.kpi_summary.active_customers IS 'Customers with an order within active_window_days of the as-of date.';
COMMENT ON COLUMN marts.kpi_summary.repeat_customers IS 'Customers with two or more orders.';
COMMENT ON COLUMN marts.kpi_summary.repeat_rate IS 'repeat_customers / customers.';
COMMENT ON COLUMN marts.kpi_summary.churn_risk_customers IS 'Top spenders at churn risk (mart_churn_risk).';
COMMENT ON COLUMN marts.kpi_summary.orders IS 'All orders.';
COMMENT ON COLUMN marts.kpi_summary.revenue IS 'Gross revenue, USD.';
COMMENT ON COLUMN marts.kpi_summary.net_revenue IS 'Revenue minus returns, USD.';
COMMENT ON COLUMN marts.kpi_summary.margin IS 'Margin on kept lines, USD.';
COMMENT ON COLUMN marts.kpi_summary.margin_rate IS 'margin / net_revenue.';
COMMENT ON COLUMN marts.kpi_summary.aov IS 'revenue / priced orders, USD.';
COMMENT ON COLUMN marts.kpi_summary.average_clv IS 'Mean historical CLV per customer, USD.';
SELECT meta.add_tests('marts', 'kpi_summary', ARRAY['as_of_date', 'customers', 'active_customers', 'repeat_rate', 'revenue', 'margin', 'average_clv'], ARRAY['as_of_date']);
SELECT meta.add_range('marts', 'kpi_summary', 'repeat_rate', 0, 1);

------------------------------------------------------------------------------
-- the BI role: marts and nothing else
------------------------------------------------------------------------------

DO $$
DECLARE v record;
BEGIN
    FOR v IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'model' AND c.relkind = 'v' LOOP
        EXECUTE format('COMMENT ON VIEW model.%I IS %L', v.relname,
                       format('Definition of marts.%s, written by clv refresh.', v.relname));
    END LOOP;
END $$;

-- Roles are cluster-wide: several databases may migrate at once, so an
-- existing role (or one created concurrently) is fine.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'clv_reader') THEN
        CREATE ROLE clv_reader NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END $$;
GRANT USAGE ON SCHEMA marts TO clv_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA marts TO clv_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA marts GRANT SELECT ON TABLES TO clv_reader;
