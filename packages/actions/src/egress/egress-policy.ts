import ipaddr from "ipaddr.js";

/** Where a user-aimed request may go. Every field is optional: the defaults refuse anything inside. */
export interface EgressPolicy {
  /**
   * Destinations allowed although they are inside: CIDRs (`10.1.0.0/16`, `127.0.0.1/32`) or host names
   * (`internal.example.com`, allowed whatever they resolve to). The operator's allow-list.
   */
  allow?: readonly string[];
  /** Destinations refused although they are public: CIDRs or host names. The operator's deny-list. */
  deny?: readonly string[];
  /** The largest answer read, in bytes; a larger one is refused. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Redirects followed, each hop checked like the first request. Default 5. */
  maxRedirects?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

// Only ordinary public unicast addresses go out: loopback, private, link-local (cloud metadata at
// 169.254.169.254), CGNAT, multicast, unspecified, reserved, unique-local and the like stay inside.
const PUBLIC_RANGE = "unicast";

/** An address as ipaddr.js reads it, IPv4-mapped IPv6 (`::ffff:127.0.0.1`) as the IPv4 address it is. */
function parse(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = address.replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(bare)) return undefined;
  const parsed = ipaddr.parse(bare);
  return parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
    ? (parsed as ipaddr.IPv6).toIPv4Address()
    : parsed;
}

function inList(
  address: ipaddr.IPv4 | ipaddr.IPv6,
  hostname: string | undefined,
  list: readonly string[],
): boolean {
  return list.some((entry) => {
    if (entry.includes("/")) {
      try {
        const [range, bits] = ipaddr.parseCIDR(entry);
        return range.kind() === address.kind() && address.match([range, bits]);
      } catch {
        return false;
      }
    }
    return hostname !== undefined && entry.toLowerCase() === hostname.toLowerCase();
  });
}

/** Whether a host name is allowed (or refused) by name alone, before any resolution. */
export function hostListed(hostname: string, list: readonly string[] = []): boolean {
  return list.some((entry) => !entry.includes("/") && entry.toLowerCase() === hostname.toLowerCase());
}

/**
 * Why `address` (reached for `hostname`) may not be connected to, or `undefined` when it may: the deny-list
 * first, then the allow-list, then only public unicast addresses.
 */
export function refusal(address: string, policy: EgressPolicy, hostname?: string): string | undefined {
  const parsed = parse(address);
  if (!parsed) return `${address} is not an IP address`;
  if (inList(parsed, hostname, policy.deny ?? [])) return `${address} is on the deny-list`;
  if (inList(parsed, hostname, policy.allow ?? [])) return undefined;
  const range = parsed.range();
  return range === PUBLIC_RANGE ? undefined : `${address} is a ${range} address`;
}

/** Whether `hostname` is an IP literal (the URL parser has already turned `2130706433` into `127.0.0.1`). */
export function isIpLiteral(hostname: string): boolean {
  return ipaddr.isValid(hostname.replace(/^\[|\]$/g, ""));
}
