/** The GitHub emulator's seeded repository, where the bench opens issues, and its API path. */
export const REPO = { owner: "octo-org", repo: "hello" } as const;
export const REPO_PATH = "/repos/octo-org/hello";
