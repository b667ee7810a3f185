//! Relay-style cursor connections: keyset pagination on a unique, ordered key.

use async_graphql::SimpleObject;
use async_graphql::connection::{Connection, Edge, EmptyFields};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{ApiError, ApiResult};

pub const DEFAULT_PAGE: u64 = 20;
pub const MAX_PAGE: u64 = 100;

/// The complexity of one page of a list, for `#[graphql(complexity = ...)]` on every field
/// that takes `first`: each row costs what its selection costs, so `first: 100` of a nested
/// selection counts a hundred times (async-graphql's default would count it once).
pub fn list_complexity(first: Option<i32>, child_complexity: usize) -> usize {
    let rows = first.map_or(DEFAULT_PAGE, |n| n.clamp(1, MAX_PAGE as i32) as u64);
    1 + rows as usize * child_complexity
}

/// Extra fields on every connection.
#[derive(SimpleObject)]
pub struct ConnectionInfo {
    /// How many rows match the filter, over all pages.
    pub total_count: u64,
}

pub type Conn<T> = Connection<String, T, ConnectionInfo, EmptyFields>;

/// A validated page request: how many rows, after which key.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub first: u64,
    pub after: Option<String>,
}

impl PageRequest {
    pub fn parse(first: Option<i32>, after: Option<String>) -> ApiResult<Self> {
        let first = match first {
            None => DEFAULT_PAGE,
            Some(n) if n >= 0 && (n as u64) <= MAX_PAGE => n as u64,
            Some(_) => {
                return Err(ApiError::bad_input(
                    "first",
                    format!("first must be between 0 and {MAX_PAGE}"),
                ));
            }
        };
        let after = after
            .map(|c| {
                URL_SAFE_NO_PAD
                    .decode(c.as_bytes())
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .ok_or_else(|| ApiError::bad_input("after", "the cursor is not valid"))
            })
            .transpose()?;
        Ok(Self { first, after })
    }

    /// The `after` key as an integer id.
    pub fn after_id(&self) -> ApiResult<Option<i64>> {
        self.after
            .as_deref()
            .map(|s| {
                s.parse::<i64>()
                    .map_err(|_| ApiError::bad_input("after", "the cursor is not valid"))
            })
            .transpose()
    }

    /// How many rows to fetch: one more than the page, to learn whether another page follows.
    pub fn fetch_limit(&self) -> u64 {
        self.first + 1
    }
}

pub fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

/// Builds a connection from rows fetched with [`PageRequest::fetch_limit`].
pub fn connection<R, T>(
    page: &PageRequest,
    mut rows: Vec<R>,
    total_count: u64,
    key: impl Fn(&R) -> String,
    node: impl Fn(R) -> T,
) -> Conn<T>
where
    T: async_graphql::OutputType,
{
    let has_next = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    let mut conn = Connection::with_additional_fields(
        page.after.is_some(),
        has_next,
        ConnectionInfo { total_count },
    );
    conn.edges.extend(
        rows.into_iter()
            .map(|r| Edge::new(encode_cursor(&key(&r)), node(r))),
    );
    conn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_bounds_and_cursors() {
        assert!(PageRequest::parse(Some(101), None).is_err());
        assert!(PageRequest::parse(Some(-1), None).is_err());
        assert!(PageRequest::parse(None, Some("!!".into())).is_err());
        let p = PageRequest::parse(Some(2), Some(encode_cursor("42"))).unwrap();
        assert_eq!(p.after_id().unwrap(), Some(42));
        let c = connection(&p, vec![1, 2, 3], 10, |r| r.to_string(), |r| r);
        assert_eq!(c.edges.len(), 2);
        assert!(c.has_next_page);
        assert!(c.has_previous_page);
    }
}
