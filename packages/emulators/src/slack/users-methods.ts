import { paginate, SlackApiError, type SlackCall, type SlackMethod } from "./slack-call";

function list(call: SlackCall): Record<string, unknown> {
  const { page, next_cursor } = paginate(call, [...call.workspace.users.values()], 200);
  return { members: page, cache_ts: call.workspace.nowSeconds(), response_metadata: { next_cursor } };
}

function info(call: SlackCall): Record<string, unknown> {
  const user = call.workspace.users.get(call.args.required("user", "user_not_found"));
  if (!user) throw new SlackApiError("user_not_found");
  return { user };
}

function lookupByEmail(call: SlackCall): Record<string, unknown> {
  const email = call.args.required("email", "users_not_found").toLowerCase();
  const user = [...call.workspace.users.values()].find((u) => u.profile.email?.toLowerCase() === email);
  if (!user) throw new SlackApiError("users_not_found");
  return { user };
}

/** The `users.*` methods. */
export const usersMethods: Record<string, SlackMethod> = {
  "users.list": list,
  "users.info": info,
  "users.lookupByEmail": lookupByEmail,
};
