//! The `clv` command line as a library, so integration tests can drive it.

pub mod config;
pub mod data_tests;
pub mod db;
pub mod export;
pub mod generate;
pub mod load;
pub mod migrate;
pub mod refresh;
pub mod status;
