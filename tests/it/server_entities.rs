//! The SDK against the local server for entities of five other API areas (billing, spaces,
//! content, support, sys, and community): every operation with each entity's own types (money,
//! date-times, enums), filters, ranges and ordering, paging through more than a thousand bookings,
//! and roles and rate limits across entities.

use chrono::{DateTime, Duration, TimeZone as _, Utc};
use futures_util::TryStreamExt as _;
use nexudus::billing::product::{
    ProductCreate, ProductCreateRequired, ProductFilter, ProductSort, RecurrentProductOptions,
    SystemProductType,
};
use nexudus::community::community_thread::{
    CommunityThreadCreate, CommunityThreadCreateRequired, CommunityThreadFilter,
};
use nexudus::content::calendar_event::{
    CalendarEventCreate, CalendarEventCreateRequired, CalendarEventFilter,
    CalendarEventRepeatCycle as EventRepeats, CalendarEventSort,
    RepeatedCalendarEventUpdateAction as WhichEventsToUpdate,
};
use nexudus::spaces::booking::{
    BookingCreate, BookingCreateRequired, BookingFilter, BookingRepeatCycle as Repeats,
    BookingSort, RepeatedBookingUpdateAction as WhichBookingsToUpdate,
};
use nexudus::support::help_desk_department::{
    HelpDeskDepartmentCreate, HelpDeskDepartmentCreateRequired, HelpDeskDepartmentFilter,
};
use nexudus::sys::tax_rate::{
    ExemptionReason, TaxRateCreate, TaxRateCreateRequired, TaxRateFilter, TaxRateSort,
};
use nexudus::{Error, PageRequest, SortDirection};
use nexudus_server::{Config, Limits, User};
use rust_decimal::Decimal;

use crate::server::{ADMIN, PASSWORD, client_as, config, post_raw, start};

/// After a round trip: `get_many` answers the two records that exist (in id order, an unknown id
/// left out), `delete` removes the first, and both a read and a second delete then get 404.
macro_rules! get_many_then_delete {
    ($handle:expr, $first:expr, $second:expr) => {{
        let handle = $handle;
        let (first, second): (i64, i64) = ($first, $second);
        let both = handle
            .get_many(&[second, first, 999_999])
            .await
            .expect("got many");
        assert_eq!(
            both.iter().map(|record| record.id).collect::<Vec<_>>(),
            [first.min(second), first.max(second)]
        );
        handle.delete(first).await.expect("deleted");
        let gone = handle.get(first).await.expect_err("deleted");
        assert!(matches!(gone, Error::NotFound { .. }), "{gone:?}");
        let again = handle.delete(first).await.expect_err("already deleted");
        assert!(matches!(again, Error::NotFound { .. }), "{again:?}");
        handle
            .get(second)
            .await
            .expect("the other one is still there");
    }};
}

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0)
        .single()
        .expect("a valid time")
}

fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

fn product(name: &str, price: Decimal) -> ProductCreate {
    ProductCreate::new(ProductCreateRequired {
        business_id: 1_001,
        name: name.into(),
        system_product_type: SystemProductType::DayPass,
        description: format!("{name}, sold at the desk"),
        display_order: 1,
        price,
        currency_id: 978,
        available_as: RecurrentProductOptions::OnlyOneOff,
    })
}

#[tokio::test]
async fn billing_products_keep_money_and_enums_exactly() {
    let (server, client) = start(config()).await;
    let products = client.products();

    let day_pass = products
        .create(&product("Day pass", money(1_250)).sku("DP-1"))
        .await
        .expect("created");
    let coffee = products
        .create(&product("Coffee", money(300)))
        .await
        .expect("created");
    let fetched = products.get(day_pass.id).await.expect("fetched");
    assert_eq!(fetched.price, Some(money(1_250)));
    assert_eq!(
        fetched.system_product_type,
        Some(SystemProductType::DayPass)
    );
    assert_eq!(
        fetched.available_as,
        Some(RecurrentProductOptions::OnlyOneOff)
    );
    assert_eq!(fetched.sku.as_deref(), Some("DP-1"));

    products
        .update_with(day_pass.id, |update| update.price(money(1_575)))
        .await
        .expect("updated");
    let repriced = products.get(day_pass.id).await.expect("fetched again");
    assert_eq!(repriced.price, Some(money(1_575)));
    assert_eq!(repriced.sku.as_deref(), Some("DP-1"), "the rest is kept");
    assert_eq!(repriced.updated_by.as_deref(), Some(ADMIN));

    let in_range = products
        .search(
            &ProductFilter::new()
                .from_price(money(1_500))
                .to_price(money(1_600)),
            &PageRequest::new(),
        )
        .await
        .expect("searched");
    assert_eq!(
        in_range.records.iter().map(|p| p.id).collect::<Vec<_>>(),
        [day_pass.id]
    );
    let by_price = products
        .search(
            &ProductFilter::new().business_id(1_001),
            &PageRequest::new().order_by(ProductSort::Price, SortDirection::Ascending),
        )
        .await
        .expect("searched");
    assert_eq!(
        by_price.records.iter().map(|p| p.id).collect::<Vec<_>>(),
        [coffee.id, day_pass.id],
        "3.00 before 15.75: ordered as numbers"
    );

    get_many_then_delete!(client.products(), day_pass.id, coffee.id);
    server.stop().await.expect("stops");
}

