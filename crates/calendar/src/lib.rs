//! China's working-day calendar (State Council holiday schedules, 调休 included) and deadline arithmetic in Asia/Shanghai.
