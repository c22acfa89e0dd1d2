//! What the runtime's tests share: the example responses of the Nexudus documentation they are
//! answered with, copied as documented so that the SDK is shown to read what the vendor says it
//! sends; the EmailAccount endpoints they call; and reading what a mock server received.

use wiremock::{MockServer, Request};

use super::endpoint::Endpoints;

/// The EmailAccount endpoints, as generated code describes them.
pub(super) const EMAIL_ACCOUNTS: Endpoints = Endpoints::new(
    "EmailAccount",
    "/api/crm/emailaccounts",
    &["IncomingServerPassword"],
);

/// Every request `server` received, in order.
pub(super) async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The one request `server` received.
pub(super) async fn only_request(server: &MockServer) -> Request {
    let mut sent = requests(server).await;
    assert_eq!(sent.len(), 1, "exactly one request is sent");
    sent.remove(0)
}

/// The value of `request`'s header `name`, when it is text.
pub(super) fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// The 200 example response of the "Create EmailAccount" documentation page.
pub(super) const CREATED: &str = r#"{
  "Status": 200,
  "Message": "EmailAccount was successfully created.",
  "Value": {
    "Id": 87654321
  },
  "OpenInDialog": false,
  "OpenInWindow": false,
  "RedirectURL": null,
  "JavaScript": null,
  "UpdatedOn": "2025-01-15T10:30:00Z",
  "UpdatedBy": "admin@example.com",
  "Errors": null,
  "WasSuccessful": true
}"#;

/// The 200 example response of the "Update EmailAccount" documentation page.
pub(super) const UPDATED: &str = r#"{
  "Status": 200,
  "Message": "EmailAccount was successfully updated.",
  "Value": {
    "Id": 87654321
  },
  "OpenInDialog": false,
  "OpenInWindow": false,
  "RedirectURL": null,
  "JavaScript": null,
  "UpdatedOn": "2025-01-15T10:30:00Z",
  "UpdatedBy": "admin@example.com",
  "Errors": null,
  "WasSuccessful": true
}"#;

/// The 400 example response of the EmailAccount documentation pages.
pub(super) const REJECTED: &str = r#"{
  "Message": "DisplayName: is a required field",
  "Value": null,
  "Errors": [
    {
      "AttemptedValue": null,
      "Message": "is a required field",
      "PropertyName": "DisplayName"
    }
  ],
  "WasSuccessful": false
}"#;

/// The example answer of the documented `GET .../commands`, an entity's command listing.
pub(super) const COMMAND_LISTING: &str = r#"[{"Key":"COMMAND_KEY_1","Name":"Command name","AppliesOnlyToMultipleEntities":false,"DisplayInDropdown":false,"DisplayInDropdownV2":true,"AppliesOnlyToOneEntity":true,"AppliesOnlyToTwoEntities":false,"DisplayInGrid":false,"Icon":"/Content/Themes/Admin/Images/Icons/Fugue/gear.png","NeedsEntitiesToRun":true,"Order":8,"RequiresParameters":[{"Name":"Parameter name","Type":"parameterType"}]}]"#;

/// The documented answer of `POST .../runcommand`, a command that ran.
pub(super) const COMMAND_RAN: &str = r#"{"Status":200,"Message":"The command was run correctly.","Value":{"Id":10605},"RedirectURL":null,"UpdatedOn":"2021-04-15T12:19:07Z","UpdatedBy":"john@example.com","Errors":null,"WasSuccessful":true}"#;
