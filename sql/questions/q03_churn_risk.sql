-- Q3. Which top spenders are at risk of churning?
--
-- The top spenders (customers whose cumulative share by revenue, highest
-- first, is within churn_top_spender_share) who have not ordered for at
-- least churn_inactive_days days before the as-of date (the dataset's latest
-- order date), most valuable first.
--
-- Columns
--   user_id              customer
--   revenue_rank         rank by gross revenue among all customers (1 = highest)
--   revenue              gross revenue, USD
--   historical_clv       margin the customer has brought so far, USD
--   days_inactive        days since the latest order
--   last_order_date      date of the latest order
--   orders               number of orders
--   region               synthetic region
--   rfm_segment          RFM segment (README, RFM segments)
--
-- Settings: churn_inactive_days (default 90), churn_top_spender_share
-- (default 0.20). Change with `clv config set NAME VALUE`, then `clv refresh`.
-- Every top spender, at risk or not: SELECT * FROM marts.mart_churn_risk.

SELECT
    r.user_id,
    r.revenue_rank,
    r.revenue,
    c.historical_clv,
    r.days_inactive,
    r.last_order_date,
    c.orders,
    c.region,
    c.rfm_segment
FROM marts.mart_churn_risk r
JOIN marts.fct_customer_clv c ON c.user_id = r.user_id
WHERE r.churn_risk
ORDER BY r.revenue DESC, r.user_id;
