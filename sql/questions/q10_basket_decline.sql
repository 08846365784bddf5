-- Q10. Whose baskets are getting smaller?
--
-- Customers whose recent basket (mean basket size of their last N priced
-- orders) is more than decline_threshold below their early basket (the mean
-- of their first N priced orders), steepest decline first. Customers need at
-- least 2N priced orders to be compared.
--
-- Columns
--   user_id            customer
--   priced_orders      orders with published lines
--   early_mean         mean basket size (products) of the first N priced orders
--   recent_mean        mean basket size of the last N priced orders
--   relative_change    recent_mean / early_mean - 1 (-0.30 = 30% smaller)
--   days_inactive      days since the latest order (as of the dataset's end)
--   historical_clv     margin the customer has brought so far, USD
--   region             synthetic region
--   rfm_segment        RFM segment (README, RFM segments)
--
-- Settings: decline_window_orders (N, default 3), decline_threshold
-- (default 0.20). Change with `clv config set NAME VALUE`, then `clv refresh`.

SELECT
    d.user_id,
    d.priced_orders,
    round(d.early_mean::numeric, 2) AS early_mean,
    round(d.recent_mean::numeric, 2) AS recent_mean,
    round(d.relative_change::numeric, 3) AS relative_change,
    c.recency_days AS days_inactive,
    c.historical_clv,
    c.region,
    c.rfm_segment
FROM marts.mart_basket_decline d
JOIN marts.fct_customer_clv c ON c.user_id = d.user_id
ORDER BY d.relative_change, d.user_id;
