import { type EgressLookup, systemLookup } from "./checked-agent";
import { type EgressPolicy, hostListed, isIpLiteral, refusal } from "./egress-policy";

/**
 * Why a URL a user gave to be called later (a customer's own API host) may not be, or `undefined` when it may: http(s) only,
 * no credentials in it, and every address its host resolves to now outside loopback, private, link-local and
 * metadata ranges unless the operator's allow-list names it. A check at the time it is given, which keeps the
 * obvious aims (`http://169.254.169.254`, `http://localhost`) out of stored connections; the requests made to it
 * later go through `createCheckedFetch`, which checks every connection again (a name rebound inside since).
 */
export async function destinationRefusal(
  raw: string,
  policy: EgressPolicy,
  lookup: EgressLookup = systemLookup,
): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${JSON.stringify(raw.slice(0, 100))} is not a URL`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `${url.protocol} URLs are not allowed`;
  if (url.username || url.password) return "the URL must not carry credentials";
  const host = url.hostname;
  if (hostListed(host, policy.deny)) return `${host} is on the deny-list`;
  if (hostListed(host, policy.allow)) return undefined;
  if (isIpLiteral(host)) return refusal(host, policy);
  const addresses = await new Promise<string[] | Error>((resolve) =>
    lookup(host, { all: true }, (error, found) =>
      resolve(error ? error : found.map((entry) => entry.address)),
    ),
  );
  if (addresses instanceof Error) return `${host} does not resolve`;
  for (const address of addresses) {
    const why = refusal(address, policy, host);
    if (why) return `${host} resolves to ${why.replace(/^\S+ is/, "an address that is")}`;
  }
  return undefined;
}
