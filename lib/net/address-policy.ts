// Pure address policy for the egress guard: no DNS, no sockets. Kept free of
// node: imports and "server-only" so forms can reuse checkUrlDestination.
import ipaddr from "ipaddr.js";

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

export type AddressFamily = 4 | 6;

export type AddressCategory =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "link-local"
  | "metadata"
  | "carrier-grade-nat"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "benchmarking"
  | "documentation";

export type AddressClassification =
  | {
      ok: true;
      /** Canonical form; IPv4-mapped, -compatible and -translated IPv6 become dotted IPv4. */
      address: string;
      family: AddressFamily;
      category: AddressCategory;
      /** The IPv4 address carried inside a 6to4 or NAT64 address, when there is one. */
      embeddedIPv4?: string;
    }
  | { ok: false; input: string; error: string };

type Network<T> = [T, number];
type RangeTable<T> = ReadonlyArray<{ network: Network<T>; category: AddressCategory }>;

function v4Table(rows: ReadonlyArray<readonly [string, AddressCategory]>): RangeTable<IPv4> {
  return rows.map(([cidr, category]) => ({ network: ipaddr.IPv4.parseCIDR(cidr), category }));
}

function v6Table(rows: ReadonlyArray<readonly [string, AddressCategory]>): RangeTable<IPv6> {
  return rows.map(([cidr, category]) => ({ network: ipaddr.IPv6.parseCIDR(cidr), category }));
}

// First match wins, so the single addresses sit above the ranges that contain them.
const IPV4_RANGES = v4Table([
  ["255.255.255.255/32", "broadcast"],
  // AWS, GCP, Azure, OpenStack and Oracle instance metadata.
  ["169.254.169.254/32", "metadata"],
  // ECS task metadata and EKS pod identity agent.
  ["169.254.170.2/32", "metadata"],
  ["169.254.170.23/32", "metadata"],
  // Alibaba Cloud metadata lives inside the CGNAT block.
  ["100.100.100.200/32", "metadata"],
  // Oracle Cloud's legacy metadata address.
  ["192.0.0.192/32", "metadata"],
  // Azure WireServer: a public-looking address that serves VM extension config.
  ["168.63.129.16/32", "metadata"],
  ["0.0.0.0/8", "unspecified"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "carrier-grade-nat"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "reserved"],
  ["192.0.2.0/24", "documentation"],
  ["192.88.99.0/24", "reserved"],
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "benchmarking"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
]);

const IPV6_RANGES = v6Table([
  // AWS (Nitro) and GCP metadata over IPv6.
  ["fd00:ec2::254/128", "metadata"],
  ["fd20:ce::254/128", "metadata"],
  ["::/128", "unspecified"],
  ["::1/128", "loopback"],
  // RFC 8215 local-use NAT64: the embedded IPv4 is site-specific, so treat it as private.
  ["64:ff9b:1::/48", "private"],
  ["100::/64", "reserved"],
  ["2001:2::/48", "benchmarking"],
  ["2001:db8::/32", "documentation"],
  // IETF protocol assignments, including Teredo, whose obfuscated client address
  // is not worth decoding for an MCP destination.
  ["2001::/23", "reserved"],
  ["3fff::/20", "documentation"],
  ["5f00::/16", "reserved"],
  ["fc00::/7", "private"],
  ["fe80::/10", "link-local"],
  // Deprecated site-local: still routed inside some networks.
  ["fec0::/10", "private"],
  ["ff00::/8", "multicast"],
]);

const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR("2000::/3");
// Forms whose last 32 bits are the real IPv4 destination; they are normalised to IPv4.
const IPV4_IN_LOW_BITS: ReadonlyArray<Network<IPv6>> = [
  ipaddr.IPv6.parseCIDR("::ffff:0:0/96"), // mapped
  ipaddr.IPv6.parseCIDR("::ffff:0:0:0/96"), // SIIT translated
  ipaddr.IPv6.parseCIDR("::/96"), // deprecated compatible (:: and ::1 are matched before)
];
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR("64:ff9b::/96");
const SIX_TO_FOUR = ipaddr.IPv6.parseCIDR("2002::/16");

