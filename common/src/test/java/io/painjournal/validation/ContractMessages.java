package io.painjournal.validation;

/**
 * The messages of API.md section 2 and 5 as a companion app reads them, written out here so the tests pin
 * the words themselves: the validator makes most of them from the document's schemas.
 */
final class ContractMessages {

    static final String REQUIRED = "is required";
    static final String SCORE = "must be an integer from 0 to 10";
    static final String DURATION = "must be an integer from 1 to 480";
    static final String TIME_FORMAT =
            "must be an RFC 3339 date-time with an offset, such as 2026-11-20T18:30:00Z or 2026-11-21T08:00:00+01:00";
    static final String TIME_FUTURE = "must not be more than 24 hours after the server's clock";
    static final String TIME_PAST = "must not be before 2000-01-01T00:00:00Z";
    static final String TECHNIQUE = "must be a technique id of the catalogue (GET /v1/catalogue)";
    static final String EVENT_ID = "must be a UUID, such as 6f1c0a52-3a47-4a0e-9a57-8a1f0b7c2d11";
    static final String USER_ID = "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'";
    static final String PROVIDER = "must be one of professional, self, partner";
    static final String COST = "must be an integer from 0 to 2147483647";
    static final String CURRENCY = "must be an ISO 4217 currency code, such as GBP";
    static final String CURRENCY_REQUIRED = "is required when costCents is given";
    static final String BODY_AREA = "must be 1 to 32 characters of A-Z, a-z, 0-9, '.', '_' or '-'";
    static final String INTENSITY = "must be one of light, moderate, deep";
    static final String COHORT = "must be 1 to 40 characters of a-z, 0-9 or '-'";
    static final String BOOLEAN = "must be true or false";
    static final String TYPE = "must be \"session\" or \"pain-score\"";
    static final String OBJECT = "must be a JSON object";
    static final String TECHNIQUES = "must be an array of two technique ids of the catalogue";
    static final String DISTINCT = "must differ from techniques[0]";
    static final String DATE = "must be a date YYYY-MM-DD, such as 2026-12-07";
    static final String PERIOD_DAYS = "must be an integer from 3 to 28";
    static final String PAIRS = "must be an integer from 2 to 8";
    static final String WASHOUT = "must be an integer from 0 to periodDays - 1";

    private ContractMessages() {}
}
