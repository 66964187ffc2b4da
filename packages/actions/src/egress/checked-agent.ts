import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { Agent } from "undici";
import { EgressDeniedError } from "./egress-denied";
import { type EgressPolicy, hostListed, refusal } from "./egress-policy";

/** A DNS lookup as `node:dns` has it (injectable: tests answer a private address for a public name). */
export type EgressLookup = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** `node:dns`'s lookup, as the egress checks call it. */
export const systemLookup = dnsLookup as unknown as EgressLookup;

// By policy, then by lookup: one agent (and its pool of connections) per pair, never one per request.
const agents = new WeakMap<EgressPolicy, WeakMap<EgressLookup, Agent>>();

/**
 * An undici agent whose every connection resolves its host through the egress check: the addresses actually
 * dialled are checked, so a name that resolves inside, or that is rebound to an inside address after an earlier
 * check passed (DNS rebinding), is refused with an `EgressDeniedError` before any byte is sent. Host names on the
 * allow-list are dialled whatever they resolve to. IP-literal URLs are never looked up: check the URL first.
 */
export function checkedAgent(policy: EgressPolicy, lookup: EgressLookup = systemLookup): Agent {
  let byLookup = agents.get(policy);
  if (!byLookup) {
    byLookup = new WeakMap();
    agents.set(policy, byLookup);
  }
  let agent = byLookup.get(lookup);
  if (!agent) {
    agent = new Agent({
      connect: {
        lookup: (hostname, options, callback) => {
          lookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses) => {
            if (error) return callback(error, "", 4);
            const denied = hostListed(hostname, policy.allow)
              ? undefined
              : addresses.map((a) => refusal(a.address, policy, hostname)).find((why) => why !== undefined);
            if (denied) return callback(new EgressDeniedError(`${hostname}: ${denied}`), "", 4);
            const first = addresses[0];
            if (!first)
              return callback(
                Object.assign(new Error(`${hostname} did not resolve`), { code: "ENOTFOUND" }),
                "",
                4,
              );
            if ((options as { all?: boolean }).all)
              return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
            return callback(null, first.address, first.family);
          });
        },
      },
    });
    byLookup.set(lookup, agent);
  }
  return agent;
}
