import { type NormalizedAuth, toConnectionAuth } from "@autoflow/core";
import { Github } from "@autoflow/github";
import { Slack } from "@autoflow/slack";
import type { ActionContext } from "../define-action";

type ProviderContext = ActionContext<unknown, NormalizedAuth>;

/** A `Slack` bound to the step: the run's IO and the step's credential, so its class tasks are the step's. */
export function slackFor(ctx: ProviderContext): Slack {
  const slack = new Slack({ id: ctx.connectionKey, ...ctx.providers.slack });
  return slack.cloneForRun(ctx.io, ctx.connectionKey, toConnectionAuth(ctx.auth));
}

/** A `Github` bound to the step: the run's IO and the step's credential. */
export function githubFor(ctx: ProviderContext): Github {
  const github = new Github({ id: ctx.connectionKey, ...ctx.providers.github });
  return github.cloneForRun(ctx.io, ctx.connectionKey, toConnectionAuth(ctx.auth));
}
