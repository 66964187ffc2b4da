import { describe, expect, it } from "vitest";
import { rewriteTemplates } from "../app/builder/references";
import { renameStep, stepIdProblem } from "../app/builder/rename-step";
import type { WorkflowStep } from "../app/lib/types";

const steps: WorkflowStep[] = [
  { id: "post", action: "p.post", inputs: { text: "{{trigger.issue.title}}" } },
  {
    id: "comment",
    action: "p.comment",
    credentialId: "p",
    inputs: {
      body: "Posted {{steps.post.output.ts}} in {{ steps.post.output.channel }} ({{steps.poster.output.ts}})",
      number: { $ref: "steps.post.output.number" },
      blocks: [{ text: "{{steps.post.output.ts}}", nested: { deeper: ["x {{steps.post.output}}", 3] } }],
      other: { $ref: "steps.postal.output.ts" },
      flag: true,
    },
  },
  { id: "last", action: "p.post" },
];

describe("renaming a step", () => {
  it("rewrites every reference to it: templates and $refs, at any depth, spacing kept", () => {
    const renamed = renameStep(steps, 0, "announce");
    expect(renamed.rewritten).toBe(5);
    expect(renamed.steps[0]).toEqual({ ...steps[0], id: "announce" });
    expect(renamed.steps[1]).toEqual({
      id: "comment",
      action: "p.comment",
      credentialId: "p",
      inputs: {
        body: "Posted {{steps.announce.output.ts}} in {{ steps.announce.output.channel }} ({{steps.poster.output.ts}})",
        number: { $ref: "steps.announce.output.number" },
        blocks: [
          { text: "{{steps.announce.output.ts}}", nested: { deeper: ["x {{steps.announce.output}}", 3] } },
        ],
        other: { $ref: "steps.postal.output.ts" },
        flag: true,
      },
    });
    expect(renamed.steps[2]).toEqual(steps[2]);
  });

  it("leaves the steps given as they were, and renaming back gives the same definition", () => {
    const before = JSON.stringify(steps);
    const there = renameStep(steps, 0, "announce");
    expect(JSON.stringify(steps)).toBe(before);
    const back = renameStep(there.steps, 0, "post");
    expect(back.rewritten).toBe(5);
    expect(JSON.stringify(back.steps)).toBe(before);
  });

  it("counts nothing when no step references it, or the id does not change", () => {
    expect(renameStep(steps, 2, "final").rewritten).toBe(0);
    expect(renameStep(steps, 2, "final").steps[2]?.id).toBe("final");
    expect(renameStep(steps, 0, "post")).toEqual({ steps, rewritten: 0 });
  });

  it("takes a new id holding `$` literally", () => {
    const renamed = renameStep(steps, 0, "a$&b");
    expect(renamed.steps[1]?.inputs?.body).toContain("{{steps.a$&b.output.ts}}");
  });

  it("refuses an empty id, one references could not name, and another step's", () => {
    expect(stepIdProblem("", steps, 0)).toMatch(/needs an id/);
    expect(stepIdProblem("two words", steps, 0)).toMatch(/is not a step id/);
    expect(stepIdProblem("a.b", steps, 0)).toMatch(/is not a step id/);
    expect(stepIdProblem("comment", steps, 0)).toBe('Step 2 already has the id "comment": pick another.');
    expect(stepIdProblem("post", steps, 0)).toBeUndefined();
    expect(stepIdProblem("send_message-2", steps, 0)).toBeUndefined();
  });
});

describe("rewriting templates", () => {
  it("rewrites each template's reference and keeps the text around it", () => {
    const upper = (reference: string) => reference.toUpperCase();
    expect(rewriteTemplates("a {{x.y}} b {{ z }} {{}}", upper)).toBe("a {{X.Y}} b {{ Z }} {{}}");
  });
});