function lookupCategory<T extends IPv4 | IPv6>(
  address: T,
  table: RangeTable<T>,
): AddressCategory | undefined {
  for (const row of table) {
    if (address.match(row.network)) return row.category;
  }
  return undefined;
}

function ipv4FromParts(high: number, low: number): IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function parseIpLiteral(input: string): IPv4 | IPv6 | undefined {
  let text = input.trim();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  // ipaddr.parse accepts "127.1" and octal "010.0.0.1"; only the unambiguous
  // dotted-quad form is an address here, anything else must go through a parser
  // (the URL parser) that canonicalises it first.
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes(":")) return undefined;
  const zone = text.indexOf("%");
  if (zone !== -1) {
    if (zone === text.length - 1) return undefined;
    text = text.slice(0, zone);
  }
  if (!ipaddr.IPv6.isValid(text)) return undefined;
  return ipaddr.IPv6.parse(text);
}

function classifyV4(address: IPv4): AddressClassification & { ok: true } {
  return {
    ok: true,
    address: address.toString(),
    family: 4,
    category: lookupCategory(address, IPV4_RANGES) ?? "public",
  };
}

function classifyV6(address: IPv6): AddressClassification & { ok: true } {
  const listed = lookupCategory(address, IPV6_RANGES);
  if (listed !== undefined) {
    return { ok: true, address: address.toRFC5952String(), family: 6, category: listed };
  }
  const parts = address.parts;
  if (IPV4_IN_LOW_BITS.some((network) => address.match(network))) {
    return classifyV4(ipv4FromParts(parts[6] ?? 0, parts[7] ?? 0));
  }
  const embedded = address.match(NAT64_WELL_KNOWN)
    ? ipv4FromParts(parts[6] ?? 0, parts[7] ?? 0)
    : address.match(SIX_TO_FOUR)
      ? ipv4FromParts(parts[1] ?? 0, parts[2] ?? 0)
      : undefined;
  if (embedded !== undefined) {
    return {
      ok: true,
      address: address.toRFC5952String(),
      family: 6,
      category: classifyV4(embedded).category,
      embeddedIPv4: embedded.toString(),
    };
  }
  return {
    ok: true,
    address: address.toRFC5952String(),
    family: 6,
    category: address.match(GLOBAL_UNICAST) ? "public" : "reserved",
  };
}

/** True for a dotted-quad IPv4 or an IPv6 address (brackets and zone allowed). */
export function isIpAddress(input: string): boolean {
  return parseIpLiteral(input) !== undefined;
}

export function classifyAddress(input: string): AddressClassification {
  const parsed = parseIpLiteral(input);
  if (parsed === undefined) {
    return { ok: false, input, error: `"${input}" is not an IP address` };
  }
  return parsed.kind() === "ipv4" ? classifyV4(parsed as IPv4) : classifyV6(parsed as IPv6);
}

// ---------------------------------------------------------------------------
// Allowlist

type AllowedNetwork =
  | { family: 4; network: Network<IPv4>; entry: string }
  | { family: 6; network: Network<IPv6>; entry: string };

export interface EgressAllowlist {
  /** Normalised entries, in input order, for logs and error messages. */
  readonly entries: readonly string[];
  readonly hosts: ReadonlySet<string>;
  readonly networks: readonly AllowedNetwork[];
}

export interface AllowlistEntryError {
  entry: string;
  error: string;
}

export type AllowlistParseResult =
  | { ok: true; allowlist: EgressAllowlist }
  | { ok: false; errors: AllowlistEntryError[]; message: string };

export const EMPTY_ALLOWLIST: EgressAllowlist = Object.freeze({
  entries: Object.freeze([]) as readonly string[],
  hosts: new Set<string>(),
  networks: Object.freeze([]) as readonly AllowedNetwork[],
});

