//! Tests of reading a search page: the documented response, stand-in fields and odd values.

use serde_json::json;

use super::*;

#[derive(Debug, PartialEq, Deserialize)]
struct Account {
    #[serde(rename = "Id")]
    id: i64,
    #[serde(rename = "DisplayName")]
    display_name: String,
}

#[test]
fn a_documented_search_response_is_read_in_full() {
    let body = json!({
        "Records": [
            {"Id": 1, "DisplayName": "Front desk", "UniqueId": "8d0c…", "IsNew": false},
            {"Id": 2, "DisplayName": "Billing", "CustomFields": null}
        ],
        "CurrentPageSize": 25,
        "CurrentPage": 2,
        "CurrentOrderField": "DisplayName",
        "CurrentSortDirection": 1,
        "FirstItem": 26,
        "LastItem": 27,
        "TotalItems": 27,
        "TotalPages": 2,
        "HasNextPage": false,
        "HasPreviousPage": true
    });
    let page: Page<Account> = serde_json::from_value(body).expect("a page");
    assert_eq!(
        page,
        Page {
            records: vec![
                Account {
                    id: 1,
                    display_name: "Front desk".to_owned()
                },
                Account {
                    id: 2,
                    display_name: "Billing".to_owned()
                },
            ],
            current_page: 2,
            current_page_size: 25,
            current_order_field: Some("DisplayName".to_owned()),
            current_sort_direction: Some(SortDirection::Descending),
            current_sort_direction_text: Some("1".to_owned()),
            first_item: 26,
            last_item: 27,
            total_items: 27,
            total_pages: 2,
            has_next_page: false,
            has_previous_page: true,
        }
    );
}

#[test]
fn page_number_and_page_size_stand_in_and_the_current_fields_win() {
    let page: Page<Account> = serde_json::from_value(json!({
        "Records": [], "PageNumber": 3, "PageSize": 10, "TotalItems": "41",
        "CurrentSortDirection": "Descending", "HasNextPage": "true"
    }))
    .expect("a page");
    assert_eq!((page.current_page, page.current_page_size), (3, 10));
    assert_eq!(page.total_items, 41);
    assert_eq!(page.current_sort_direction, Some(SortDirection::Descending));
    assert_eq!(
        page.current_sort_direction_text.as_deref(),
        Some("Descending")
    );
    assert!(page.has_next_page);

    let page: Page<Account> = serde_json::from_value(json!({
        "CurrentPage": 1, "PageNumber": 0, "CurrentPageSize": 25, "PageSize": 20
    }))
    .expect("a page with both");
    assert_eq!((page.current_page, page.current_page_size), (1, 25));
}

#[test]
fn missing_null_and_odd_values_default() {
    let page: Page<Account> = serde_json::from_value(json!({
        "Records": null, "CurrentPage": null, "TotalItems": -1, "TotalPages": 1.5,
        "CurrentOrderField": ["Name"], "HasPreviousPage": 1, "Unknown": {"x": 1}
    }))
    .expect("a page");
    assert!(page.records.is_empty());
    assert_eq!(
        (
            page.current_page,
            page.current_page_size,
            page.total_items,
            page.total_pages
        ),
        (0, 0, 0, 0)
    );
    assert_eq!(page.current_order_field, None);
    assert!(!page.has_previous_page && !page.has_next_page);

    let empty: Page<Account> = serde_json::from_str("{}").expect("empty object");
    assert!(empty.records.is_empty());
}

#[test]
fn a_record_that_does_not_fit_is_an_error() {
    let result = serde_json::from_value::<Page<Account>>(json!({
        "Records": [{"Id": "not a number", "DisplayName": "x"}]
    }));
    assert!(result.is_err());
    assert!(serde_json::from_str::<Page<Account>>("[]").is_err());
}
