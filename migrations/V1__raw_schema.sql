-- The layered schemas and the raw Instacart tables, mirroring the six published
-- CSVs column for column. Keys and constraints are real: `clv load` validates
-- rows before they get here, and the database enforces the same rules.

CREATE EXTENSION IF NOT EXISTS clv;

CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS intermediate;
CREATE SCHEMA IF NOT EXISTS marts;

COMMENT ON SCHEMA raw IS 'The Instacart CSVs as published, plus the enrichment seeds; written only by clv load.';
COMMENT ON SCHEMA staging IS 'Clean, typed, enriched views over raw (calendar, money, regions, returns).';
COMMENT ON SCHEMA intermediate IS 'Behavioural metrics per customer, order and product.';
COMMENT ON SCHEMA marts IS 'CLV facts, dimensions, KPIs and one mart per business question; what BI tools query.';

CREATE TABLE raw.aisles (
    aisle_id integer NOT NULL CHECK (aisle_id > 0),
    aisle    text    NOT NULL,
    CONSTRAINT aisles_pkey PRIMARY KEY (aisle_id)
);
COMMENT ON TABLE raw.aisles IS 'aisles.csv as published: 134 aisles.';

CREATE TABLE raw.departments (
    department_id integer NOT NULL CHECK (department_id > 0),
    department    text    NOT NULL,
    CONSTRAINT departments_pkey PRIMARY KEY (department_id)
);
COMMENT ON TABLE raw.departments IS 'departments.csv as published: 21 departments, one named missing.';

CREATE TABLE raw.products (
    product_id    integer NOT NULL CHECK (product_id > 0),
    product_name  text    NOT NULL,
    aisle_id      integer NOT NULL,
    department_id integer NOT NULL,
    CONSTRAINT products_pkey PRIMARY KEY (product_id),
    CONSTRAINT products_aisle_fk FOREIGN KEY (aisle_id) REFERENCES raw.aisles (aisle_id),
    CONSTRAINT products_department_fk FOREIGN KEY (department_id) REFERENCES raw.departments (department_id)
);
COMMENT ON TABLE raw.products IS 'products.csv as published: 49,688 products.';

CREATE TABLE raw.orders (
    order_id               integer  NOT NULL CHECK (order_id > 0),
    user_id                integer  NOT NULL CHECK (user_id > 0),
    eval_set               text     NOT NULL CHECK (eval_set IN ('prior', 'train', 'test')),
    order_number           integer  NOT NULL CHECK (order_number >= 1),
    order_dow              smallint NOT NULL CHECK (order_dow BETWEEN 0 AND 6),
    order_hour_of_day      smallint NOT NULL CHECK (order_hour_of_day BETWEEN 0 AND 23),
    -- Published as a float ("15.0"), integral, capped at 30, empty for a first order.
    days_since_prior_order real CHECK (
        days_since_prior_order BETWEEN 0 AND 30
        AND days_since_prior_order = trunc(days_since_prior_order)),
    CONSTRAINT orders_pkey PRIMARY KEY (order_id),
    CONSTRAINT orders_user_order_number_key UNIQUE (user_id, order_number),
    CONSTRAINT orders_first_order_has_no_gap
        CHECK ((order_number = 1) = (days_since_prior_order IS NULL))
);
COMMENT ON TABLE raw.orders IS 'orders.csv as published: one row per order of 206,209 users.';

CREATE TABLE raw.order_products_prior (
    order_id          integer  NOT NULL,
    product_id        integer  NOT NULL,
    add_to_cart_order integer  NOT NULL CHECK (add_to_cart_order >= 1),
    reordered         smallint NOT NULL CHECK (reordered IN (0, 1)),
    CONSTRAINT order_products_prior_pkey PRIMARY KEY (order_id, product_id),
    CONSTRAINT order_products_prior_order_fk FOREIGN KEY (order_id) REFERENCES raw.orders (order_id),
    CONSTRAINT order_products_prior_product_fk FOREIGN KEY (product_id) REFERENCES raw.products (product_id)
);
COMMENT ON TABLE raw.order_products_prior IS 'order_products__prior.csv as published: the lines of every prior order.';

CREATE TABLE raw.order_products_train (
    order_id          integer  NOT NULL,
    product_id        integer  NOT NULL,
    add_to_cart_order integer  NOT NULL CHECK (add_to_cart_order >= 1),
    reordered         smallint NOT NULL CHECK (reordered IN (0, 1)),
    CONSTRAINT order_products_train_pkey PRIMARY KEY (order_id, product_id),
    CONSTRAINT order_products_train_order_fk FOREIGN KEY (order_id) REFERENCES raw.orders (order_id),
    CONSTRAINT order_products_train_product_fk FOREIGN KEY (product_id) REFERENCES raw.products (product_id)
);
COMMENT ON TABLE raw.order_products_train IS 'order_products__train.csv as published: the lines of each training user''s last order.';

-- One row per successful `clv load`, for `clv status` and auditing.
CREATE TABLE raw.load_runs (
    load_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    loaded_at   timestamptz NOT NULL DEFAULT now(),
    source_dir  text        NOT NULL,
    seeds_dir   text,
    row_counts  jsonb       NOT NULL,
    seconds     double precision NOT NULL CHECK (seconds >= 0)
);
COMMENT ON TABLE raw.load_runs IS 'One row per successful clv load: when, from where, how many rows per file.';