fn booking(resource_id: i64, from: DateTime<Utc>) -> BookingCreate {
    BookingCreate::new(BookingCreateRequired {
        resource_id,
        from_time: from,
        to_time: from + Duration::minutes(45),
        repeats: Repeats::Weekly,
        which_bookings_to_update: WhichBookingsToUpdate::UpdateThisBookingOnly,
    })
}

#[tokio::test]
async fn spaces_bookings_page_through_more_than_a_thousand_by_time() {
    let (server, client) = start(config()).await;
    let bookings = client.bookings();
    let start_at = at(1, 0);
    // 1,100 bookings an hour apart, alternating between two resources.
    let mut created = Vec::new();
    for hour in 0..1_100 {
        let resource = 1 + hour % 2;
        let id = bookings
            .create(&booking(resource, start_at + Duration::hours(hour)).notes(format!("#{hour}")))
            .await
            .expect("created")
            .id;
        created.push(id);
    }

    let all: Vec<_> = bookings
        .search_all(
            &BookingFilter::new(),
            PageRequest::new()
                .size(crate::nonzero(250))
                .order_by(BookingSort::FromTime, SortDirection::Descending),
        )
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(all.len(), 1_100);
    assert_eq!(
        all.iter().map(|b| b.id).collect::<Vec<_>>(),
        created.iter().rev().copied().collect::<Vec<_>>(),
        "latest first, none twice, none missing"
    );

    // The second day of resource 2: hours 24..48 of which the odd ones are resource 2's.
    let day_two = BookingFilter::new()
        .resource_id(2)
        .from_from_time(start_at + Duration::hours(24))
        .to_from_time(start_at + Duration::hours(47));
    let page = bookings
        .search(
            &day_two,
            &PageRequest::new()
                .size(crate::nonzero(5))
                .page(crate::nonzero(2))
                .order_by(BookingSort::FromTime, SortDirection::Ascending),
        )
        .await
        .expect("a page");
    assert_eq!(page.total_items, 12);
    assert_eq!(page.total_pages, 3);
    assert_eq!(
        page.records
            .iter()
            .map(|b| b.notes.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["#35", "#37", "#39", "#41", "#43"]
    );

    // Move one booking by an hour: update_with keeps everything else.
    let moved = created[10];
    bookings
        .update_with(moved, |mut update| {
            update.from_time += Duration::hours(1);
            update.to_time += Duration::hours(1);
            update
        })
        .await
        .expect("updated");
    let after = bookings.get(moved).await.expect("fetched");
    assert_eq!(after.from_time, Some(start_at + Duration::hours(11)));
    assert_eq!(
        after.to_time,
        Some(start_at + Duration::hours(11) + Duration::minutes(45))
    );
    assert_eq!(after.notes.as_deref(), Some("#10"));
    assert_eq!(after.repeats, Some(Repeats::Weekly));

    get_many_then_delete!(client.bookings(), moved, created[11]);
    let left = bookings
        .search(
            &BookingFilter::new(),
            &PageRequest::new().size(crate::nonzero(1)),
        )
        .await
        .expect("searched");
    assert_eq!(left.total_items, 1_099);
    server.stop().await.expect("stops");
}

fn event(name: &str, starts: DateTime<Utc>) -> CalendarEventCreate {
    CalendarEventCreate::new(CalendarEventCreateRequired {
        business_id: 1_001,
        name: name.into(),
        start_date: starts,
        end_date: starts + Duration::hours(2),
        repeats: EventRepeats::Monthly,
        which_events_to_update: WhichEventsToUpdate::UpdateThisEventOnly,
    })
}

#[tokio::test]
async fn content_calendar_events_round_trip_with_date_ranges() {
    let (server, client) = start(config()).await;
    let events = client.calendar_events();
    let talk = events
        .create(&event("Founders' talk", at(10, 18)).location("Main hall"))
        .await
        .expect("created");
    let breakfast = events
        .create(&event("Breakfast", at(12, 8)))
        .await
        .expect("created");

    events
        .update_with(talk.id, |update| update.name("Founders' evening"))
        .await
        .expect("updated");
    let fetched = events.get(talk.id).await.expect("fetched");
    assert_eq!(fetched.name.as_deref(), Some("Founders' evening"));
    assert_eq!(fetched.start_date, Some(at(10, 18)));
    assert_eq!(fetched.end_date, Some(at(10, 20)));
    assert_eq!(fetched.location.as_deref(), Some("Main hall"));

    let after_the_11th = events
        .search(
            &CalendarEventFilter::new().from_start_date(at(11, 0)),
            &PageRequest::new(),
        )
        .await
        .expect("searched");
    assert_eq!(
        after_the_11th
            .records
            .iter()
            .map(|e| e.id)
            .collect::<Vec<_>>(),
        [breakfast.id]
    );
    let by_name = events
        .search(
            &CalendarEventFilter::new().name("Founders' evening"),
            &PageRequest::new().order_by(CalendarEventSort::StartDate, SortDirection::Ascending),
        )
        .await
        .expect("searched");
    assert_eq!(by_name.total_items, 1);
    assert_eq!(by_name.records[0].id, talk.id);

    get_many_then_delete!(client.calendar_events(), talk.id, breakfast.id);
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn support_help_desk_departments_round_trip() {
    let (server, client) = start(config()).await;
    let departments = client.help_desk_departments();
    let department = |name: &str| {
        HelpDeskDepartmentCreate::new(HelpDeskDepartmentCreateRequired {
            business_id: 1_001,
            name: name.into(),
            description: format!("Questions for {name}"),
        })
    };
    let it = departments
        .create(&department("IT"))
        .await
        .expect("created");
    let facilities = departments
        .create(&department("Facilities"))
        .await
        .expect("created");
    departments
        .update_with(it.id, |update| update.name("IT and Wi-Fi"))
        .await
        .expect("updated");
    let fetched = departments.get(it.id).await.expect("fetched");
    assert_eq!(fetched.name.as_deref(), Some("IT and Wi-Fi"));
    assert_eq!(fetched.description.as_deref(), Some("Questions for IT"));

    let found = departments
        .search(
            &HelpDeskDepartmentFilter::new().name("Facilities"),
            &PageRequest::new(),
        )
        .await
        .expect("searched");
    assert_eq!(
        found.records.iter().map(|d| d.id).collect::<Vec<_>>(),
        [facilities.id]
    );

    // A blank name is refused by the client, and the same body sent raw by the server.
    let blank = department(" ");
    let refused = departments.create(&blank).await.expect_err("blank name");
    let Error::Validation { errors, .. } = &refused else {
        panic!("expected a validation error, got {refused:?}");
    };
    assert_eq!(
        errors.iter().next().map(|e| e.property_name.as_str()),
        Some("Name")
    );
    let (status, body) = post_raw(
        &server,
        "/api/support/helpdeskdepartments",
        &serde_json::json!({"BusinessId": 1001, "Name": " ", "Description": "x"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["Errors"][0]["PropertyName"], "Name", "{body}");

    get_many_then_delete!(client.help_desk_departments(), it.id, facilities.id);
    server.stop().await.expect("stops");
}

fn tax_rate(name: &str, rate: Decimal) -> TaxRateCreate {
    TaxRateCreate::new(TaxRateCreateRequired {
        business_id: 1_001,
        name: name.into(),
        rate,
        exemption_reason: ExemptionReason::None,
    })
}

#[tokio::test]
async fn sys_tax_rates_round_trip_with_decimal_ranges() {
    let (server, client) = start(config()).await;
    let rates = client.tax_rates();
    let standard = rates
        .create(&tax_rate("Standard", money(2_100)))
        .await
        .expect("created");
    let reduced = rates
        .create(&tax_rate("Reduced", money(1_000)))
        .await
        .expect("created");
    let exempt = rates
        .create(&TaxRateCreate::new(TaxRateCreateRequired {
            exemption_reason: ExemptionReason::M07,
            ..TaxRateCreateRequired {
                business_id: 1_001,
                name: "Exempt".into(),
                rate: Decimal::ZERO,
                exemption_reason: ExemptionReason::None,
            }
        }))
        .await
        .expect("created");
    let fetched = rates.get(exempt.id).await.expect("fetched");
    assert_eq!(fetched.exemption_reason, Some(ExemptionReason::M07));
    assert_eq!(fetched.rate, Some(Decimal::ZERO));

    rates
        .update_with(reduced.id, |update| update.rate(money(550)))
        .await
        .expect("updated");
    assert_eq!(
        rates.get(reduced.id).await.expect("fetched").rate,
        Some(money(550))
    );

    let positive = rates
        .search(
            &TaxRateFilter::new().from_rate(money(1)),
            &PageRequest::new().order_by(TaxRateSort::Rate, SortDirection::Descending),
        )
        .await
        .expect("searched");
    assert_eq!(
        positive.records.iter().map(|r| r.id).collect::<Vec<_>>(),
        [standard.id, reduced.id]
    );

    get_many_then_delete!(client.tax_rates(), standard.id, exempt.id);
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn community_threads_round_trip() {
    let (server, client) = start(config()).await;
    let threads = client.community_threads();
    let thread = |user_id: i64, subject: &str| {
        CommunityThreadCreate::new(CommunityThreadCreateRequired {
            business_id: 1_001,
            user_id,
            subject: subject.into(),
            message: format!("{subject}?"),
        })
    };
    let lunch = threads
        .create(&thread(7, "Lunch on Friday"))
        .await
        .expect("created");
    let parking = threads
        .create(&thread(8, "Parking"))
        .await
        .expect("created");
    threads
        .update_with(lunch.id, |update| update.subject("Lunch on Thursday"))
        .await
        .expect("updated");
    let fetched = threads.get(lunch.id).await.expect("fetched");
    assert_eq!(fetched.subject.as_deref(), Some("Lunch on Thursday"));
    assert_eq!(fetched.message.as_deref(), Some("Lunch on Friday?"));
    let by_user = threads
        .search(
            &CommunityThreadFilter::new().user_id(8),
            &PageRequest::new(),
        )
        .await
        .expect("searched");
    assert_eq!(
        by_user.records.iter().map(|t| t.id).collect::<Vec<_>>(),
        [parking.id]
    );
    get_many_then_delete!(client.community_threads(), lunch.id, parking.id);
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn each_entity_checks_its_own_roles() {
    let mut config = config();
    config.users.push(User {
        username: "clerk@example.com".into(),
        password: "a clerk's password".into(),
        roles: vec![
            "Product-List".into(),
            "Booking-Read".into(),
            "TaxRate-Create".into(),
        ],
    });
    let (server, admin) = start(config).await;
    let product = admin
        .products()
        .create(&product("Day pass", money(1_000)))
        .await
        .expect("created")
        .id;
    let booking_id = admin
        .bookings()
        .create(&booking(1, at(2, 9)))
        .await
        .expect("created")
        .id;
    let clerk = client_as(&server, "clerk@example.com", "a clerk's password");
    let refused_for = |error: Error, role: &str| {
        assert!(
            matches!(&error, Error::Unauthorized { body, .. } if body.contains(role)),
            "expected a 401 naming {role}, got {error:?}"
        );
    };

    let listed = clerk
        .products()
        .search(&ProductFilter::new(), &PageRequest::new())
        .await
        .expect("Product-List");
    assert_eq!(listed.total_items, 1);
    refused_for(
        clerk
            .products()
            .get(product)
            .await
            .expect_err("no Product-Read"),
        "Product-Read",
    );
    let read = clerk
        .bookings()
        .get(booking_id)
        .await
        .expect("Booking-Read");
    assert_eq!(read.from_time, Some(at(2, 9)));
    refused_for(
        clerk
            .bookings()
            .search(&BookingFilter::new(), &PageRequest::new())
            .await
            .expect_err("no Booking-List"),
        "Booking-List",
    );
    let rate = clerk
        .tax_rates()
        .create(&tax_rate("Standard", money(2_000)))
        .await
        .expect("TaxRate-Create")
        .id;
    refused_for(
        clerk
            .tax_rates()
            .delete(rate)
            .await
            .expect_err("no TaxRate-Delete"),
        "TaxRate-Delete",
    );
    refused_for(
        clerk
            .calendar_events()
            .create(&event("Breakfast", at(3, 8)))
            .await
            .expect_err("no CalendarEvent role at all"),
        "CalendarEvent-Create",
    );
    assert_eq!(
        admin.tax_rates().get(rate).await.expect("still there").id,
        rate,
        "the refused delete removed nothing"
    );

    let wrong = client_as(&server, "clerk@example.com", "a guess");
    let failed = wrong
        .products()
        .search(&ProductFilter::new(), &PageRequest::new())
        .await
        .expect_err("bad password");
    assert!(
        matches!(&failed, Error::Auth { code: Some(code), .. } if code == "invalid_grant"),
        "{failed:?}"
    );
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn rate_limits_count_every_entity_of_a_user_together() {
    let config = Config {
        rate_limits: Some(Limits {
            all: vec![nexudus_server::every(
                std::time::Duration::from_secs(60),
                10,
            )],
            writes: vec![nexudus_server::every(std::time::Duration::from_secs(60), 2)],
        }),
        ..config()
    };
    let (server, client) = start(config).await;
    client
        .products()
        .create(&product("Day pass", money(1_000)))
        .await
        .expect("the first write");
    client
        .tax_rates()
        .create(&tax_rate("Standard", money(2_000)))
        .await
        .expect("the second write, to another entity");
    let throttled = client
        .bookings()
        .create(&booking(1, at(4, 9)))
        .await
        .expect_err("a third write in the minute, to a third entity");
    assert!(
        matches!(throttled, Error::Throttled { retry_after: Some(wait), .. } if wait > std::time::Duration::from_secs(20)),
        "{throttled:?}"
    );
    let bookings = client
        .bookings()
        .search(&BookingFilter::new(), &PageRequest::new())
        .await
        .expect("reads still have room");
    assert_eq!(bookings.total_items, 0, "the refused write stored nothing");
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn an_expired_token_is_refused_for_any_entity() {
    let config = Config {
        token_lifetime: std::time::Duration::from_secs(1),
        ..config()
    };
    let (server, _) = start(config).await;
    let form = [
        ("grant_type", "password"),
        ("username", ADMIN),
        ("password", PASSWORD),
    ];
    let token: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/api/token", server.url()))
        .form(&form)
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("a token");
    let access = token["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned();
    let client = nexudus::Client::builder()
        .base_url(server.url())
        .bearer_token(access)
        .rate_limit(nexudus::RateLimit::none())
        .build()
        .expect("a client");
    client
        .tax_rates()
        .search(&TaxRateFilter::new(), &PageRequest::new())
        .await
        .expect("a fresh token works");
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    for error in [
        client
            .tax_rates()
            .search(&TaxRateFilter::new(), &PageRequest::new())
            .await
            .map(drop)
            .expect_err("expired"),
        client
            .bookings()
            .get(1)
            .await
            .map(drop)
            .expect_err("expired"),
    ] {
        assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
    }
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn commands_are_listed_and_refused_by_key() {
    let (server, client) = start(config()).await;
    let products = client.products();
    let listed = products.commands().await.expect("listed");
    assert!(
        listed.is_empty(),
        "commands are set up per account: {listed:?}"
    );
    let refused = products
        .run_command(
            "COMMAND_KEY_1",
            &[1],
            &[nexudus::CommandParameter::new(
                "From",
                "DateTime",
                "2026-04-03T00:00:00Z",
            )],
        )
        .await
        .expect_err("no command is known");
    let Error::Validation { errors, .. } = &refused else {
        panic!("expected a validation error, got {refused:?}");
    };
    let errors: Vec<_> = errors.iter().collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].property_name, "Key");
    assert_eq!(errors[0].attempted_value, "COMMAND_KEY_1");
    assert!(
        errors[0].message.contains("Product"),
        "{}",
        errors[0].message
    );

    let (status, body) = post_raw(
        &server,
        "/api/billing/products/runcommand",
        &serde_json::json!({"Ids": ["one"], "Parameters": 3, "Colour": "red"}),
    )
    .await;
    assert_eq!(status, 400);
    let properties: Vec<&str> = body["Errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|error| error["PropertyName"].as_str())
        .collect();
    assert_eq!(properties, ["Key", "Ids", "Parameters", "Colour"], "{body}");

    // An entity whose schema declares no commands has no such route.
    let none = reqwest::Client::new()
        .get(format!("{}/api/sys/taxrates/commands", server.url()))
        .basic_auth(ADMIN, Some(PASSWORD))
        .send()
        .await
        .expect("answered");
    assert_eq!(none.status(), 404);
    server.stop().await.expect("stops");
}
