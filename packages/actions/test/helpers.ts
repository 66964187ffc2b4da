import { type ActionRegistry, createActionRegistry, httpRequest } from "../src/index";
import { createStepRunner } from "../src/testing/index";

/** The one action this package ships: `http.request`. */
export const httpRegistry: ActionRegistry = createActionRegistry([httpRequest]);

/** Runs `steps` over `httpRegistry` as one step-job run through the real JobRunner. */
export const runSteps = createStepRunner(httpRegistry);
