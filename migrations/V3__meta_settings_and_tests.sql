-- Schema meta: what the marts are tuned by (settings), what they promise
-- (data tests, declared next to each model in the migrations) and what the
-- last refreshes did. BI readers do not see it; `clv config`, `clv test` and
-- `clv refresh` use it.

CREATE SCHEMA meta;
COMMENT ON SCHEMA meta IS 'Settings, declared data tests and refresh history of the clv marts.';

CREATE TABLE meta.settings (
    name          text PRIMARY KEY,
    value         double precision NOT NULL,
    default_value double precision NOT NULL,
    min_value     double precision NOT NULL,
    max_value     double precision NOT NULL,
    is_integer    boolean NOT NULL,
    unit          text NOT NULL,
    description   text NOT NULL
);
COMMENT ON TABLE meta.settings IS
  'Every threshold the marts use, one row per setting. Change with `clv config set NAME VALUE` or UPDATE meta.settings SET value = ...; marts pick it up at the next `clv refresh`.';
COMMENT ON COLUMN meta.settings.value IS 'Current value (within min_value..max_value; whole if is_integer).';

-- Refuses bad values with a message naming the setting and its range, for
-- the CLI and plain SQL alike (SQLSTATE 22023).
CREATE FUNCTION meta.check_setting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.value IS NULL OR NEW.value = 'NaN'::float8
       OR NEW.value < NEW.min_value OR NEW.value > NEW.max_value
       OR (NEW.is_integer AND NEW.value <> trunc(NEW.value)) THEN
        RAISE EXCEPTION 'setting % must be %between % and % (%), got %',
            NEW.name, CASE WHEN NEW.is_integer THEN 'a whole number ' ELSE '' END,
            NEW.min_value, NEW.max_value, NEW.unit, NEW.value
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.name <> OLD.name OR NEW.min_value <> OLD.min_value
        OR NEW.max_value <> OLD.max_value OR NEW.is_integer <> OLD.is_integer
        OR NEW.default_value <> OLD.default_value) THEN
        RAISE EXCEPTION 'only the value of setting % can be changed', OLD.name
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER settings_check BEFORE INSERT OR UPDATE ON meta.settings
    FOR EACH ROW EXECUTE FUNCTION meta.check_setting();

-- The value of one setting; an unknown name is an error, not a silent NULL.
CREATE FUNCTION meta.setting(setting_name text) RETURNS double precision
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE v double precision;
BEGIN
    SELECT value INTO v FROM meta.settings WHERE name = setting_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown setting %', setting_name USING ERRCODE = 'undefined_object';
    END IF;
    RETURN v;
END $$;

INSERT INTO meta.settings (name, value, default_value, min_value, max_value, is_integer, unit, description) VALUES
    ('churn_inactive_days',      90,   90,   1, 3650, true,  'days',     'Question 3: a top spender with no order for at least this many days before the as-of date is at churn risk.'),
    ('churn_top_spender_share',  0.20, 0.20, 0.001, 1, false, 'fraction', 'Question 3: top spenders are the customers whose cumulative share by revenue (cume_dist, highest first) is at most this.'),
    ('active_window_days',       30,   30,   1, 3650, true,  'days',     'KPIs: a customer is active with an order within this many days before the as-of date.'),
    ('cohort_months',            12,   12,   1, 120,  true,  'months',   'Question 1: retention is tracked for month offsets 0..cohort_months after the first order.'),
    ('pair_top_k',               5,    5,    1, 1000, true,  'pairs',    'Question 4: how many product pairs mart_product_pairs keeps, and partners per product in mart_product_recommendations.'),
    ('golden_aov_percentile',    0.90, 0.90, 0, 1,    false, 'fraction', 'Question 6: customers whose AOV is at or above this percentile of customer AOVs (percentile_cont).'),
    ('golden_min_departments',   5,    5,    1, 63,   true,  'departments', 'Question 6: ... and who bought from at least this many departments.'),
    ('loyalty_order_threshold',  10,   10,   1, 1000, true,  'orders',   'Question 8: customers who passed this many orders; "before" is orders 1..N, "after" is orders N+1 onwards. Also the boundary between repeat and loyal customers.'),
    ('decline_window_orders',    3,    3,    1, 50,   true,  'orders',   'Question 10: early basket = mean of the first N priced orders, recent = mean of the last N.'),
    ('decline_threshold',        0.20, 0.20, 0.0, 1,  false, 'fraction', 'Question 10: a customer declined when the recent basket is more than this fraction below the early one.');

CREATE TABLE meta.data_tests (
    test_id     serial PRIMARY KEY,
    schema_name text NOT NULL,
    model_name  text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('not_null', 'unique', 'relationship', 'accepted_range', 'accepted_values')),
    columns     text[] NOT NULL CHECK (cardinality(columns) >= 1),
    min_value   double precision,
    max_value   double precision,
    ref_schema  text,
    ref_model   text,
    ref_column  text,
    accepted    text[],
    CONSTRAINT data_tests_shape CHECK (
        (kind = 'relationship') = (ref_schema IS NOT NULL AND ref_model IS NOT NULL AND ref_column IS NOT NULL)
        AND (kind = 'accepted_range') = (min_value IS NOT NULL OR max_value IS NOT NULL)
        AND (kind = 'accepted_values') = (accepted IS NOT NULL)
        AND (kind = 'unique' OR cardinality(columns) = 1)),
    UNIQUE (schema_name, model_name, kind, columns)
);
COMMENT ON TABLE meta.data_tests IS
  'Data tests declared next to each model in the migrations and run by `clv test`: not_null, unique (the model key), relationship (column -> ref_schema.ref_model.ref_column), accepted_range (min_value <= column <= max_value, either bound optional) and accepted_values.';

CREATE TABLE meta.refresh_runs (
    run_id      bigserial PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    models      integer NOT NULL,
    seconds     double precision NOT NULL,
    timings     jsonb NOT NULL
);
COMMENT ON TABLE meta.refresh_runs IS
  'One row per successful `clv refresh` (a failed refresh rolls back and leaves no row): per-model seconds in timings.';
