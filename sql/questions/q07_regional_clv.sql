-- Q7. How does customer lifetime value differ by region, and when do each
-- region's customers like to order?
--
-- Columns
--   region                  synthetic region
--   customers               customers in the region
--   avg_clv, median_clv     mean and median historical CLV (margin so far), USD
--   preferred_day_part      the day part (night 0-5, morning 6-11, afternoon
--                           12-17, evening 18-23 h) most of the region's
--                           customers order in most often
--   preferred_weekday       likewise the weekday (Instacart's order_dow,
--                           read as 0 = Sunday, which Instacart does not document)
--   clv_hour_correlation    correlation between a customer's CLV and their
--                           preferred hour (near 0 = unrelated)
--
-- Settings: none.

SELECT
    region,
    customers,
    round(avg_clv, 2) AS avg_clv,
    round(median_clv::numeric, 2) AS median_clv,
    preferred_day_part,
    preferred_weekday,
    round(clv_hour_correlation::numeric, 3) AS clv_hour_correlation
FROM marts.mart_regional_clv
ORDER BY avg_clv DESC, region;
