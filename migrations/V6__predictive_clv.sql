-- Predictive CLV: BG/NBD and Gamma-Gamma fitted inside PostgreSQL (clv
-- 0.3.0) on the Instacart calendar, their predictions per customer in
-- marts.fct_customer_clv, the fits in marts.mart_clv_model and a
-- calibration-versus-holdout check in marts.mart_clv_calibration.
--
-- Time unit: days (predictions for the next 90 and 365 days). The as-of date
-- is the dataset's latest order date, as everywhere in the marts.

-- Databases created with an older clv get the btyd functions (clv 0.3.0).
ALTER EXTENSION clv UPDATE;

INSERT INTO meta.settings (name, value, default_value, min_value, max_value, is_integer, unit, description) VALUES
    ('clv_holdout_days',     90,   90,   7, 3650, true,  'days',        'Predictive CLV: the calibration fit behind mart_clv_calibration ends this many days before the as-of date; the days after are its holdout.'),
    ('clv_months',           12,   12,   1, 120,  true,  'months',      'Predictive CLV: horizon of fct_customer_clv.predicted_clv (a month = 30 days, as lifetimes).'),
    ('clv_monthly_discount', 0.01, 0.01, 0, 1,    false, 'fraction',    'Predictive CLV: monthly discount rate of fct_customer_clv.predicted_clv (lifetimes'' default 0.01).'),
    -- On Instacart-shaped data the dropout probability barely varies between
    -- customers, so BG/NBD's likelihood keeps rising as a and b go to
    -- infinity together (no finite maximum; the fit reports converged =
    -- false). A tiny penalty gives a finite, converged fit: at scale 1.0 its
    -- log-likelihood is within 0.05% of the unpenalized supremum.
    ('clv_penalizer',        0.00001, 0.00001, 0, 100, false, 'coefficient', 'Predictive CLV: L2 penalizer of the BG/NBD fits (lifetimes'' penalizer_coef: penalizer * sum(params^2) added to the mean negative log-likelihood). 0 = plain maximum likelihood, which has no finite maximum when dropout does not vary between customers.');

