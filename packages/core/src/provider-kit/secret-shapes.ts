/** What a provider tells the redaction code about its credentials. */
export interface ProviderSecretShapes {
  /** Token shapes masked wherever they appear in logged text, even when the token is unknown (`/\bxox[abprse]-[A-Za-z0-9-]{8,}/g`). Global regexes. */
  tokenShapes: readonly RegExp[];
  /** Vendor prefixes kept readable by `maskToken` that its generic rule (lowercase words then `-`/`_` in the first 8 characters) misses, e.g. `acme_pat_`. */
  tokenPrefixes?: readonly string[];
}

// On globalThis under a registered symbol: two installed copies of core must redact alike.
const REGISTRY = Symbol.for("autoflow.provider-kit.secret-shapes");

interface Registry {
  byProvider: Map<string, ProviderSecretShapes>;
  shapes: RegExp[];
  prefixes: string[];
  /** Literal heads of the shapes, for the cheap "may this text hold a secret" check. */
  candidates: string[];
}

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= { byProvider: new Map(), shapes: [], prefixes: [], candidates: [] };
  return holder[REGISTRY];
}

/**
 * The leading literal characters of a regex source, e.g. `xox` from `\bxox[abprse]-...`, for the cheap
 * pre-check; "" when the shape does not start with one literal (an alternation): then every text is checked.
 */
function literalHead(shape: RegExp): string {
  const source = shape.source.replace(/^\\b/, "");
  if (source.startsWith("(") || source.includes("|")) return "";
  return /^[A-Za-z0-9_-]+/.exec(source)?.[0] ?? "";
}

/**
 * Registers a provider's token shapes, once per provider id (the provider kit does it when the provider's
 * class is constructed, and the service for every listed provider at start). Core itself names no provider.
 */
export function registerSecretShapes(provider: string, shapes: ProviderSecretShapes): void {
  const state = registry();
  if (state.byProvider.has(provider)) return;
  state.byProvider.set(provider, shapes);
  for (const shape of shapes.tokenShapes) {
    state.shapes.push(shape.global ? shape : new RegExp(shape.source, `${shape.flags}g`));
    const head = literalHead(shape);
    state.candidates.push(head.length >= 2 ? head.toLowerCase() : "");
  }
  state.prefixes.push(...(shapes.tokenPrefixes ?? []));
}

/** Every registered token shape. */
export function registeredTokenShapes(): readonly RegExp[] {
  return registry().shapes;
}

/** Every registered vendor prefix `maskToken` keeps readable. */
export function registeredTokenPrefixes(): readonly string[] {
  return registry().prefixes;
}

/** Whether `lowerCaseText` contains the literal head of a registered shape (the redaction's cheap pre-check); always, for a shape without one. */
export function mayContainRegisteredToken(lowerCaseText: string): boolean {
  return registry().candidates.some((head) => lowerCaseText.includes(head));
}
