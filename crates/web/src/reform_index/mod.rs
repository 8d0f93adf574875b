//! Chỉ số CCHC cấp xã (`/chi-so-cchc`) and the public satisfaction survey (`/khao-sat`).

pub mod api;
pub mod pages;
pub mod routes;
pub mod survey;
