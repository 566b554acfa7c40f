//! Success bodies: `{"result": …}`, and for paged lists also `"pagination"` (SPEC of the
//! Backbone: `PageNumber` and `PageSize` in the query, at most 200 a page).

use actix_web::HttpResponse;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::ApiError;

/// Largest `PageSize`.
pub const MAX_PAGE_SIZE: u32 = 200;
/// `PageSize` when the query gives none.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// `{"result": …}`
#[derive(Debug, Serialize, ToSchema)]
pub struct Success<T> {
    pub result: T,
}

/// 200 with `{"result": result}`.
pub fn ok<T: Serialize>(result: T) -> HttpResponse {
    HttpResponse::Ok().json(Success { result })
}

/// 201 with `{"result": result}`: something was created.
pub fn created<T: Serialize>(result: T) -> HttpResponse {
    HttpResponse::Created().json(Created { result })
}

/// `{"result": …}` answered with 201 (its own name, so the OpenAPI document tells the two
/// apart).
#[derive(Debug, Serialize, ToSchema)]
pub struct Created<T> {
    pub result: T,
}

/// A page of a list with where it stands in the whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paged<T> {
    pub result: Vec<T>,
    pub pagination: Pagination,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub page_number: u32,
    pub page_size: u32,
    pub total_pages: u64,
    pub total_records: u64,
}

impl Pagination {
    pub fn new(query: PageRequest, total_records: u64) -> Self {
        Self {
            page_number: query.number,
            page_size: query.size,
            total_pages: total_records.div_ceil(u64::from(query.size)),
            total_records,
        }
    }
}

/// 200 with a page of `items`.
pub fn paged<T: Serialize>(items: Vec<T>, pagination: Pagination) -> HttpResponse {
    HttpResponse::Ok().json(Paged {
        result: items,
        pagination,
    })
}

/// `?PageNumber=&PageSize=` as sent (both optional).
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[serde(rename_all = "PascalCase")]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Counted from 1; 1 when left out.
    #[param(minimum = 1)]
    pub page_number: Option<u32>,
    /// At most 200; 50 when left out.
    #[param(minimum = 1, maximum = 200)]
    pub page_size: Option<u32>,
}

/// A checked page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub number: u32,
    pub size: u32,
}

impl PageRequest {
    /// Rows to skip before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.number - 1) * u64::from(self.size)
    }
}

impl PageQuery {
    pub fn checked(self) -> Result<PageRequest, ApiError> {
        let number = self.page_number.unwrap_or(1);
        let size = self.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        if number == 0 {
            return Err(ApiError::invalid_property("PageNumber", "it counts from 1"));
        }
        if !(1..=MAX_PAGE_SIZE).contains(&size) {
            return Err(ApiError::invalid_property(
                "PageSize",
                format!("it must be between 1 and {MAX_PAGE_SIZE}"),
            ));
        }
        Ok(PageRequest { number, size })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_queries_are_checked() {
        let page = PageQuery::default().checked().expect("defaults are valid");
        assert_eq!((page.number, page.size, page.offset()), (1, 50, 0));
        let third = PageQuery {
            page_number: Some(3),
            page_size: Some(200),
        };
        assert_eq!(third.checked().expect("valid").offset(), 400);
        for (number, size) in [(0, 10), (1, 0), (1, 201)] {
            let query = PageQuery {
                page_number: Some(number),
                page_size: Some(size),
            };
            assert!(query.checked().is_err(), "{number}/{size}");
        }
    }

    #[test]
    fn pagination_counts_pages() {
        let page = PageRequest {
            number: 2,
            size: 50,
        };
        let pagination = Pagination::new(page, 101);
        assert_eq!((pagination.total_pages, pagination.total_records), (3, 101));
        assert_eq!(Pagination::new(page, 0).total_pages, 0);
    }
}