/** Lower-cases, drops IPv6 brackets and one trailing dot, so "LocalHost." equals "localhost". */
export function normalizeHostname(host: string): string {
  let text = host.trim().toLowerCase();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  if (text.endsWith(".")) text = text.slice(0, -1);
  return text;
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

function toNetwork(address: IPv4 | IPv6, prefix: number, entry: string): AllowedNetwork {
  if (address.kind() === "ipv6") {
    const v6 = address as IPv6;
    // A mapped entry such as ::ffff:10.0.0.0/104 means an IPv4 network; store it
    // as one so it matches the normalised IPv4 form of resolved addresses.
    if (v6.isIPv4MappedAddress() && prefix >= 96) {
      const v4 = v6.toIPv4Address();
      return { family: 4, network: [v4, prefix - 96], entry };
    }
    return { family: 6, network: [v6, prefix], entry };
  }
  return { family: 4, network: [address as IPv4, prefix], entry };
}

function describeNetwork(network: AllowedNetwork): string {
  const [base, prefix] = network.network;
  const full = network.family === 4 ? 32 : 128;
  const text = base.kind() === "ipv6" ? (base as IPv6).toRFC5952String() : base.toString();
  return prefix === full ? text : `${text}/${prefix}`;
}

type ParsedEntry =
  | { kind: "host"; host: string }
  | { kind: "network"; network: AllowedNetwork }
  | { kind: "error"; error: string };

const NOT_A_HOST_ERROR =
  "must be a host name, an IP address or a CIDR, without scheme, port or path";

function parseEntry(raw: string): ParsedEntry {
  if (raw.includes("://")) return { kind: "error", error: NOT_A_HOST_ERROR };
  const slash = raw.lastIndexOf("/");
  if (slash !== -1) {
    const addressText = raw.slice(0, slash);
    const prefixText = raw.slice(slash + 1);
    const address = parseIpLiteral(addressText);
    if (address === undefined) {
      return {
        kind: "error",
        error: `"${addressText}" is not an IP address (CIDRs need a dotted-quad IPv4 or an IPv6 address)`,
      };
    }
    const max = address.kind() === "ipv4" ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
      return { kind: "error", error: `prefix length must be a whole number from 0 to ${max}` };
    }
    const network = toNetwork(address, Number(prefixText), raw);
    return { kind: "network", network: { ...network, entry: describeNetwork(network) } };
  }

  const address = parseIpLiteral(raw);
  if (address !== undefined) {
    const network = toNetwork(address, address.kind() === "ipv4" ? 32 : 128, raw);
    return { kind: "network", network: { ...network, entry: describeNetwork(network) } };
  }

  if (/[:/@?#\s]/.test(raw) || raw.includes("[")) {
    return { kind: "error", error: NOT_A_HOST_ERROR };
  }
  if (raw.includes("*")) {
    return { kind: "error", error: "wildcards are not supported; list each host or use a CIDR" };
  }

  let host = normalizeHostname(raw);
  if (/[^\x00-\x7f]/.test(host)) {
    // Match what the URL parser will hand us for an internationalised name.
    try {
      host = new URL(`http://${host}/`).hostname;
    } catch {
      return { kind: "error", error: "is not a valid host name" };
    }
  }
  const labels = host.split(".");
  const last = labels[labels.length - 1] ?? "";
  // The URL parser reads names ending in a number ("127.1", "0x7f.1") as IPv4,
  // so such an entry could never match a host name and would only mislead.
  if (/^(?:\d+|0x[0-9a-f]*)$/.test(last)) {
    return {
      kind: "error",
      error: "looks like an IPv4 address but is not in dotted-quad form (a.b.c.d)",
    };
  }
  if (host.length === 0 || host.length > 253 || !labels.every((label) => LABEL.test(label))) {
    return { kind: "error", error: "is not a valid host name" };
  }
  return { kind: "host", host };
}

/**
 * Parses EGRESS_ALLOWLIST-style input: comma-separated (or an array of) host
 * names, IP addresses and CIDRs. Every bad entry is reported, not just the first.
 */
export function parseAllowlist(
  input: string | readonly string[] | null | undefined,
): AllowlistParseResult {
  const rawEntries = (typeof input === "string" ? input.split(",") : (input ?? []))
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);

  const entries: string[] = [];
  const hosts = new Set<string>();
  const networks: AllowedNetwork[] = [];
  const errors: AllowlistEntryError[] = [];

  for (const raw of rawEntries) {
    const parsed = parseEntry(raw);
    if (parsed.kind === "error") {
      errors.push({ entry: raw, error: parsed.error });
    } else if (parsed.kind === "host") {
      hosts.add(parsed.host);
      entries.push(parsed.host);
    } else {
      networks.push(parsed.network);
      entries.push(parsed.network.entry);
    }
  }

  if (errors.length > 0) {
    const detail = errors.map(({ entry, error }) => `"${entry}": ${error}`).join("; ");
    return { ok: false, errors, message: `Invalid egress allowlist entry: ${detail}` };
  }
  return { ok: true, allowlist: { entries, hosts, networks } };
}

