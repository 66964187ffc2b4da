import { githubCreateComment } from "./create-comment";
import { githubCreateIssue } from "./create-issue";

export { githubCreateComment } from "./create-comment";
export { githubCreateIssue } from "./create-issue";

/** GitHub's registry actions, in the order the builder lists them. */
export const githubActions = [githubCreateIssue, githubCreateComment] as const;
