-- Q4. Which products are bought together?
--
-- The most frequent product pairs in the same basket (order), over every
-- published basket, with the usual association measures.
--
-- Columns
--   pair_rank            1 = the pair found in most baskets (ties by product ids)
--   product_a, _name     the pair's lower product id and its name
--   product_b, _name     the higher product id and its name
--   pair_count           baskets containing both
--   support              pair_count / all baskets
--   confidence_ab        P(b in basket | a in basket)
--   confidence_ba        P(a in basket | b in basket)
--   lift                 support / (support(a) x support(b)); above 1 means
--                        bought together more often than by chance
--
-- Settings: pair_top_k (default 5) = how many pairs the mart keeps, and how
-- many partners per product marts.mart_product_recommendations keeps.
-- Recommendations for one product:
--   SELECT partner_rank, partner_name, pair_count, confidence, lift
--   FROM marts.mart_product_recommendations WHERE product_name = 'Banana' ORDER BY partner_rank;

SELECT
    pair_rank,
    product_a,
    product_a_name,
    product_b,
    product_b_name,
    pair_count,
    round(support::numeric, 5) AS support,
    round(confidence_ab::numeric, 3) AS confidence_ab,
    round(confidence_ba::numeric, 3) AS confidence_ba,
    round(lift::numeric, 2) AS lift
FROM marts.mart_product_pairs
ORDER BY pair_rank;
