-- Q1. Monthly retention by first-order cohort.
--
-- Of the customers who placed their first order in a given month (the
-- cohort), what share ordered again 1, 2, ... 12 calendar months later?
--
-- Columns
--   cohort_month   first day of the month of the customers' first order
--   cohort_size    customers in the cohort
--   m00 .. m12     share of the cohort with at least one order in the month
--                  that many calendar months after the cohort month
--                  (m00 is always 1); NULL when that month lies after the
--                  data's last month (unknown, not 0%) or beyond the
--                  cohort_months setting
--
-- Settings: cohort_months (default 12) = how many month offsets the marts
-- keep. Change with `clv config set cohort_months N`, then `clv refresh`.
--
-- Long form (one row per cohort and offset, with counts):
--   SELECT * FROM marts.mart_cohort_retention ORDER BY cohort_month, months_since_first_order;

SELECT
    cohort_month,
    cohort_size,
    m00, m01, m02, m03, m04, m05, m06, m07, m08, m09, m10, m11, m12
FROM marts.mart_cohort_retention_pivot
ORDER BY cohort_month;
