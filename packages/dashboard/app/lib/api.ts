import type { Problem, Session } from "./types";

/** An answer of the API other than 2xx: its `{ error: { code, message } }`, or the status when it had none. */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** A refused workflow's problems, each on the field its path names (`steps.1.inputs.text`). */
    readonly problems?: Problem[],
  ) {
    super(message);
  }
}

let csrfToken = "";
let signedOut: () => void = () => {};

/** Remembers the session's CSRF token (sent on every state-changing request) and who to tell when it ends. */
export function rememberSession(session: Session, onSignedOut: () => void): void {
  csrfToken = session.csrfToken;
  signedOut = onSignedOut;
}

/**
 * One call to the service, same-origin with the session cookie; POST, PUT and DELETE carry `X-CSRF-Token`.
 * Resolves the JSON answer (`undefined` for a 204); rejects with an `ApiError` carrying the API's message.
 */
export async function api<T>(
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "GET") headers["x-csrf-token"] = csrfToken;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; problems?: Problem[] } } | undefined)
      ?.error;
    // The session expired or was signed out elsewhere: every page is behind it.
    if (response.status === 401) signedOut();
    throw new ApiError(
      response.status,
      error?.code ?? "http_error",
      error?.message ?? `The service answered ${response.status} ${response.statusText}`.trim(),
      Array.isArray(error?.problems) ? error.problems : undefined,
    );
  }
  return json as T;
}

/** The signed-in user, or `null` when there is no session (401). */
export async function fetchSession(): Promise<Session | null> {
  const response = await fetch("/api/session", {
    credentials: "same-origin",
    headers: { accept: "application/json" },
  });
  if (response.status === 401) return null;
  if (!response.ok)
    throw new ApiError(response.status, "http_error", `The service answered ${response.status}`);
  return (await response.json()) as Session;
}

/** Ends the session (the cookie is cleared by the service). */
export async function signOut(): Promise<void> {
  await api("POST", "/auth/sign-out");
}

/** The message to show for anything a request threw. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return "The service could not be reached. Is autoflow serve running?";
  return error instanceof Error ? error.message : String(error);
}
