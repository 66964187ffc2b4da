import { configuredIntegration, pollingConnectionAuth, type TriggerContext } from "@autoflow/actions";
import { z } from "zod";
import { GITHUB_PROVIDER } from "../errors";
import { Github } from "../index";
import { checkGithubScope } from "./github-tenancy";
import type { GithubPollingToken } from "./polling-client";

/** A `Github` whose triggers reach the configured API (the emulator, GHES): hook registration, polling. */
export const githubWith = (context?: TriggerContext) =>
  configuredIntegration(Github, GITHUB_PROVIDER, context?.providers);

/** What a catalogue poller lists with: the workflow's connection's current token (see `pollingConnectionAuth`). */
export function connectionToken(key: string, context?: TriggerContext): GithubPollingToken {
  const auth = pollingConnectionAuth(GITHUB_PROVIDER, key, context);
  return async () => (await auth()).accessToken;
}

export const owner = z.string().min(1).describe("Repository owner (user or organization), e.g. octo-org");
export const repo = z.string().min(1).describe("Repository name, e.g. hello");

export const account = z.looseObject({ login: z.string(), id: z.number(), html_url: z.string() });

export const repository = z.looseObject({
  id: z.number(),
  name: z.string(),
  full_name: z.string(),
  html_url: z.string(),
  private: z.boolean(),
  default_branch: z.string(),
  owner: account,
});

export const label = z.looseObject({ name: z.string(), color: z.string() });

/** Deliveries reach a workflow, and a poller lists, only in the repository (or owner) its connection was checked to see. */
export const repositoryScope = { fields: ["owner", "repo"], check: checkGithubScope } as const;
