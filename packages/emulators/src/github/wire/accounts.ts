import type { GithubAccount, GithubState } from "../github-state";

/** Where the serialized objects point: the API base (`/api/v3` on GHES) and the web base. */
export interface Urls {
  api: string;
  web: string;
}

// The emulator's accounts are not dated; GitHub's answers always carry these fields.
const ACCOUNT_CREATED_AT = "2011-01-25T18:44:36Z";

/** A global node id, stable for a kind of object and its integer id. */
export function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}_${id}`).toString("base64url");
}

/** GitHub's "simple user": the account reference embedded in every object (owner, user, sender). */
export function account(a: GithubAccount, urls: Urls) {
  const url = `${urls.api}/users/${a.login}`;
  return {
    login: a.login,
    id: a.id,
    node_id: nodeId(a.type === "User" ? "U" : "O", a.id),
    avatar_url: `${urls.web}/avatars/${a.login}`,
    gravatar_id: "",
    url,
    html_url: `${urls.web}/${a.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: a.type,
    site_admin: false,
  };
}

/** `GET /users/{username}`: the simple user plus the public profile. */
export function publicUser(a: GithubAccount, state: GithubState, urls: Urls) {
  return {
    ...account(a, urls),
    name: a.name,
    company: null,
    blog: "",
    location: null,
    email: a.email,
    hireable: null,
    bio: null,
    public_repos: state.reposFor(a.login).filter((r) => !r.private && r.owner === a.login).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: ACCOUNT_CREATED_AT,
    updated_at: ACCOUNT_CREATED_AT,
  };
}

/** `GET /user`: the public profile plus what only the account itself sees. */
export function privateUser(a: GithubAccount, state: GithubState, urls: Urls) {
  const repos = state.reposFor(a.login);
  return {
    ...publicUser(a, state, urls),
    public_repos: repos.filter((r) => !r.private).length,
    total_private_repos: repos.filter((r) => r.private).length,
    owned_private_repos: repos.filter((r) => r.private && r.owner === a.login).length,
    private_gists: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
  };
}

/** The simple user for a login; an account the emulator does not know still gets a well-formed reference. */
export function ownerOf(state: GithubState, login: string, urls: Urls) {
  const found = state.accounts.get(login.toLowerCase());
  return found
    ? account(found, urls)
    : account({ login, id: 0, type: "User", name: login, email: null, orgs: [] }, urls);
}
