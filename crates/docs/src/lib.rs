//! Document writers.
