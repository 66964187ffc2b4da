import {
  checkReferences,
  createActionRegistry,
  defineAction,
  type Step,
  stepProblems,
  validateWorkflow,
  type Workflow,
} from "@autoflow/actions";
import { IntegrationError } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { builtinActions, integrationRegistry, triggerRegistry } from "../src/index";

const createIssue: Step = {
  id: "issue",
  action: "github.createIssue",
  inputs: { owner: "octo-org", repo: "hello", title: "Bug" },
  credentialId: "github",
};
const notify = (text: string, id = "notify"): Step => ({
  id,
  action: "slack.sendMessage",
  inputs: { channel: "C0001", text },
  credentialId: "slack",
});
const problemsOf = (workflow: unknown): string[] => {
  try {
    validateWorkflow(workflow, integrationRegistry, triggerRegistry);
  } catch (error) {
    expect(IntegrationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ type: "schema", code: "invalid_workflow" });
    return (error as Error).message.split("; ");
  }
  return [];
};

describe("validateWorkflow: the trigger", () => {
  it("accepts a known trigger with valid inputs, and a workflow without one", () => {
    const workflow: Workflow = {
      id: "wf",
      trigger: { key: "github.issueOpened", inputs: { owner: "octo-org", repo: "hello" } },
      steps: [notify("{{trigger.issue.html_url}}")],
    };
    expect(validateWorkflow(workflow, integrationRegistry, triggerRegistry)).toBe(workflow);
    expect(problemsOf({ id: "wf", steps: [notify("{{trigger.anything.goes}}")] })).toEqual([]);
  });

  it("names an unknown trigger key and the known ones", () => {
    expect(problemsOf({ id: "wf", trigger: { key: "github.issueOpen" }, steps: [notify("x")] })).toEqual([
      expect.stringMatching(
        /^trigger\.key: Unknown trigger "github\.issueOpen": the registry has "slack\.message", .*"github\.issueOpened"/,
      ),
    ]);
    expect(problemsOf({ id: "wf", trigger: "github.issueOpened", steps: [notify("x")] })).toEqual([
      "trigger: must be an object with a key",
    ]);
  });

  it("names each bad trigger input, alongside the steps' problems", () => {
    const problems = problemsOf({
      id: "wf",
      trigger: { key: "github.pullRequest", inputs: { owner: "octo-org", repo: 7, action: "merged" } },
      steps: [notify("{{steps.nope.output.ts}}")],
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^trigger\.inputs\.repo: /);
    expect(problems[1]).toMatch(/^trigger\.inputs\.action: /);
    expect(problems[2]).toBe(
      'steps.0.inputs.text: "steps.nope.output.ts" references step "nope", but there is no such step',
    );
  });
});

describe("validateWorkflow: reference paths against schemas", () => {
  it("refuses an output field the action does not declare, naming the step, the input and the fields there are", () => {
    expect(
      problemsOf({ id: "wf", steps: [createIssue, notify("See {{steps.issue.output.htmlUrl}}")] }),
    ).toEqual([
      "steps.1.inputs.text: steps.issue.output.htmlUrl is not an output of github.createIssue (it has: id, number, url, title)",
    ]);
    const comment: Step = {
      id: "comment",
      action: "github.createComment",
      inputs: {
        owner: "octo-org",
        repo: "hello",
        issue_number: { $ref: "steps.issue.output.number.value" },
        body: "{{steps.issue.output.url}}",
      },
      credentialId: "github",
    };
    expect(problemsOf({ id: "wf", steps: [createIssue, comment] })).toEqual([
      "steps.1.inputs.issue_number: steps.issue.output.number.value is not an output of github.createIssue (steps.issue.output.number is a plain value with no fields)",
    ]);
  });

  it("refuses trigger paths the trigger's payload schema does not have", () => {
    const slackWorkflow = (text: string): Workflow => ({
      id: "wf",
      trigger: { key: "slack.message", inputs: { channel: "C0001" } },
      steps: [notify(text)],
    });
    expect(
      problemsOf(slackWorkflow("{{trigger.event.text}} in {{trigger.event.channel}} {{trigger.teamId}}")),
    ).toEqual([]);
    expect(problemsOf(slackWorkflow("{{trigger.evnt.text}}"))).toEqual([
      "steps.0.inputs.text: trigger.evnt.text is not in the payload of slack.message (it has: event, eventId, eventTime, teamId, apiAppId)",
    ]);
    const issueWorkflow = (text: string): Workflow => ({
      id: "wf",
      trigger: { key: "github.issueOpened", inputs: { owner: "octo-org" } },
      steps: [notify(text)],
    });
    expect(problemsOf(issueWorkflow("{{trigger.issue.labels.name}} {{trigger.issue.number.n}}"))).toEqual([
      "steps.0.inputs.text: trigger.issue.labels.name is not in the payload of github.issueOpened (trigger.issue.labels is a list: index it, e.g. trigger.issue.labels.0)",
      "steps.0.inputs.text: trigger.issue.number.n is not in the payload of github.issueOpened (trigger.issue.number is a plain value with no fields)",
    ]);
    // GitHub's payloads carry far more than the schema lists: loose objects accept fields they do not name.
    expect(
      problemsOf(issueWorkflow("{{trigger.issue.labels.0.name}} {{trigger.issue.reactions.total_count}}")),
    ).toEqual([]);
  });

  it("accepts references through optional, array and union fields of a declared output", () => {
    const lookup = defineAction({
      key: "crm.lookup",
      name: "Look up",
      provider: "crm",
      authType: "api_key",
      credential: { optional: true },
      inputSchema: z.object({ query: z.string() }),
      outputSchema: z.object({
        owner: z.object({ email: z.string() }).optional(),
        matches: z.array(z.object({ id: z.number(), tags: z.array(z.string()).nullable() })),
        status: z.union([
          z.object({ state: z.literal("found"), url: z.string() }),
          z.object({ state: z.literal("none") }),
        ]),
      }),
      run: async () => ({ matches: [], status: { state: "none" as const } }),
    });
    const registry = createActionRegistry([...builtinActions, lookup]);
    const steps: Step[] = [
      { id: "find", action: "crm.lookup", inputs: { query: "x" } },
      notify(
        "{{steps.find.output.owner.email}} {{steps.find.output.matches.0.tags.1}} {{steps.find.output.status.url}}",
      ),
    ];
    expect(validateWorkflow({ id: "wf", steps }, registry, triggerRegistry).steps).toBe(steps);
    const bad: Step[] = [
      steps[0] as Step,
      notify("{{steps.find.output.status.link}} {{steps.find.output.matches.id}}"),
    ];
    expect(() => validateWorkflow({ id: "wf", steps: bad }, registry, triggerRegistry)).toThrow(
      "steps.1.inputs.text: steps.find.output.status.link is not an output of crm.lookup (steps.find.output.status has: state, url); " +
        "steps.1.inputs.text: steps.find.output.matches.id is not an output of crm.lookup (steps.find.output.matches is a list: index it, e.g. steps.find.output.matches.0)",
    );
  });

  it("checks nothing against schemas for actions without an output schema, nor by default at run time", () => {
    const ping = defineAction({
      key: "crm.ping",
      name: "Ping",
      provider: "crm",
      authType: "api_key",
      credential: { optional: true },
      inputSchema: z.object({}),
      run: async () => ({ pong: true }),
    });
    const registry = createActionRegistry([...builtinActions, ping]);
    const steps: Step[] = [
      { id: "ping", action: "crm.ping" },
      { id: "call", action: "http.request", inputs: { url: "https://example.test" } },
      createIssue,
      notify(
        "{{steps.ping.output.anything.deep}} {{steps.call.output.body.any.field}} {{steps.call.output.headers.etag}} {{steps.issue.output.htmlUrl}}",
      ),
    ];
    // The run's own plan check stays structural: values are checked when they are resolved.
    expect(stepProblems(steps, registry)).toEqual([]);
    expect(stepProblems(steps, registry, { outputSchemas: true })).toEqual([
      "steps.3.inputs.text: steps.issue.output.htmlUrl is not an output of github.createIssue (it has: id, number, url, title)",
    ]);
    expect(
      checkReferences([{ id: "a", inputs: { n: "{{trigger.x}}" } }], {
        trigger: { key: "custom.event", schema: z.object({ y: z.number() }) },
      }),
    ).toEqual(["steps.0.inputs.n: trigger.x is not in the payload of custom.event (it has: y)"]);
  });
});
