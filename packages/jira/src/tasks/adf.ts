/** An Atlassian Document Format node (`{ type: "doc", version: 1, content: [...] }` at the root). */
export type AdfNode = {
  type: string;
  version?: number;
  text?: string;
  content?: AdfNode[];
  attrs?: Record<string, unknown>;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
};

/** An ADF document (what Jira's v3 API takes for a description or a comment body). */
export type AdfDocument = AdfNode & {
  type: "doc";
  version: 1;
  content: AdfNode[];
};

/** Text as written, or a document already in Atlassian Document Format (passed through as is). */
export type JiraText = string | AdfDocument;

/** Whether `value` is an ADF document (a `doc` node). */
export function isAdfDocument(value: unknown): value is AdfDocument {
  return typeof value === "object" && value !== null && (value as AdfNode).type === "doc";
}

/**
 * Plain text as an ADF document: one paragraph per block of lines separated by a blank line, a hard break for each
 * other line break; an ADF document is answered as it is. No Markdown is interpreted: `*` and `#` stay text.
 */
export function toAdf(text: JiraText): AdfDocument {
  if (isAdfDocument(text)) return text;
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .filter((block) => block.trim() !== "");
  return {
    type: "doc",
    version: 1,
    content: paragraphs.map((block) => ({
      type: "paragraph",
      content: block
        .split("\n")
        .flatMap((line, index): AdfNode[] => [
          ...(index > 0 ? [{ type: "hardBreak" }] : []),
          ...(line === "" ? [] : [{ type: "text", text: line }]),
        ]),
    })),
  };
}

/** The plain text of an ADF document (paragraphs joined by blank lines, hard breaks as line breaks). */
export function adfText(node: AdfNode | undefined): string {
  if (!node) return "";
  if (node.type === "text") return node.text ?? "";
  if (node.type === "hardBreak") return "\n";
  const inner = (node.content ?? []).map(adfText);
  return node.type === "doc" ? inner.join("\n\n") : inner.join("");
}
