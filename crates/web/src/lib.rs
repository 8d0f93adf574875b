//! The web interface.
