-- Q6. Who are the high-AOV customers who shop across the store?
--
-- Customers whose average order value is at or above the
-- golden_aov_percentile of all customers' AOVs and who bought from at least
-- golden_min_departments departments, most valuable first.
--
-- Columns
--   user_id           customer
--   aov               the customer's average order value, USD
--   aov_threshold     the AOV percentile the customer is at or above, USD
--   departments       distinct departments bought from
--   orders            number of orders
--   revenue           gross revenue, USD
--   historical_clv    margin the customer has brought so far, USD
--   region            synthetic region
--   rfm_segment       RFM segment (README, RFM segments)
--
-- Settings: golden_aov_percentile (default 0.90), golden_min_departments
-- (default 5). Change with `clv config set NAME VALUE`, then `clv refresh`.

SELECT
    g.user_id,
    round(g.aov, 2) AS aov,
    round(g.aov_threshold::numeric, 2) AS aov_threshold,
    g.departments,
    g.orders,
    g.revenue,
    g.historical_clv,
    c.region,
    c.rfm_segment
FROM marts.mart_golden_basket g
JOIN marts.fct_customer_clv c ON c.user_id = g.user_id
ORDER BY g.historical_clv DESC, g.user_id;