function findCoveringEntry(
  classification: AddressClassification & { ok: true },
  allowlist: EgressAllowlist,
): string | undefined {
  const candidates: Array<IPv4 | IPv6> = [ipaddr.parse(classification.address)];
  // A NAT64 or 6to4 address reaches the embedded IPv4 host, so an entry naming
  // that host covers it too.
  if (classification.embeddedIPv4 !== undefined) {
    candidates.push(ipaddr.parse(classification.embeddedIPv4));
  }
  for (const candidate of candidates) {
    for (const allowed of allowlist.networks) {
      if (candidate.kind() === "ipv4" && allowed.family === 4) {
        if ((candidate as IPv4).match(allowed.network)) return allowed.entry;
      } else if (candidate.kind() === "ipv6" && allowed.family === 6) {
        if ((candidate as IPv6).match(allowed.network)) return allowed.entry;
      }
    }
  }
  return undefined;
}

export type AddressDecision =
  | {
      allowed: true;
      address: string;
      category: AddressCategory;
      via: "public" | "allowlisted-host" | "allowlisted-address";
      /** The allowlist entry that let it through. */
      entry?: string;
    }
  | { allowed: false; address: string; category: AddressCategory | "invalid"; reason: string };

/**
 * Public unicast is always allowed; anything else only when the allowlist names
 * the host being dialled or covers the address. Unparseable input is refused.
 */
export function evaluateAddress(
  ip: string,
  hostname: string | null | undefined,
  allowlist: EgressAllowlist,
): AddressDecision {
  const classification = classifyAddress(ip);
  if (!classification.ok) {
    return { allowed: false, address: ip, category: "invalid", reason: classification.error };
  }
  const { address, category } = classification;
  if (category === "public") return { allowed: true, address, category, via: "public" };

  const host = hostname ? normalizeHostname(hostname) : "";
  if (host !== "" && allowlist.hosts.has(host)) {
    return { allowed: true, address, category, via: "allowlisted-host", entry: host };
  }
  const entry = findCoveringEntry(classification, allowlist);
  if (entry !== undefined) {
    return { allowed: true, address, category, via: "allowlisted-address", entry };
  }
  return {
    allowed: false,
    address,
    category,
    reason: `${address} is a ${category} address and is not in the egress allowlist`,
  };
}

export function isAddressAllowed(
  ip: string,
  hostname: string | null | undefined,
  allowlist: EgressAllowlist,
): boolean {
  return evaluateAddress(ip, hostname, allowlist).allowed;
}

// ---------------------------------------------------------------------------
// URL destination check for configuration (no DNS)

const LOOPBACK_ADDRESSES = ["127.0.0.1", "::1"] as const;
const LOOPBACK_V4 = ["127.0.0.1"] as const;
const LOOPBACK_V6 = ["::1"] as const;
const METADATA_ADDRESSES = ["169.254.169.254"] as const;

