import { withoutTemplates } from "@autoflow/actions";
import { IntegrationError, isSecretKeyName, redactSecrets } from "@autoflow/core";
import { registerProviderSecrets } from "@autoflow/providers";

const HOW_TO_FIX =
  "a secret in a workflow would be stored and shown in plain text. Connect the account instead " +
  "(POST /api/integrations/<provider>/connections, or its OAuth flow) and name that connection with the " +
  "step's credentialId";

/** Whether a literal string holds something core's log redaction would mask: a provider token, a JWT, a Bearer or Basic value, `access_token=...`. */
function looksLikeCredential(text: string): boolean {
  // `{{steps.auth.output.token}}` is filled in when the step runs: a reference, never a pasted secret.
  const literal = withoutTemplates(text);
  return redactSecrets(literal) !== literal;
}

/**
 * The paths (`<prefix>.headers.Authorization`) of string values under `value` that look like credentials: by
 * their shape anywhere, or by a credential's name (`password`, `apiKey`, `Authorization`) on a literal value
 * that references nothing. Iterative, so a deeply nested body cannot overflow the stack here.
 */
function credentialPaths(value: unknown, prefix: string): string[] {
  const found: string[] = [];
  const pending: { value: unknown; path: string; key?: string }[] = [{ value, path: prefix }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, path, key } = next;
    if (typeof current === "string") {
      const namedSecret =
        key !== undefined &&
        isSecretKeyName(key) &&
        current.trim() !== "" &&
        withoutTemplates(current) === current;
      if (namedSecret || looksLikeCredential(current)) found.push(path);
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => {
        pending.push({ value: item, path: `${path}.${index}`, ...(key !== undefined && { key }) });
      });
    } else if (typeof current === "object" && current !== null) {
      for (const [name, item] of Object.entries(current)) {
        pending.push({ value: item, path: `${path}.${name}`, key: name });
      }
    }
  }
  return found.sort();
}

// The path is followed by " (" rather than ": " so that redaction of the error message cannot take a field
// named Authorization for a header and mask the words after it.
const refused = (code: string, paths: string[], fix: string) =>
  new IntegrationError({
    type: "schema",
    provider: "autoflow",
    code,
    message: paths.map((path) => `${path} (looks like a credential) is refused: ${fix}`).join("; "),
  });

/**
 * Refuses a workflow definition whose step inputs, step credentialIds or trigger inputs hold something that
 * looks like a credential, with a `schema` IntegrationError (a 400, code `secret_in_workflow`) naming each field
 * and pointing to `credentialId`; the value itself is never repeated. Called before the definition is
 * validated or stored.
 */
export function refuseCredentialsInWorkflow(definition: { steps?: unknown; trigger?: unknown }): void {
  // Idempotent: every provider's token shapes must be known here even when no server started (tests, tools).
  registerProviderSecrets();
  const paths: string[] = [];
  if (Array.isArray(definition.steps)) {
    definition.steps.forEach((step: unknown, index) => {
      if (typeof step !== "object" || step === null) return;
      const { inputs, credentialId } = step as { inputs?: unknown; credentialId?: unknown };
      paths.push(...credentialPaths(inputs, `steps.${index}.inputs`));
      // credentialId names a connection (its id or its provider); a token pasted there is a secret too.
      if (typeof credentialId === "string" && looksLikeCredential(credentialId)) {
        paths.push(`steps.${index}.credentialId`);
      }
    });
  }
  const trigger = definition.trigger;
  if (typeof trigger === "object" && trigger !== null) {
    paths.push(...credentialPaths((trigger as { inputs?: unknown }).inputs, "trigger.inputs"));
  }
  if (paths.length > 0) throw refused("secret_in_workflow", paths, HOW_TO_FIX);
}

/**
 * Refuses the payload of a run started by hand (`POST /api/workflows/:id/runs`) when it holds something that
 * looks like a credential, by the same rules as the workflow's inputs: it is stored with the run and shown in
 * the run view, and `{{trigger.x}}` would otherwise smuggle into the steps the secret their inputs refuse.
 * Deliveries from providers are not checked here: they are the provider's data, verified by signature.
 */
export function refuseCredentialsInRunPayload(payload: unknown): void {
  registerProviderSecrets();
  const paths = credentialPaths(payload, "payload");
  if (paths.length > 0) {
    throw refused("secret_in_payload", paths, `${HOW_TO_FIX}, then reference it from the steps`);
  }
}
