//! Lint (kiểm tra kế hoạch): the plan's flaws, located and in Vietnamese.
