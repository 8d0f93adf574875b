//! Communes' plans (kế hoạch CCHC của xã): the overview by commune, the standing office's
//! generation of drafts, a commune's draft with its edit, issue and import forms.

pub mod pages;
pub mod routes;
