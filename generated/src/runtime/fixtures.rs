//! The example responses of the Nexudus documentation that the runtime's tests are answered with,
//! copied as documented so that the SDK is shown to read what the vendor says it sends.

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
