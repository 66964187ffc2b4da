import type { PollingTrigger, Trigger, WebhookDelivery, WebhookTrigger } from "@autoflow/core";
import type { AnyTriggerDefinition } from "../define-trigger";
import type { Schema } from "../schema";
import { createTriggerRegistry, type TriggerRegistry } from "../trigger-registry";
import {
  createWorkflowTrigger,
  type WorkflowTrigger,
  type WorkflowTriggerOptions,
} from "../workflow-trigger";

/** A provider's catalogue triggers as workflows build them, with what a test asks of them. */
export interface CatalogueHarness {
  registry: TriggerRegistry;
  /** The core webhook trigger a workflow's `trigger` builds (`createWorkflowTrigger`); throws for a polling one. */
  build(trigger: WorkflowTrigger): WebhookTrigger<unknown>;
  /** The core polling trigger a workflow's `trigger` builds, listing with `connection`; throws for a webhook one. */
  poller(
    trigger: WorkflowTrigger,
    connection?: WorkflowTriggerOptions["connection"],
  ): PollingTrigger<unknown>;
  /** The inputs of each of `triggers` that matches `delivery`, in order. */
  matching(delivery: WebhookDelivery, triggers: readonly WorkflowTrigger[]): unknown[];
  /** The trigger's declared payload schema; throws when it declares none. */
  payloadSchemaOf(key: string): Schema;
}

/**
 * The harness for a provider package's catalogue tests: `triggers` in a registry of their own, built with
 * `options()` (called on every build, so it may read an emulator's URL once the emulator has started).
 */
export function catalogueHarness(
  triggers: readonly AnyTriggerDefinition[],
  options: () => WorkflowTriggerOptions = () => ({}),
): CatalogueHarness {
  const registry = createTriggerRegistry(triggers);
  const built = (trigger: WorkflowTrigger, extra: WorkflowTriggerOptions = {}): Trigger<unknown> =>
    createWorkflowTrigger(trigger, registry, { ...options(), ...extra });
  const build = (trigger: WorkflowTrigger): WebhookTrigger<unknown> => {
    const found = built(trigger);
    if (found.kind !== "webhook") throw new Error(`${trigger.key} is a polling trigger: use poller()`);
    return found;
  };
  return {
    registry,
    build,
    poller(trigger, connection) {
      const found = built(trigger, connection ? { connection } : {});
      if (found.kind !== "polling") throw new Error(`${trigger.key} is a webhook trigger: use build()`);
      return found;
    },
    matching: (delivery, candidates) =>
      candidates
        .filter((trigger) => {
          const found = built(trigger);
          return found.kind === "webhook" && found.matches(delivery);
        })
        .map((trigger) => trigger.inputs),
    payloadSchemaOf(key) {
      const schema = registry.get(key).payloadSchema;
      if (!schema) throw new Error(`${key} declares no payloadSchema`);
      return schema;
    },
  };
}