// Names that stand for loopback or metadata addresses whatever DNS says (RFC 6761,
// common /etc/hosts aliases, cloud metadata names that resolve via search domains).
const RESERVED_NAMES: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ["localhost", LOOPBACK_ADDRESSES],
  ["localhost.localdomain", LOOPBACK_ADDRESSES],
  ["localhost4", LOOPBACK_V4],
  ["localhost4.localdomain4", LOOPBACK_V4],
  ["localhost6", LOOPBACK_V6],
  ["localhost6.localdomain6", LOOPBACK_V6],
  ["ip6-localhost", LOOPBACK_V6],
  ["ip6-loopback", LOOPBACK_V6],
  ["metadata", METADATA_ADDRESSES],
  ["metadata.google.internal", METADATA_ADDRESSES],
  ["instance-data", METADATA_ADDRESSES],
  ["instance-data.ec2.internal", METADATA_ADDRESSES],
]);

function categoryOf(address: string): AddressCategory | "invalid" {
  const classification = classifyAddress(address);
  return classification.ok ? classification.category : "invalid";
}

/** The addresses a reserved name stands for, or undefined for an ordinary name. */
export function reservedNameAddresses(hostname: string): readonly string[] | undefined {
  const host = normalizeHostname(hostname);
  if (host.endsWith(".localhost")) return LOOPBACK_ADDRESSES;
  return RESERVED_NAMES.get(host);
}

export type UrlDestinationCheck =
  | { ok: true; url: URL; host: string; hostKind: "address" | "name" }
  | {
      ok: false;
      code: "egress.invalid_url";
      reason: "unparseable" | "unsupported_protocol" | "credentials_in_url";
      message: string;
    }
  | {
      ok: false;
      code: "egress.destination_not_allowed";
      reason: "address_not_allowed" | "reserved_name";
      host: string;
      category?: AddressCategory | "invalid";
      message: string;
    };

/**
 * Config-time check of an MCP or OAuth URL. Literal addresses and reserved names
 * are decided here; ordinary names pass and are judged again when dialled.
 * Messages never echo the URL, only its host, since URLs can carry secrets.
 */
export function checkUrlDestination(
  input: string | URL,
  allowlist: EgressAllowlist,
): UrlDestinationCheck {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, code: "egress.invalid_url", reason: "unparseable", message: "Invalid URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return {
      ok: false,
      code: "egress.invalid_url",
      reason: "unsupported_protocol",
      message: `Only http and https URLs are allowed, not ${url.protocol.replace(/:$/, "")}`,
    };
  }
  if (url.username !== "" || url.password !== "") {
    return {
      ok: false,
      code: "egress.invalid_url",
      reason: "credentials_in_url",
      message: "URL must not contain a user name or password",
    };
  }

  const host = normalizeHostname(url.hostname);
  if (isIpAddress(host)) {
    const decision = evaluateAddress(host, host, allowlist);
    if (decision.allowed) return { ok: true, url, host, hostKind: "address" };
    return {
      ok: false,
      code: "egress.destination_not_allowed",
      reason: "address_not_allowed",
      host,
      category: decision.category,
      message: `Destination ${host} is not allowed: ${decision.reason}`,
    };
  }

  const stands = reservedNameAddresses(host);
  if (stands !== undefined) {
    // Allowed when named outright, or when every address the name stands for is
    // allowlisted, mirroring the connect-time rule that all resolved addresses pass.
    const allowed =
      allowlist.hosts.has(host) ||
      stands.every((address) => evaluateAddress(address, undefined, allowlist).allowed);
    if (allowed) return { ok: true, url, host, hostKind: "name" };
    return {
      ok: false,
      code: "egress.destination_not_allowed",
      reason: "reserved_name",
      host,
      category: categoryOf(stands[0] ?? ""),
      message: `Destination ${host} is not allowed: it names a local or metadata address and is not in the egress allowlist`,
    };
  }

  return { ok: true, url, host, hostKind: "name" };
}
