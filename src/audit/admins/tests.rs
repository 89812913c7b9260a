//! The admins finding on small hand-built tenants and rows.
