-- Q5. Average order value by month: first-time versus returning customers.
--
-- Per calendar month (of the synthetic order date), the orders and the
-- average order value (AOV) of customers' first orders and of returning
-- customers' orders side by side. AOV is over priced orders only: orders
-- whose lines are not published (Instacart's eval_set 'test') count as
-- orders but have no value.
--
-- Columns
--   order_month            first day of the calendar month
--   first_time_orders      first orders placed in the month
--   first_time_aov         their AOV, USD
--   returning_orders       orders 2, 3, ... of customers placed in the month
--   returning_aov          their AOV, USD
--   returning_vs_first     returning_aov / first_time_aov - 1 (0.10 = 10% higher)
--   revenue                gross revenue of the month, USD
--
-- Settings: none.

SELECT
    order_month,
    coalesce(sum(orders) FILTER (WHERE customer_order_type = 'first-time'), 0) AS first_time_orders,
    round(max(aov) FILTER (WHERE customer_order_type = 'first-time'), 2) AS first_time_aov,
    coalesce(sum(orders) FILTER (WHERE customer_order_type = 'returning'), 0) AS returning_orders,
    round(max(aov) FILTER (WHERE customer_order_type = 'returning'), 2) AS returning_aov,
    round(max(aov) FILTER (WHERE customer_order_type = 'returning')
          / nullif(max(aov) FILTER (WHERE customer_order_type = 'first-time'), 0) - 1, 3) AS returning_vs_first,
    sum(revenue) AS revenue
FROM marts.mart_monthly_aov
GROUP BY order_month
ORDER BY order_month;
