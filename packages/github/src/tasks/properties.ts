import { type DisplayProperty, optionalProperty } from "@autoflow/core";

/** "Repo: owner/repo", linked to the repository. */
export function repoProperty(webUrl: string, owner: string, repo: string): DisplayProperty {
  return { label: "Repo", text: `${owner}/${repo}`, url: `${webUrl}/${owner}/${repo}` };
}

/** "Issue: #12", linked to the issue. */
export function issueProperty(webUrl: string, owner: string, repo: string, number: number): DisplayProperty {
  return { label: "Issue", text: `#${number}`, url: `${webUrl}/${owner}/${repo}/issues/${number}` };
}

/** "Pull Request: #12", linked to the pull request. */
export function pullProperty(webUrl: string, owner: string, repo: string, number: number): DisplayProperty {
  return { label: "Pull Request", text: `#${number}`, url: `${webUrl}/${owner}/${repo}/pull/${number}` };
}

/**
 * Properties any REST call's params reveal (owner/repo, issue or pull number, ref), linked on `webUrl`:
 * `Github#runTask` puts them first on every task, hand-written or passthrough.
 */
export function paramProperties(webUrl: string, params: unknown): DisplayProperty[] {
  if (typeof params !== "object" || params === null) return [];
  const p = params as Record<string, unknown>;
  const owner = typeof p.owner === "string" ? p.owner : undefined;
  const repo = typeof p.repo === "string" ? p.repo : undefined;
  const properties: DisplayProperty[] = [];
  if (owner && repo) {
    properties.push(repoProperty(webUrl, owner, repo));
    if (typeof p.issue_number === "number")
      properties.push(issueProperty(webUrl, owner, repo, p.issue_number));
    if (typeof p.pull_number === "number") properties.push(pullProperty(webUrl, owner, repo, p.pull_number));
  } else {
    properties.push(...optionalProperty("Owner", p.owner ?? p.org ?? p.username));
  }
  properties.push(...optionalProperty("Ref", p.ref));
  return properties;
}
