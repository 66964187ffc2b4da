import { describeFailure, IntegrationError, type TriggerStateStore } from "@autoflow/core";

/** What one poll of a trigger came to: how many runs it started, or why it failed. */
export type PollOutcome = { started: number } | { error: unknown };

/**
 * Records a poll's success or failure under the polling trigger's id, as trigger health reads it: the last
 * attempt, the last success (and the cursor saved with it), the failures in a row and the last error's type.
 */
export async function recordPollOutcome(
  states: TriggerStateStore,
  triggerId: string,
  outcome: PollOutcome,
  at: string,
  secrets: readonly string[] = [],
): Promise<void> {
  const state = (await states.getTriggerState(triggerId)) ?? {
    id: triggerId,
    firstSeenAt: at,
    consecutiveFailures: 0,
  };
  state.lastAttemptAt = at;
  if ("error" in outcome) {
    state.consecutiveFailures++;
    state.lastErrorType = IntegrationError.isInstance(outcome.error) ? outcome.error.type : "upstream";
    state.lastError = describeFailure(outcome.error, secrets);
  } else {
    state.consecutiveFailures = 0;
    state.lastSuccessAt = at;
    state.cursorSavedAt = at;
    delete state.lastError;
    delete state.lastErrorType;
    if (outcome.started > 0) state.lastEventAt = at;
  }
  await states.saveTriggerState(state);
}
