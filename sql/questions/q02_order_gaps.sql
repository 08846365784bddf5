-- Q2. How long do customers wait between orders?
--
-- Per customer type (and for all customers), the typical number of days
-- between consecutive orders (by the synthetic order dates), and how long it
-- has been since the latest order. Customers with a single order have no gap
-- and are left out of the gap columns.
--
-- Columns
--   customer_type          one-time, repeat or loyal ('all' = everybody)
--   customers              customers in the group
--   customers_with_gaps    customers with at least two orders
--   mean_gap_days          mean over customers of their mean gap
--   median_gap_days        median over customers of their median gap
--   p90_max_gap_days       90th percentile of customers' longest gap
--   mean_last_gap_days     mean over customers of the gap before their latest order
--   median_recency_days    median days from the latest order to the as-of date
--                          (the dataset's latest order date)
--
-- Settings: loyalty_order_threshold (default 10) separates repeat from loyal
-- customers. Per customer: SELECT * FROM marts.mart_order_gaps.

SELECT
    coalesce(c.customer_type, 'all') AS customer_type,
    count(*) AS customers,
    count(g.avg_gap_days) AS customers_with_gaps,
    round(avg(g.avg_gap_days)::numeric, 1) AS mean_gap_days,
    round((percentile_cont(0.5) WITHIN GROUP (ORDER BY g.median_gap_days))::numeric, 1) AS median_gap_days,
    round((percentile_cont(0.9) WITHIN GROUP (ORDER BY g.max_gap_days))::numeric, 1) AS p90_max_gap_days,
    round(avg(g.last_gap_days)::numeric, 1) AS mean_last_gap_days,
    percentile_disc(0.5) WITHIN GROUP (ORDER BY g.recency_days) AS median_recency_days
FROM marts.mart_order_gaps g
JOIN marts.dim_customer c ON c.user_id = g.user_id
GROUP BY ROLLUP (c.customer_type)
ORDER BY GROUPING(c.customer_type), min(c.orders);
