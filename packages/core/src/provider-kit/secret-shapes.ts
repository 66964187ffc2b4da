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
 * The literal texts one of which every match of `shape` starts with, for the cheap pre-check: `["xox"]` from
 * `\bxox[abprse]-...`, `["sk_", "rk_"]` from `\b(?:sk|rk)_(?:live|test)_...` (a leading group of literal
 * alternatives, then the literal after it), `["1//"]` from `\b1\/\/[A-Za-z0-9_-]...` (escaped punctuation is
 * literal too). `[""]` when there is none (an alternation elsewhere, a class first): then every text is checked,
 * which makes every task's scrubbing pay the full regex pass (`literalHeadsOf` lets the provider suite refuse such
 * a shape).
 */
export function literalHeadsOf(shape: RegExp): string[] {
  const source = shape.source.replace(/^\\b/, "");
  if (hasTopLevelAlternation(source)) return [""];
  const group = /^\(\?:((?:[A-Za-z0-9_-]|\\[^A-Za-z0-9|])+(?:\|(?:[A-Za-z0-9_-]|\\[^A-Za-z0-9|])+)*)\)/.exec(
    source,
  );
  if (group) {
    const rest = source.slice(group[0].length);
    // An optional group (`(?:sk|rk)?_`) need not be there at all.
    if (/^(?:[?*]|\{0[,}])/.test(rest)) return [""];
    const after = /^(?:\+|\{)/.test(rest) ? "" : leadingLiteral(rest);
    return (group[1] ?? "").split("|").map((alternative) => `${leadingLiteral(alternative)}${after}`);
  }
  if (source.startsWith("(")) return [""];
  return [leadingLiteral(source)];
}

/**
 * The literal text a regex source starts with: letters, digits, `_` and `-`, and escaped punctuation (`\/`, `\.`)
 * as the character it stands for; a character a quantifier may leave out (`?`, `*`, `{0,`) is not part of it.
 */
function leadingLiteral(source: string): string {
  let literal = "";
  let i = 0;
  while (i < source.length) {
    const char = source[i] ?? "";
    let next: string;
    let width: number;
    if (/[A-Za-z0-9_-]/.test(char)) {
      next = char;
      width = 1;
    } else if (char === "\\" && /[^A-Za-z0-9]/.test(source[i + 1] ?? "a")) {
      next = source[i + 1] ?? "";
      width = 2;
    } else break;
    const quantifier = source.slice(i + width);
    if (/^(?:[?*]|\{0[,}])/.test(quantifier)) break;
    literal += next;
    i += width;
    // Repeated (`+`, `{2}`): it is there at least once, but what follows need not come right after it.
    if (/^(?:\+|\{)/.test(quantifier)) break;
  }
  return literal;
}

/** Whether a regex source has a `|` outside every group and character class (`a|b`, not `(?:a|b)c`). */
function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === "\\") i++;
    else if (inClass) inClass = char !== "]";
    else if (char === "[") inClass = true;
    else if (char === "(") depth++;
    else if (char === ")") depth--;
    else if (char === "|" && depth === 0) return true;
  }
  return false;
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
    for (const head of literalHeadsOf(shape))
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
