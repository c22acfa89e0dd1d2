//! Tests of `UnknownValue`: it keeps the integer and orders by it.

use super::*;

#[test]
fn keeps_the_integer_and_orders_by_it() {
    assert_eq!(UnknownValue::new(-7).get(), -7);
    assert_eq!(UnknownValue::new(i64::MAX).get(), i64::MAX);
    assert!(UnknownValue::new(2) < UnknownValue::new(10));
    assert_ne!(UnknownValue::new(0), UnknownValue::new(1));
}
