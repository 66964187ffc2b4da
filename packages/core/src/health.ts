import type { IntegrationErrorType } from "./errors";

export type Tier1HealthStatus = "ok" | "degraded" | "down";
export type Tier1TokenRefreshStatus = "not_applicable" | "healthy" | "failed";

/** The health envelope every Tier 1 connector reports (spec 003), plus its provider metadata. */
export type Tier1ConnectionHealth<TAuthMethod extends string, TMetadata> = {
  status: Tier1HealthStatus;
  /** ISO-8601. */
  checkedAt: string;
  authMethod?: TAuthMethod;
  tokenRefreshStatus?: Tier1TokenRefreshStatus;
  details: {
    auth: boolean;
    apiReachable: boolean;
    rateLimited: boolean;
    errorType?: IntegrationErrorType;
    message?: string;
  };
} & TMetadata;
