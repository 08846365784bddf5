-- Q9. Which departments earn the most, and what do returns cost?
--
-- Departments ranked by margin on kept (not returned) lines, with revenue,
-- margin rate and the return rate. Prices, costs and returns are synthetic
-- (README, What is synthetic).
--
-- Columns
--   margin_rank     1 = highest margin
--   department      department name
--   lines           order lines sold
--   revenue         gross revenue, USD
--   net_revenue     revenue minus returned value, USD
--   margin          margin on kept lines, USD
--   margin_rate     margin / net_revenue
--   return_rate     returned lines / lines
--
-- Settings: none. For aisles, filter on level = 'aisle' (the department
-- column then names the aisle's department).

SELECT
    margin_rank,
    category_name AS department,
    lines,
    revenue,
    net_revenue,
    margin,
    round(margin_rate, 3) AS margin_rate,
    round(return_rate, 4) AS return_rate
FROM marts.mart_category_performance
WHERE level = 'department'
ORDER BY margin_rank, category_name;
