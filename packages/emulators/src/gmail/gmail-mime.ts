/** One header of a message part, as Gmail's `payload.headers` lists it (RFC 2047 words decoded). */
export interface GmailHeader {
  name: string;
  value: string;
}

/** A message part as Gmail answers it in `format=full` (`payload`). */
export interface GmailPart {
  partId: string;
  mimeType: string;
  filename: string;
  headers: GmailHeader[];
  body: { size: number; data?: string; attachmentId?: string };
  parts?: GmailPart[];
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?...?=`, `=?UTF-8?Q?...?=`) as a receiver does. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_word, charset: string, encoding: string, text: string) => {
        const bytes =
          encoding.toUpperCase() === "B"
            ? Buffer.from(text, "base64")
            : Buffer.from(
                text
                  .replace(/_/g, " ")
                  .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
                    String.fromCharCode(Number.parseInt(hex, 16)),
                  ),
                "latin1",
              );
        return new TextDecoder(charset.toLowerCase() === "utf-8" ? "utf-8" : "latin1").decode(bytes);
      },
    );
}

/** A header block unfolded into its headers (raw values, and decoded ones). */
export function parseHeaders(block: string): Array<GmailHeader & { raw: string }> {
  const unfolded = block.replace(/\r?\n[ \t]+/g, " ");
  const headers: Array<GmailHeader & { raw: string }> = [];
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const raw = line.slice(colon + 1).trim();
    headers.push({ name: line.slice(0, colon).trim(), value: decodeWords(raw), raw });
  }
  return headers;
}

function headerOf(headers: GmailHeader[], name: string): string | undefined {
  return headers.find((header) => header.name.toLowerCase() === name.toLowerCase())?.value;
}

/** `multipart/mixed; boundary="x"` into its type and parameters. */
function contentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [type = "text/plain", ...rest] = (value ?? "text/plain").split(";");
  const params: Record<string, string> = {};
  for (const item of rest) {
    const eq = item.indexOf("=");
    if (eq > 0)
      params[item.slice(0, eq).trim().toLowerCase()] = item
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, "");
  }
  return { type: type.trim().toLowerCase(), params };
}

/** A part's body bytes, its transfer encoding undone. */
function decodeBody(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? "7bit").toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64");
    case "quoted-printable":
      return Buffer.from(
        body
          .replace(/=\r?\n/g, "")
          .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
        "latin1",
      );
    default:
      return Buffer.from(body, "latin1");
  }
}

/**
 * An RFC 2822 message (latin1 text of its bytes) parsed as Gmail's `payload`: headers, the MIME tree
 * (multipart/alternative, mixed), each leaf's body as base64url `data`, attachments' file names.
 */
export function parseMessage(text: string, partId = ""): GmailPart {
  const split = /\r?\n\r?\n/.exec(text);
  const headBlock = split ? text.slice(0, split.index) : text;
  const body = split ? text.slice(split.index + split[0].length) : "";
  const headers = parseHeaders(headBlock).map(({ name, value }) => ({ name, value }));
  const { type, params } = contentType(headerOf(headers, "content-type"));
  const disposition = contentType(headerOf(headers, "content-disposition"));
  const filename = disposition.params.filename ?? params.name ?? "";
  const part: GmailPart = { partId, mimeType: type, filename, headers, body: { size: 0 } };
  if (type.startsWith("multipart/") && params.boundary) {
    const boundary = `--${params.boundary}`;
    const chunks = body.split(boundary).slice(1);
    const parts: GmailPart[] = [];
    for (const chunk of chunks) {
      if (chunk.startsWith("--")) break;
      const child = chunk.replace(/^\r?\n/, "").replace(/\r?\n$/, "");
      parts.push(parseMessage(child, partId === "" ? String(parts.length) : `${partId}.${parts.length}`));
    }
    part.parts = parts;
    return part;
  }
  const bytes = decodeBody(body, headerOf(headers, "content-transfer-encoding"));
  part.body = { size: bytes.length, data: bytes.toString("base64url") };
  return part;
}

/** A part's text (the first `text/plain` leaf, else the first `text/html`), decoded: for snippets and search. */
export function textOf(part: GmailPart, type = "text/plain"): string | undefined {
  if (part.parts) {
    for (const child of part.parts) {
      const found = textOf(child, type);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return part.mimeType === type && part.body.data !== undefined && !part.filename
    ? Buffer.from(part.body.data, "base64url").toString("utf8")
    : undefined;
}
