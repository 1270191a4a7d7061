-- Deadlines counted in working days are recomputed when a year's State Council holiday
-- notice is loaded (docs/decisions/0409-provisional-calendar-years.md): a rectification
-- order keeps the working days it was given (NULL when the organ set a date). A filing's
-- review deadline is always 10 working days after submission (条例 第十九条).
ALTER TABLE rectification_orders ADD COLUMN working_days BIGINT;
