//! Offline geography for tracking that says "delivered" somewhere else: the gazetteer
//! (GeoNames places and countries, compiled in), reading a place as tracking pages
//! write it, the distance between two places, and a small map of them.
//!
//! A shared module: it knows nothing of cases or exhibits, asks no network, and never
//! guesses — a name several places share stays ambiguous until a country or a region
//! settles it.

pub mod distance;
pub mod facility;
pub mod fold;
pub mod gazetteer;
pub mod map;
pub mod resolve;

pub use gazetteer::Place;
pub use resolve::{How, Query, Resolution, resolve};