-- The dates every predictive model works from, taken once per refresh: the
-- as-of date (the dataset's latest order date) and the calibration end,
-- clv_holdout_days before it.
CREATE MATERIALIZED VIEW intermediate.int_clv_dates AS
SELECT
    true AS singleton,
    max(order_date) AS as_of_date,
    (SELECT meta.setting('clv_holdout_days'))::integer AS holdout_days,
    max(order_date) - (SELECT meta.setting('clv_holdout_days'))::integer AS calibration_end
FROM marts.fct_orders;
CREATE UNIQUE INDEX int_clv_dates_key ON intermediate.int_clv_dates (singleton);
COMMENT ON MATERIALIZED VIEW intermediate.int_clv_dates IS 'One row: the as-of date of the predictive CLV models and the end of their calibration period.';
COMMENT ON COLUMN intermediate.int_clv_dates.singleton IS 'Always true: the key of the single row.';
COMMENT ON COLUMN intermediate.int_clv_dates.as_of_date IS 'The dataset''s latest order date.';
COMMENT ON COLUMN intermediate.int_clv_dates.holdout_days IS 'clv_holdout_days at the refresh.';
COMMENT ON COLUMN intermediate.int_clv_dates.calibration_end IS 'as_of_date - holdout_days: the last day of the calibration period.';

-- Per customer: the BTYD summary over the whole history (for predictions)
-- and over the calibration period (for the holdout check). Same-day orders
-- are one purchase.
CREATE MATERIALIZED VIEW intermediate.int_customer_btyd AS
WITH summaries AS (
    SELECT
        o.user_id,
        clv.btyd_summary(o.order_date, o.order_value::double precision, d.as_of_date, NULL, 'day') AS whole,
        clv.btyd_summary(o.order_date, o.order_value::double precision, d.calibration_end, d.as_of_date, 'day') AS cal
    FROM marts.fct_orders o
    CROSS JOIN intermediate.int_clv_dates d
    GROUP BY o.user_id, d.as_of_date, d.calibration_end
)
SELECT
    user_id,
    (whole).x, (whole).t_x, (whole).t, (whole).monetary,
    -- NULL when the customer's first order falls in the holdout period.
    (cal).x AS cal_x, (cal).t_x AS cal_t_x, (cal).t AS cal_t,
    (cal).holdout_x AS holdout_purchases
FROM summaries;
CREATE UNIQUE INDEX int_customer_btyd_key ON intermediate.int_customer_btyd (user_id);
COMMENT ON MATERIALIZED VIEW intermediate.int_customer_btyd IS 'Per customer the BTYD summary in days (clv.btyd_summary): x repeat purchase days, t_x, T and mean repeat order value over the whole history, and over the calibration period (ending clv_holdout_days before the as-of date) with the purchase days in the holdout.';
SELECT meta.add_tests('intermediate', 'int_customer_btyd', ARRAY['user_id', 'x', 't_x', 't'], ARRAY['user_id']);
SELECT meta.add_range('intermediate', 'int_customer_btyd', 'x', 0, NULL);

-- The fits: BG/NBD (purchases) and Gamma-Gamma (spend) on the whole history,
-- and BG/NBD on the calibration period. A customer whose first order is on
-- the as-of date (T = 0) carries no information and is left out.
CREATE MATERIALIZED VIEW intermediate.int_clv_fits AS
WITH p AS (
    SELECT (SELECT meta.setting('clv_penalizer')) AS penalizer, d.as_of_date, d.calibration_end
    FROM intermediate.int_clv_dates d
), fits AS (
    SELECT 'whole' AS period, p.as_of_date AS fit_date,
           clv.bgnbd_fit(b.x, b.t_x, b.t, p.penalizer) AS fit
    FROM intermediate.int_customer_btyd b CROSS JOIN p WHERE b.t > 0
    GROUP BY p.as_of_date
    UNION ALL
    SELECT 'whole', p.as_of_date,
           clv.gamma_gamma_fit(b.x, b.monetary)
    -- Repeat buyers with a known, positive mean order value.
    FROM intermediate.int_customer_btyd b CROSS JOIN p WHERE b.t > 0 AND b.x > 0 AND b.monetary > 0
    GROUP BY p.as_of_date
    UNION ALL
    SELECT 'calibration', p.calibration_end,
           clv.bgnbd_fit(b.cal_x, b.cal_t_x, b.cal_t, p.penalizer)
    FROM intermediate.int_customer_btyd b CROSS JOIN p WHERE b.cal_t > 0
    GROUP BY p.calibration_end
)
SELECT period, (fit).model, fit_date, (fit).param_names, (fit).params, (fit).log_likelihood,
       (fit).iterations, (fit).converged, (fit).customers
FROM fits
WHERE (fit).model IS NOT NULL;
CREATE UNIQUE INDEX int_clv_fits_key ON intermediate.int_clv_fits (period, model);
COMMENT ON MATERIALIZED VIEW intermediate.int_clv_fits IS 'The BG/NBD and Gamma-Gamma fits (clv.bgnbd_fit, clv.gamma_gamma_fit) on the whole history, and BG/NBD on the calibration period.';

-- Per customer known before the holdout: the calibration fit's prediction of
-- orders in the holdout and the actual order days, computed once for both
-- mart_clv_model and mart_clv_calibration.
CREATE MATERIALIZED VIEW intermediate.int_clv_holdout AS
SELECT
    b.user_id,
    b.cal_x,
    clv.bgnbd_expected_purchases(f.params, d.holdout_days, b.cal_x, b.cal_t_x, b.cal_t) AS predicted_purchases,
    b.holdout_purchases AS actual_purchases
FROM intermediate.int_customer_btyd b
CROSS JOIN intermediate.int_clv_dates d
CROSS JOIN (SELECT params FROM intermediate.int_clv_fits WHERE period = 'calibration' AND model = 'bgnbd') f
WHERE b.cal_t > 0;
CREATE UNIQUE INDEX int_clv_holdout_key ON intermediate.int_clv_holdout (user_id);
COMMENT ON MATERIALIZED VIEW intermediate.int_clv_holdout IS 'Per customer whose first order is before the calibration end: BG/NBD (calibration fit) predicted orders in the holdout days and the actual order days there.';
COMMENT ON COLUMN intermediate.int_clv_holdout.user_id IS 'Customer.';
COMMENT ON COLUMN intermediate.int_clv_holdout.cal_x IS 'Repeat order days in the calibration period.';
COMMENT ON COLUMN intermediate.int_clv_holdout.predicted_purchases IS 'Predicted orders in the holdout (calibration fit).';
COMMENT ON COLUMN intermediate.int_clv_holdout.actual_purchases IS 'Actual order days in the holdout.';

-- fct_customer_clv gains the predictive columns (appended, so the table
-- keeps its column order).
CREATE OR REPLACE VIEW model.fct_customer_clv AS
WITH as_of AS (
    SELECT as_of_date FROM intermediate.int_clv_dates
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
           (rfm).recency_days, (rfm).frequency, (rfm).first_order, (rfm).last_order
    FROM per_customer
), scored AS (
    SELECT
        f.*,
        clv.rfm_quintile(rank() OVER (ORDER BY f.recency_days DESC), count(*) OVER ()) AS r_score,
        clv.rfm_quintile(rank() OVER (ORDER BY f.frequency), count(*) OVER ()) AS f_score,
        clv.rfm_quintile(rank() OVER (ORDER BY f.revenue), count(*) OVER ()) AS m_score
    FROM flat f
), fitted AS (
    SELECT
        (SELECT params FROM intermediate.int_clv_fits WHERE period = 'whole' AND model = 'bgnbd') AS bgnbd,
        (SELECT params FROM intermediate.int_clv_fits WHERE period = 'whole' AND model = 'gamma_gamma') AS gg,
        (SELECT meta.setting('clv_months'))::integer AS months,
        (SELECT meta.setting('clv_monthly_discount')) AS discount
), predicted AS (
    SELECT
        b.user_id,
        clv.bgnbd_expected_purchases(f.bgnbd, 90, b.x, b.t_x, b.t) AS predicted_purchases_90d,
        clv.bgnbd_expected_purchases(f.bgnbd, 365, b.x, b.t_x, b.t) AS predicted_purchases_365d,
        clv.bgnbd_prob_alive(f.bgnbd, b.x, b.t_x, b.t) AS prob_alive,
        CASE WHEN b.x > 0 AND b.monetary > 0 THEN clv.gamma_gamma_expected_spend(f.gg, b.x, b.monetary)
             ELSE clv.gamma_gamma_expected_spend(f.gg, 0, 1) END AS expected_spend,
        f.months,
        f.discount,
        b.x, b.t_x, b.t, f.bgnbd
    FROM intermediate.int_customer_btyd b
    CROSS JOIN fitted f
    WHERE b.t > 0
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
    clv.rfm_segment(s.r_score, s.f_score, s.m_score) AS rfm_segment,
    p.predicted_purchases_90d,
    p.predicted_purchases_365d,
    p.prob_alive,
    p.expected_spend,
    clv.predicted_clv('bgnbd', p.bgnbd, p.x, p.t_x, p.t, p.expected_spend, p.months, p.discount, 'day') AS predicted_clv
FROM scored s
JOIN marts.dim_customer c ON c.user_id = s.user_id
LEFT JOIN predicted p ON p.user_id = s.user_id;

ALTER TABLE marts.fct_customer_clv
    ADD COLUMN predicted_purchases_90d double precision,
    ADD COLUMN predicted_purchases_365d double precision,
    ADD COLUMN prob_alive double precision,
    ADD COLUMN expected_spend double precision,
    ADD COLUMN predicted_clv double precision;
COMMENT ON TABLE marts.fct_customer_clv IS 'Customer CLV fact: one row per customer with orders, tenure, revenue, margin, AOV, historical CLV, RFM scores and segment, recency, and the BG/NBD + Gamma-Gamma predictions.';
COMMENT ON COLUMN marts.fct_customer_clv.predicted_purchases_90d IS 'BG/NBD expected repeat orders in the next 90 days (fit in mart_clv_model); NULL for a customer whose first order is on the as-of date.';
COMMENT ON COLUMN marts.fct_customer_clv.predicted_purchases_365d IS 'BG/NBD expected repeat orders in the next 365 days.';
COMMENT ON COLUMN marts.fct_customer_clv.prob_alive IS 'BG/NBD probability that the customer is still active (has not churned).';
COMMENT ON COLUMN marts.fct_customer_clv.expected_spend IS 'Gamma-Gamma expected order value, USD (the population mean for customers without repeat orders).';
COMMENT ON COLUMN marts.fct_customer_clv.predicted_clv IS 'Predicted revenue over the next clv_months months, discounted monthly by clv_monthly_discount (lifetimes'' customer_lifetime_value), USD.';
SELECT meta.add_range('marts', 'fct_customer_clv', 'prob_alive', 0, 1);
SELECT meta.add_range('marts', 'fct_customer_clv', 'predicted_purchases_90d', 0, NULL);
SELECT meta.add_range('marts', 'fct_customer_clv', 'predicted_purchases_365d', 0, NULL);
SELECT meta.add_range('marts', 'fct_customer_clv', 'predicted_clv', 0, NULL);

-- The fitted models, for users to see what the predictions rest on.
CREATE VIEW model.mart_clv_model AS
WITH cal AS (
    SELECT sum(predicted_purchases) AS predicted, sum(actual_purchases) AS actual,
           avg(abs(predicted_purchases - actual_purchases)) AS mae
    FROM intermediate.int_clv_holdout
)
SELECT
    f.period,
    f.model,
    f.fit_date,
    f.param_names,
    f.params,
    f.log_likelihood,
    f.iterations,
    f.converged,
    f.customers,
    CASE WHEN f.period = 'calibration' AND f.model = 'bgnbd' THEN c.predicted END AS holdout_predicted_purchases,
    CASE WHEN f.period = 'calibration' AND f.model = 'bgnbd' THEN c.actual END AS holdout_actual_purchases,
    CASE WHEN f.period = 'calibration' AND f.model = 'bgnbd' THEN c.mae END AS holdout_mae
FROM intermediate.int_clv_fits f
CROSS JOIN cal c;
CREATE TABLE marts.mart_clv_model AS SELECT * FROM model.mart_clv_model WITH NO DATA;
ALTER TABLE marts.mart_clv_model ADD CONSTRAINT mart_clv_model_pkey PRIMARY KEY (period, model);
COMMENT ON VIEW model.mart_clv_model IS 'Definition of marts.mart_clv_model, written by clv refresh.';
COMMENT ON TABLE marts.mart_clv_model IS 'Predictive CLV: the fitted BG/NBD and Gamma-Gamma models (whole history, and BG/NBD on the calibration period), their parameters, fit date and fit quality.';
COMMENT ON COLUMN marts.mart_clv_model.period IS 'whole = fitted on every order up to the as-of date (used for the predictions); calibration = fitted on the orders up to clv_holdout_days before it.';
COMMENT ON COLUMN marts.mart_clv_model.model IS 'bgnbd (purchases: BG/NBD) or gamma_gamma (spend).';
COMMENT ON COLUMN marts.mart_clv_model.fit_date IS 'Last day of the data the model was fitted on.';
COMMENT ON COLUMN marts.mart_clv_model.param_names IS 'Parameter names, in the order of params.';
COMMENT ON COLUMN marts.mart_clv_model.params IS 'Maximum-likelihood parameters (time unit: days).';
COMMENT ON COLUMN marts.mart_clv_model.log_likelihood IS 'Log-likelihood at the parameters (higher is better; without the penalty).';
COMMENT ON COLUMN marts.mart_clv_model.iterations IS 'Optimiser iterations.';
COMMENT ON COLUMN marts.mart_clv_model.converged IS 'Whether the optimiser reached a proper maximum (false: on a parameter bound; see README).';
COMMENT ON COLUMN marts.mart_clv_model.customers IS 'Customers the model was fitted on.';
COMMENT ON COLUMN marts.mart_clv_model.holdout_predicted_purchases IS 'Calibration BG/NBD only: predicted repeat orders of all customers in the holdout days.';
COMMENT ON COLUMN marts.mart_clv_model.holdout_actual_purchases IS 'Calibration BG/NBD only: actual order days in the holdout.';
COMMENT ON COLUMN marts.mart_clv_model.holdout_mae IS 'Calibration BG/NBD only: mean absolute error of predicted vs actual holdout orders per customer.';
SELECT meta.add_tests('marts', 'mart_clv_model', ARRAY['period', 'model', 'params', 'log_likelihood', 'converged', 'customers'], ARRAY['period', 'model']);
SELECT meta.add_values('marts', 'mart_clv_model', 'model', ARRAY['bgnbd', 'gamma_gamma']);

-- Calibration vs holdout per frequency bucket (the papers' table).
CREATE VIEW model.mart_clv_calibration AS
SELECT
    least(cal_x, 10)::integer AS frequency_bucket,
    CASE WHEN cal_x < 10 THEN cal_x::integer::text ELSE '10+' END AS frequency_label,
    count(*) AS customers,
    avg(predicted_purchases) AS mean_predicted_purchases,
    avg(actual_purchases) AS mean_actual_purchases,
    avg(predicted_purchases) - avg(actual_purchases) AS mean_error
FROM intermediate.int_clv_holdout
GROUP BY 1, 2;
CREATE TABLE marts.mart_clv_calibration AS SELECT * FROM model.mart_clv_calibration WITH NO DATA;
ALTER TABLE marts.mart_clv_calibration ADD CONSTRAINT mart_clv_calibration_pkey PRIMARY KEY (frequency_bucket);
COMMENT ON VIEW model.mart_clv_calibration IS 'Definition of marts.mart_clv_calibration, written by clv refresh.';
COMMENT ON TABLE marts.mart_clv_calibration IS 'Predictive CLV check: customers grouped by repeat orders in the calibration period (0..9, 10+), mean predicted vs actual orders in the holdout (the last clv_holdout_days days).';
COMMENT ON COLUMN marts.mart_clv_calibration.frequency_bucket IS 'Repeat order days in the calibration period, capped at 10.';
COMMENT ON COLUMN marts.mart_clv_calibration.frequency_label IS '0..9, or 10+.';
COMMENT ON COLUMN marts.mart_clv_calibration.customers IS 'Customers in the bucket (first order before the holdout).';
COMMENT ON COLUMN marts.mart_clv_calibration.mean_predicted_purchases IS 'Mean BG/NBD prediction (calibration fit) of orders in the holdout.';
COMMENT ON COLUMN marts.mart_clv_calibration.mean_actual_purchases IS 'Mean actual order days in the holdout.';
COMMENT ON COLUMN marts.mart_clv_calibration.mean_error IS 'mean_predicted_purchases - mean_actual_purchases.';
SELECT meta.add_tests('marts', 'mart_clv_calibration', ARRAY['frequency_bucket', 'customers', 'mean_predicted_purchases', 'mean_actual_purchases'], ARRAY['frequency_bucket']);
SELECT meta.add_range('marts', 'mart_clv_calibration', 'mean_predicted_purchases', 0, NULL);
SELECT meta.add_range('marts', 'mart_clv_calibration', 'mean_actual_purchases', 0, NULL);

GRANT SELECT ON ALL TABLES IN SCHEMA marts TO clv_reader;

------------------------------------------------------------------------------
-- Column comments for every intermediate model (V4 and V5 left most out).
------------------------------------------------------------------------------
COMMENT ON COLUMN intermediate.int_customer_btyd.user_id IS 'Customer.';
COMMENT ON COLUMN intermediate.int_customer_btyd.x IS 'Repeat order days over the whole history (order days - 1).';
COMMENT ON COLUMN intermediate.int_customer_btyd.t_x IS 'Days from the first to the last order day.';
COMMENT ON COLUMN intermediate.int_customer_btyd.t IS 'Days from the first order to the as-of date (T).';
COMMENT ON COLUMN intermediate.int_customer_btyd.monetary IS 'Mean order value of the repeat order days, USD; NULL for x = 0.';
COMMENT ON COLUMN intermediate.int_customer_btyd.cal_x IS 'x over the calibration period (up to clv_holdout_days before the as-of date); NULL when the first order is later.';
COMMENT ON COLUMN intermediate.int_customer_btyd.cal_t_x IS 't_x over the calibration period.';
COMMENT ON COLUMN intermediate.int_customer_btyd.cal_t IS 'T at the calibration end.';
COMMENT ON COLUMN intermediate.int_customer_btyd.holdout_purchases IS 'Order days in the holdout period (after the calibration end, up to the as-of date).';
COMMENT ON COLUMN intermediate.int_clv_fits.period IS 'whole (every order) or calibration (orders up to clv_holdout_days before the as-of date).';
COMMENT ON COLUMN intermediate.int_clv_fits.model IS 'bgnbd or gamma_gamma.';
COMMENT ON COLUMN intermediate.int_clv_fits.fit_date IS 'Last day of the data fitted.';
COMMENT ON COLUMN intermediate.int_clv_fits.param_names IS 'Parameter names, in the order of params.';
COMMENT ON COLUMN intermediate.int_clv_fits.params IS 'Fitted parameters (time unit: days).';
COMMENT ON COLUMN intermediate.int_clv_fits.log_likelihood IS 'Log-likelihood at params, without the penalty.';
COMMENT ON COLUMN intermediate.int_clv_fits.iterations IS 'Optimiser iterations.';
COMMENT ON COLUMN intermediate.int_clv_fits.converged IS 'True at a proper interior maximum.';
COMMENT ON COLUMN intermediate.int_clv_fits.customers IS 'Customers fitted.';
COMMENT ON COLUMN intermediate.int_customer_preferences.user_id IS 'Customer.';
COMMENT ON COLUMN intermediate.int_customer_preferences.preferred_hour IS 'Most frequent order hour (0..23; ties to the earliest).';
COMMENT ON COLUMN intermediate.int_customer_preferences.preferred_day_part IS 'Day part of preferred_hour: night, morning, afternoon or evening.';
COMMENT ON COLUMN intermediate.int_customer_preferences.preferred_dow IS 'Most frequent order weekday (Instacart order_dow; ties to the smallest).';
COMMENT ON COLUMN intermediate.int_order_metrics.order_id IS 'Order with published lines.';
COMMENT ON COLUMN intermediate.int_order_metrics.basket_size IS 'Lines in the order.';
COMMENT ON COLUMN intermediate.int_order_metrics.order_value IS 'Sum of unit prices, USD.';
COMMENT ON COLUMN intermediate.int_order_metrics.order_cost IS 'Sum of unit costs, USD.';
COMMENT ON COLUMN intermediate.int_order_metrics.returned_value IS 'Price of the returned lines, USD.';
COMMENT ON COLUMN intermediate.int_order_metrics.returned_cost IS 'Cost of the returned lines, USD.';
COMMENT ON COLUMN intermediate.int_order_metrics.returned_lines IS 'Returned lines.';
COMMENT ON COLUMN intermediate.int_product_associations.singleton IS 'Always true: the key of the single row.';
COMMENT ON COLUMN intermediate.int_product_associations.k IS 'pair_top_k at the refresh.';
COMMENT ON COLUMN intermediate.int_product_associations.pairs IS 'The top k pairs (clv.top_pairs over the order lines).';
COMMENT ON COLUMN intermediate.int_product_associations.partners IS 'The top k partners of every product (clv.top_partners).';
COMMENT ON COLUMN intermediate.int_product_prices.product_id IS 'Product.';
COMMENT ON COLUMN intermediate.int_product_prices.department_id IS 'Department of the product.';
COMMENT ON COLUMN intermediate.int_product_prices.aisle_id IS 'Aisle of the product.';
COMMENT ON COLUMN intermediate.int_product_prices.unit_price_cents IS 'Synthetic unit price, cents.';
COMMENT ON COLUMN intermediate.int_product_prices.unit_cost_cents IS 'Synthetic unit cost, cents.';
COMMENT ON COLUMN intermediate.int_product_prices.return_rate IS 'Synthetic return rate of the department.';
COMMENT ON COLUMN intermediate.int_product_sales.product_id IS 'Product.';
COMMENT ON COLUMN intermediate.int_product_sales.lines IS 'Order lines sold.';
COMMENT ON COLUMN intermediate.int_product_sales.revenue IS 'Gross revenue, USD.';
COMMENT ON COLUMN intermediate.int_product_sales.returned_lines IS 'Returned lines.';
COMMENT ON COLUMN intermediate.int_product_sales.returned_value IS 'Price of the returned lines, USD.';
COMMENT ON COLUMN intermediate.int_product_sales.margin IS 'Margin on kept lines, USD.';
