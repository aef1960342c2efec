//! Search: the full-text search over trace steps and the record, from an incident's Investigation tab or across
//! every incident from the register.

use super::declare::commands;
use firebreak_core::search::{self, SearchRequest, SearchResults};

commands! {
    store search(request: SearchRequest) -> SearchResults => move |s| search::search(s, &request);
}
