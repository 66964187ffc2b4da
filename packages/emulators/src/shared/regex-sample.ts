/**
 * A short string that matches `pattern`, for the regular expressions API descriptions put on strings (IDs such as
 * `^[CGD][A-Z0-9]{8,}$`, shas, `^refs/`): literals, escapes, classes, groups, alternation and quantifiers, each
 * at its minimum count. `variant` varies the first class character, for arrays whose items must differ.
 * Returns undefined for syntax it does not read (lookarounds, backreferences).
 */
export function regexSample(pattern: string, variant = 0): string | undefined {
  const parser = { source: pattern, at: 0, variant, varied: false };
  try {
    const out = alternation(parser);
    return parser.at === pattern.length ? out : undefined;
  } catch {
    return undefined;
  }
}

type Parser = { source: string; at: number; variant: number; varied: boolean };

function alternation(p: Parser): string {
  const first = sequence(p);
  // The first alternative is the sample; the others are read past.
  while (p.source[p.at] === "|") {
    p.at++;
    sequence(p);
  }
  return first;
}

function sequence(p: Parser): string {
  let out = "";
  while (p.at < p.source.length && p.source[p.at] !== "|" && p.source[p.at] !== ")") {
    const char = p.source[p.at];
    if (char === "^" || char === "$") {
      p.at++;
      continue;
    }
    const atom = readAtom(p);
    out += atom.repeat(readQuantifier(p));
  }
  return out;
}

function readAtom(p: Parser): string {
  const char = p.source[p.at++];
  switch (char) {
    case "(": {
      if (p.source[p.at] === "?") {
        if (p.source[p.at + 1] !== ":") throw new Error("unsupported group");
        p.at += 2;
      }
      const inner = alternation(p);
      if (p.source[p.at++] !== ")") throw new Error("unclosed group");
      return inner;
    }
    case "[":
      return readClass(p);
    case "\\":
      return escaped(p.source[p.at++] ?? "");
    case ".":
      return "a";
    case undefined:
      throw new Error("unexpected end");
    default:
      return char;
  }
}

function escaped(char: string): string {
  if (char === "d") return "0";
  if (char === "w") return "a";
  if (char === "s") return " ";
  if (/[1-9bBDWS]/.test(char)) throw new Error(`unsupported escape \\${char}`);
  return char;
}

/** A character class: its first member (or, once per sample, the `variant`-th), never a negated one's. */
function readClass(p: Parser): string {
  if (p.source[p.at] === "^") throw new Error("negated class");
  const members: string[] = [];
  while (p.source[p.at] !== "]") {
    if (p.at >= p.source.length) throw new Error("unclosed class");
    let char = p.source[p.at++] ?? "";
    if (char === "\\") char = escaped(p.source[p.at++] ?? "");
    if (p.source[p.at] === "-" && p.source[p.at + 1] !== "]") {
      const end = p.source[p.at + 1] ?? char;
      p.at += 2;
      for (let code = char.charCodeAt(0); code <= end.charCodeAt(0); code++)
        members.push(String.fromCharCode(code));
    } else members.push(char);
  }
  p.at++;
  if (!p.varied && p.variant > 0 && members.length > 1) {
    p.varied = true;
    return members[p.variant % members.length] ?? "";
  }
  return members[0] ?? "";
}

function readQuantifier(p: Parser): number {
  const char = p.source[p.at];
  if (char === "?" || char === "*") {
    p.at++;
    return 0;
  }
  if (char === "+") {
    p.at++;
    return 1;
  }
  if (char === "{") {
    const match = /^\{(\d+)(,\d*)?\}/.exec(p.source.slice(p.at));
    if (!match) return 1;
    p.at += match[0].length;
    return Number(match[1]);
  }
  return 1;
}
