-- clv 0.1.0 -> 0.2.0: the rows form of clv.top_pairs / clv.top_partners.
-- Installed next to the generated clv--0.2.0.sql by scripts/lib.sh; applied
-- by `ALTER EXTENSION clv UPDATE` (migration V5) in databases made with 0.1.0.
\echo Use "ALTER EXTENSION clv UPDATE TO '0.2.0'" to load this file. \quit

CREATE FUNCTION basket_rows_trans(state internal, basket_id bigint, product_id bigint, k integer)
RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'basket_rows_trans_wrapper';
CREATE FUNCTION basket_rows_combine(a internal, b internal)
RETURNS internal IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'basket_rows_combine_wrapper';
CREATE FUNCTION basket_rows_serial(state internal)
RETURNS bytea IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'basket_rows_serial_wrapper';
CREATE FUNCTION basket_rows_deserial(bytes bytea, _unused internal)
RETURNS internal IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'basket_rows_deserial_wrapper';
CREATE FUNCTION top_pairs_rows_final(state internal)
RETURNS product_pair[] IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'top_pairs_rows_final_wrapper';
CREATE FUNCTION top_partners_rows_final(state internal)
RETURNS product_partner[] IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'top_partners_rows_final_wrapper';

-- The rows form: (basket id, product id) rows in any order, no arrays to
-- build first. Same results as the array form over the same baskets.
CREATE AGGREGATE top_pairs(basket_id bigint, product_id bigint, k integer) (
    sfunc = basket_rows_trans, stype = internal,
    combinefunc = basket_rows_combine,
    serialfunc = basket_rows_serial, deserialfunc = basket_rows_deserial,
    finalfunc = top_pairs_rows_final,
    parallel = safe
);
COMMENT ON AGGREGATE top_pairs(bigint, bigint, integer) IS
  'Exact top-k co-occurring product pairs over (basket id, product id) rows in any order (a product twice in a basket counts once; rows with a NULL are skipped); same result columns and ties as the array form. Memory: about 16 bytes per row, bounded by clv.pair_memory_mb.';
CREATE AGGREGATE top_partners(basket_id bigint, product_id bigint, k integer) (
    sfunc = basket_rows_trans, stype = internal,
    combinefunc = basket_rows_combine,
    serialfunc = basket_rows_serial, deserialfunc = basket_rows_deserial,
    finalfunc = top_partners_rows_final,
    parallel = safe
);
COMMENT ON AGGREGATE top_partners(bigint, bigint, integer) IS
  'For every product, its k most frequent basket partners, over (basket id, product id) rows in any order; shares one count with top_pairs over the same rows in one query. Memory bounded by clv.pair_memory_mb.';
