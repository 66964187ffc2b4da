export type { EgressLookup } from "./checked-agent";
export type { CheckedFetchOptions } from "./checked-fetch";
export { createCheckedFetch } from "./checked-fetch";
export { destinationRefusal } from "./destination-check";
export { EgressDeniedError } from "./egress-denied";
export type { EgressRequestOptions, EgressResponse } from "./egress-fetch";
export { egressFetch } from "./egress-fetch";
export type { EgressPolicy } from "./egress-policy";
export { DEFAULT_MAX_REDIRECTS, DEFAULT_MAX_RESPONSE_BYTES, refusal } from "./egress-policy";
