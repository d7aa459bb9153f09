-- PostgreSQL gains a narrow (track, closed_on) index here for the per-day closures. SQLite does
-- not: its planner would take that index for the grouped pass over closed cases too, and read
-- every row from the table instead of from the covering cases_closed_figures (measured: ten
-- years of figures over 1,000,000 cases went from 1.7 s to 2.5 s).
SELECT 1;
