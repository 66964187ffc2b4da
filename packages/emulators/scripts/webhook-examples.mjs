// The `examples` extract of `specs-update.mjs`: real webhook payloads published by the provider (as a list of
// `{ name, examples }` per event, the shape of `@octokit/webhooks-examples`), kept as they are so tests can push
// them through the intake and triggers. Only prose-free data is kept: the payloads themselves, one per event and action (the first published one),
// for the events selected (`select` = event names), which keeps the committed file small. Events without an
// action (`push`, `ping`) keep every published payload: they differ in shape (a new tag, a deleted branch).

/**
 * `document` is the published examples file: an array of `{ name, examples }`, one per event.
 * Returns `{ examples: { [event]: payload[] } }`, events and payloads in a stable order.
 */
export function pickExamples(document, entry) {
  if (!Array.isArray(document)) throw new Error(`${entry.source}: expected an array of { name, examples }`);
  const examples = {};
  for (const event of [...entry.select].sort()) {
    const published = document.find((candidate) => candidate.name === event);
    if (!published) throw new Error(`${entry.source}: no examples for event "${event}"`);
    const seenActions = new Set();
    examples[event] = published.examples.filter((payload) => {
      if (payload.action === undefined) return true;
      if (seenActions.has(payload.action)) return false;
      seenActions.add(payload.action);
      return true;
    });
  }
  return { examples };
}
