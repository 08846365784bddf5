-- Q8. What happens after a customer's Nth order?
--
-- For customers who passed loyalty_order_threshold (N) orders: how long it
-- took them to reach order N + 1, and whether they spend more per order
-- after the milestone (orders N+1 onwards) than before it (orders 1..N).
--
-- Columns
--   customers                customers who placed order N + 1
--   avg_days_to_milestone    mean days from the first order to order N + 1
--   avg_aov_before           mean AOV over orders 1..N, USD
--   avg_aov_after            mean AOV over orders after N, USD
--   avg_spend_uplift         mean of aov_after / aov_before - 1 per customer
--   median_spend_uplift      its median
--   share_with_uplift        share of customers who spend more per order after
--
-- Settings: loyalty_order_threshold (default 10); also the boundary between
-- repeat and loyal customers. Per customer: SELECT * FROM marts.mart_loyalty_impact.

SELECT
    customers,
    round(avg_days_to_milestone, 1) AS avg_days_to_milestone,
    round(avg_aov_before, 2) AS avg_aov_before,
    round(avg_aov_after, 2) AS avg_aov_after,
    round(avg_spend_uplift, 4) AS avg_spend_uplift,
    round(median_spend_uplift::numeric, 4) AS median_spend_uplift,
    round(share_with_uplift, 3) AS share_with_uplift
FROM marts.mart_loyalty_impact_summary;
