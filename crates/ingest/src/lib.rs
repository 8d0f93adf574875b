//! Readers: files in, domain types out, with located Vietnamese errors.
