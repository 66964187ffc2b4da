/**
 * A wiki-markup string (what API v2 takes for rich text, and what jira.js sends a string `description` or comment
 * body as) as the Atlassian Document Jira stores: a paragraph per blank-line-separated block, lines joined by hard
 * breaks. The markup itself (`*bold*`, `h2.`) is kept as text: the emulator does not render it.
 */
export function wikiToAdf(markup: string): Record<string, unknown> {
  const blocks = markup
    .replace(/\r\n/g, "\n")
    .split(/\n{2,}/)
    .filter((block) => block.trim() !== "");
  return {
    type: "doc",
    version: 1,
    content: blocks.map((block) => ({
      type: "paragraph",
      content: block
        .split("\n")
        .flatMap((line, i) => [
          ...(i > 0 ? [{ type: "hardBreak" }] : []),
          ...(line === "" ? [] : [{ type: "text", text: line }]),
        ]),
    })),
  };
}
