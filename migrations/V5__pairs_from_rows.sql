-- Product pairs counted from the order lines themselves (clv 0.2.0's rows
-- form of clv.top_pairs / clv.top_partners) instead of per-order arrays:
-- building 3.4M arrays with array_agg (no parallel combine in PostgreSQL 15)
-- took about 70 of the model's 100 s at scale 1.0.

-- Databases created with clv 0.1.0 get the rows form (clv 0.2.0): the update
-- goes to the installed default version; a no-op when already there.
ALTER EXTENSION clv UPDATE;

DROP VIEW model.mart_product_pairs;
DROP VIEW model.mart_product_recommendations;
DROP MATERIALIZED VIEW intermediate.int_product_associations;

CREATE MATERIALIZED VIEW intermediate.int_product_associations AS
SELECT
    true AS singleton,
    s.k,
    -- Same arguments, so PostgreSQL keeps one state (and one count) for both.
    clv.top_pairs(b.order_id, b.product_id, s.k) AS pairs,
    clv.top_partners(b.order_id, b.product_id, s.k) AS partners
FROM staging.stg_basket_lines b
CROSS JOIN (SELECT (SELECT meta.setting('pair_top_k'))::integer AS k) s
GROUP BY s.k;
CREATE UNIQUE INDEX int_product_associations_key ON intermediate.int_product_associations (singleton);
COMMENT ON MATERIALIZED VIEW intermediate.int_product_associations IS 'One row: the top pair_top_k product pairs over all baskets and the top pair_top_k partners of every product (clv.top_pairs, clv.top_partners over the order lines).';

-- The two views below are unchanged from V4 (dropped with the model above).
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
COMMENT ON VIEW model.mart_product_pairs IS 'Definition of marts.mart_product_pairs, written by clv refresh.';
COMMENT ON VIEW model.mart_product_recommendations IS 'Definition of marts.mart_product_recommendations, written by clv refresh.';
