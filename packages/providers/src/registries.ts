import {
  type ActionRegistry,
  type AnyAction,
  type AnyTriggerDefinition,
  createActionRegistry,
  createTriggerRegistry,
  httpRequest,
  type TriggerRegistry,
} from "@autoflow/actions";
import { PROVIDERS } from "./provider-list";

/** Every listed provider's registry actions, in list order, then the `http.request` fallback. */
export const builtinActions: readonly AnyAction[] = [
  ...PROVIDERS.flatMap((provider) => provider.actions),
  httpRequest,
];

/** Every listed provider's workflow trigger catalogue entries, in list order. */
export const builtinTriggers: readonly AnyTriggerDefinition[] = PROVIDERS.flatMap(
  (provider) => provider.triggers,
);

/** The action registry workflows run on: every provider's actions and `http.request`. */
export const integrationRegistry: ActionRegistry = createActionRegistry(builtinActions);

/** The trigger catalogue workflows start from: every provider's webhook triggers. */
export const triggerRegistry: TriggerRegistry = createTriggerRegistry(builtinTriggers);
