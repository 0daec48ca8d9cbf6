import { describe, expect, it } from "vitest";

import {
  checkUrlDestination,
  classifyAddress,
  EMPTY_ALLOWLIST,
  evaluateAddress,
  isAddressAllowed,
  isIpAddress,
  parseAllowlist,
  reservedNameAddresses,
  type AddressCategory,
  type EgressAllowlist,
} from "@/lib/net/address-policy";

function allowlist(input: string | string[]): EgressAllowlist {
  const parsed = parseAllowlist(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.allowlist;
}

function categoryOf(ip: string): AddressCategory | "invalid" {
  const result = classifyAddress(ip);
  return result.ok ? result.category : "invalid";
}

describe("classifyAddress: IPv4", () => {
  const cases: Array<[string, AddressCategory]> = [
    ["0.0.0.0", "unspecified"],
    ["0.255.255.255", "unspecified"],
    ["1.0.0.0", "public"],
    ["9.255.255.255", "public"],
    ["10.0.0.0", "private"],
    ["10.255.255.255", "private"],
    ["11.0.0.0", "public"],
    ["100.63.255.255", "public"],
    ["100.64.0.0", "carrier-grade-nat"],
    ["100.127.255.255", "carrier-grade-nat"],
    ["100.128.0.0", "public"],
    ["100.100.100.200", "metadata"],
    ["126.255.255.255", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["128.0.0.0", "public"],
    ["168.63.129.16", "metadata"],
    ["168.63.129.17", "public"],
    ["169.253.255.255", "public"],
    ["169.254.0.0", "link-local"],
    ["169.254.169.254", "metadata"],
    ["169.254.170.2", "metadata"],
    ["169.254.170.23", "metadata"],
    ["169.254.255.255", "link-local"],
    ["169.255.0.0", "public"],
    ["172.15.255.255", "public"],
    ["172.16.0.0", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.0", "public"],
    ["192.0.0.1", "reserved"],
    ["192.0.0.192", "metadata"],
    ["192.0.1.1", "public"],
    ["192.0.2.1", "documentation"],
    ["192.88.99.1", "reserved"],
    ["192.167.255.255", "public"],
    ["192.168.0.0", "private"],
    ["192.168.255.255", "private"],
    ["192.169.0.0", "public"],
    ["198.17.255.255", "public"],
    ["198.18.0.0", "benchmarking"],
    ["198.19.255.255", "benchmarking"],
    ["198.20.0.0", "public"],
    ["198.51.100.7", "documentation"],
    ["203.0.113.9", "documentation"],
    ["223.255.255.255", "public"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.255", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.254", "reserved"],
    ["255.255.255.255", "broadcast"],
    ["8.8.8.8", "public"],
    ["93.184.216.34", "public"],
  ];
  it.each(cases)("%s is %s", (ip, category) => {
    expect(categoryOf(ip)).toBe(category);
  });

  it("returns the canonical address and family", () => {
    expect(classifyAddress("8.8.4.4")).toEqual({
      ok: true,
      address: "8.8.4.4",
      family: 4,
      category: "public",
    });
  });

  it.each(["127.1", "010.0.0.1", "0x7f.0.0.1", "2130706433", "1.2.3", "256.0.0.1", "", "a.b.c.d"])(
    "rejects the non-canonical or invalid form %j",
    (input) => {
      const result = classifyAddress(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toContain("not an IP address");
    },
  );
});

describe("classifyAddress: IPv6", () => {
  const cases: Array<[string, AddressCategory]> = [
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf:ffff::1", "link-local"],
    ["fec0::1", "private"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["fd00:ec2::254", "metadata"],
    ["fd00:ec2::253", "private"],
    ["fd20:ce::254", "metadata"],
    ["ff02::1", "multicast"],
    ["ff0e::1", "multicast"],
    ["100::1", "reserved"],
    ["2001:db8::1", "documentation"],
    ["3fff::1", "documentation"],
    ["2001:2::1", "benchmarking"],
    ["2001::1", "reserved"],
    ["2001:1ff::1", "reserved"],
    ["5f00::1", "reserved"],
    ["64:ff9b:1::a00:1", "private"],
    ["2606:4700:4700::1111", "public"],
    ["2001:4860:4860::8888", "public"],
    ["2001:200::1", "public"],
    ["3ffe::1", "public"],
    ["4000::1", "reserved"],
    ["1::1", "reserved"],
  ];
  it.each(cases)("%s is %s", (ip, category) => {
    expect(categoryOf(ip)).toBe(category);
  });

  it.each([
    ["::ffff:127.0.0.1", "127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "127.0.0.1", "loopback"],
    ["::ffff:169.254.169.254", "169.254.169.254", "metadata"],
    ["::ffff:10.1.2.3", "10.1.2.3", "private"],
    ["::ffff:8.8.8.8", "8.8.8.8", "public"],
    ["::127.0.0.1", "127.0.0.1", "loopback"],
    ["::10.0.0.1", "10.0.0.1", "private"],
    ["::ffff:0:a00:1", "10.0.0.1", "private"],
  ] as const)("normalises %s to IPv4 %s (%s)", (ip, v4, category) => {
    expect(classifyAddress(ip)).toEqual({ ok: true, address: v4, family: 4, category });
  });

  it.each([
    ["64:ff9b::7f00:1", "127.0.0.1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "169.254.169.254", "metadata"],
    ["64:ff9b::808:808", "8.8.8.8", "public"],
    ["2002:7f00:1::1", "127.0.0.1", "loopback"],
    ["2002:c0a8:101::", "192.168.1.1", "private"],
    ["2002:808:808::1", "8.8.8.8", "public"],
  ] as const)("judges %s by its embedded IPv4 %s (%s)", (ip, v4, category) => {
    const result = classifyAddress(ip);
    expect(result).toMatchObject({ ok: true, family: 6, category, embeddedIPv4: v4 });
  });

  it("returns the RFC 5952 form", () => {
    expect(classifyAddress("2001:0DB8:0000:0000:0000:0000:0000:0001")).toMatchObject({
      address: "2001:db8::1",
    });
  });

  it.each(["::g", "1:2:3:4:5:6:7:8:9", ":::", "fe80::1%"])("rejects %j", (input) => {
    expect(classifyAddress(input).ok).toBe(false);
  });
});

describe("isIpAddress", () => {
  it.each([
    ["1.2.3.4", true],
    ["::1", true],
    ["[::1]", true],
    ["localhost", false],
    ["127.1", false],
    ["example.com", false],
  ] as const)("%s -> %s", (input, expected) => {
    expect(isIpAddress(input)).toBe(expected);
  });
});

describe("parseAllowlist", () => {
  it("treats empty input as an empty allowlist", () => {
    for (const input of [undefined, null, "", " , ,", []]) {
      const parsed = parseAllowlist(input);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) {
        expect(parsed.allowlist.entries).toEqual([]);
        expect(parsed.allowlist.hosts.size).toBe(0);
        expect(parsed.allowlist.networks).toHaveLength(0);
      }
    }
  });

  it("parses hosts, addresses and CIDRs from a comma-separated string", () => {
    const parsed = parseAllowlist(
      " MCP.Internal.Example. , 127.0.0.1, 10.0.0.0/8, ::1, fd00::/8, [fe80::1], ::ffff:192.168.0.0/112 ",
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.allowlist.entries).toEqual([
      "mcp.internal.example",
      "127.0.0.1",
      "10.0.0.0/8",
      "::1",
      "fd00::/8",
      "fe80::1",
      "192.168.0.0/16",
    ]);
    expect([...parsed.allowlist.hosts]).toEqual(["mcp.internal.example"]);
  });

  it("accepts an array", () => {
    const parsed = parseAllowlist(["localhost", "192.168.1.0/24"]);
    expect(parsed.ok && parsed.allowlist.entries).toEqual(["localhost", "192.168.1.0/24"]);
  });

  it("accepts punycode and converts IDN host names", () => {
    const parsed = parseAllowlist("bücher.example, xn--bcher-kva.test");
    expect(parsed.ok && [...parsed.allowlist.hosts]).toEqual([
      "xn--bcher-kva.example",
      "xn--bcher-kva.test",
    ]);
  });

  it.each([
    ["10.0.0.0/33", "prefix length must be a whole number from 0 to 32"],
    ["::/129", "from 0 to 128"],
    ["10.0.0.0/", "prefix length"],
    ["10.0.0.0/-1", "prefix length"],
    ["10.0.0.0/8.5", "prefix length"],
    ["example.com/24", "is not an IP address"],
    ["127.1", "dotted-quad"],
    ["010.0.0.1", "dotted-quad"],
    ["0x7f.0.0.1", "dotted-quad"],
    ["256.1.1.1", "dotted-quad"],
    ["http://example.com", "without scheme, port or path"],
    ["example.com:8080", "without scheme, port or path"],
    ["user@example.com", "without scheme, port or path"],
    ["*.example.com", "wildcards are not supported"],
    ["-bad.example", "not a valid host name"],
    ["bad-.example", "not a valid host name"],
    ["a..b", "not a valid host name"],
    [`${"a".repeat(64)}.example`, "not a valid host name"],
    ["ex ample.com", "without scheme, port or path"],
  ])("rejects %j with a message naming it", (entry, error) => {
    const parsed = parseAllowlist(`127.0.0.1, ${entry}`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([{ entry: entry.trim(), error: expect.stringContaining(error) }]);
    expect(parsed.message).toContain(`"${entry.trim()}"`);
  });

  it("reports every bad entry", () => {
    const parsed = parseAllowlist(["bad/99", "ok.example", "*.x"]);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.entry)).toEqual(["bad/99", "*.x"]);
  });
});

describe("evaluateAddress / isAddressAllowed", () => {
  it("always allows public unicast", () => {
    expect(evaluateAddress("8.8.8.8", "dns.google", EMPTY_ALLOWLIST)).toEqual({
      allowed: true,
      address: "8.8.8.8",
      category: "public",
      via: "public",
    });
    expect(isAddressAllowed("2606:4700:4700::1111", undefined, EMPTY_ALLOWLIST)).toBe(true);
  });

  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "198.18.0.1",
    "192.0.2.1",
    "::1",
    "::",
    "fe80::1",
    "fd00::1",
    "fd00:ec2::254",
    "::ffff:127.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "2002:a00:1::",
    "2001:db8::1",
    "not-an-ip",
  ])("refuses %s without an allowlist", (ip) => {
    const decision = evaluateAddress(ip, "some.host", EMPTY_ALLOWLIST);
    expect(decision.allowed).toBe(false);
    expect(isAddressAllowed(ip, "some.host", EMPTY_ALLOWLIST)).toBe(false);
  });

  it("allows an exact address entry, and only that address", () => {
    const list = allowlist("127.0.0.1");
    expect(evaluateAddress("127.0.0.1", "x", list)).toMatchObject({
      allowed: true,
      via: "allowlisted-address",
      entry: "127.0.0.1",
    });
    expect(isAddressAllowed("127.0.0.2", "x", list)).toBe(false);
    expect(isAddressAllowed("::ffff:127.0.0.1", "x", list)).toBe(true);
    expect(isAddressAllowed("::1", "x", list)).toBe(false);
  });

  it("honours CIDR edges", () => {
    const list = allowlist("10.0.0.0/8, 172.16.0.0/12, 192.168.1.128/25");
    expect(isAddressAllowed("10.0.0.0", undefined, list)).toBe(true);
    expect(isAddressAllowed("10.255.255.255", undefined, list)).toBe(true);
    expect(isAddressAllowed("172.31.255.255", undefined, list)).toBe(true);
    expect(isAddressAllowed("192.168.1.127", undefined, list)).toBe(false);
    expect(isAddressAllowed("192.168.1.128", undefined, list)).toBe(true);
    expect(isAddressAllowed("192.168.1.255", undefined, list)).toBe(true);
    expect(isAddressAllowed("192.168.2.0", undefined, list)).toBe(false);
    expect(isAddressAllowed("127.0.0.1", undefined, list)).toBe(false);
  });

  it("accepts CIDRs with host bits set and /0", () => {
    expect(isAddressAllowed("10.9.9.9", undefined, allowlist("10.1.2.3/8"))).toBe(true);
    expect(isAddressAllowed("169.254.169.254", undefined, allowlist("0.0.0.0/0"))).toBe(true);
    expect(isAddressAllowed("::1", undefined, allowlist("0.0.0.0/0"))).toBe(false);
    expect(isAddressAllowed("::1", undefined, allowlist("::/0"))).toBe(true);
  });

  it("matches IPv6 CIDRs", () => {
    const list = allowlist("fd00:1234::/32, fe80::/10");
    expect(isAddressAllowed("fd00:1234:ffff::1", undefined, list)).toBe(true);
    expect(isAddressAllowed("fd00:1235::1", undefined, list)).toBe(false);
    expect(isAddressAllowed("fe80::abcd", undefined, list)).toBe(true);
  });

  it("matches a mapped IPv4 CIDR against IPv4 and mapped addresses", () => {
    const list = allowlist("::ffff:10.0.0.0/104");
    expect(isAddressAllowed("10.2.3.4", undefined, list)).toBe(true);
    expect(isAddressAllowed("::ffff:10.2.3.4", undefined, list)).toBe(true);
    expect(isAddressAllowed("11.0.0.1", undefined, list)).toBe(true);
    expect(isAddressAllowed("192.168.0.1", undefined, list)).toBe(false);
  });

  it("lets an IPv4 entry cover a NAT64 or 6to4 address that embeds it", () => {
    const list = allowlist("10.0.0.0/8");
    expect(isAddressAllowed("64:ff9b::a00:1", undefined, list)).toBe(true);
    expect(isAddressAllowed("2002:a00:1::1", undefined, list)).toBe(true);
    expect(isAddressAllowed("64:ff9b::c0a8:1", undefined, list)).toBe(false);
  });

  it("allows any address for an allowlisted host name, case- and dot-insensitively", () => {
    const list = allowlist("MCP.corp.example.");
    for (const host of ["mcp.corp.example", "MCP.CORP.EXAMPLE", "mcp.corp.example."]) {
      expect(evaluateAddress("10.0.0.5", host, list)).toMatchObject({
        allowed: true,
        via: "allowlisted-host",
        entry: "mcp.corp.example",
      });
    }
    expect(isAddressAllowed("10.0.0.5", "other.corp.example", list)).toBe(false);
    expect(isAddressAllowed("10.0.0.5", "sub.mcp.corp.example", list)).toBe(false);
    expect(isAddressAllowed("10.0.0.5", undefined, list)).toBe(false);
  });

  it("gives a reason naming the address and its category", () => {
    const decision = evaluateAddress("::ffff:169.254.169.254", "x", EMPTY_ALLOWLIST);
    expect(decision).toMatchObject({
      allowed: false,
      address: "169.254.169.254",
      category: "metadata",
    });
    if (!decision.allowed) expect(decision.reason).toContain("169.254.169.254 is a metadata");
  });
});

describe("reservedNameAddresses", () => {
  it.each([
    ["localhost", ["127.0.0.1", "::1"]],
    ["LOCALHOST.", ["127.0.0.1", "::1"]],
    ["app.localhost", ["127.0.0.1", "::1"]],
    ["localhost.localdomain", ["127.0.0.1", "::1"]],
    ["ip6-localhost", ["::1"]],
    ["metadata.google.internal", ["169.254.169.254"]],
  ])("%s stands for %j", (name, addresses) => {
    expect(reservedNameAddresses(name)).toEqual(addresses);
  });

  it.each(["example.com", "localhost.example.com", "notlocalhost"])("%s is ordinary", (name) => {
    expect(reservedNameAddresses(name)).toBeUndefined();
  });
});

describe("checkUrlDestination", () => {
  it("passes public addresses and ordinary names without DNS", () => {
    expect(checkUrlDestination("https://8.8.8.8/mcp", EMPTY_ALLOWLIST)).toMatchObject({
      ok: true,
      host: "8.8.8.8",
      hostKind: "address",
    });
    // .invalid never resolves, so passing proves no lookup happened.
    expect(checkUrlDestination("https://mcp.example.invalid/x", EMPTY_ALLOWLIST)).toMatchObject({
      ok: true,
      host: "mcp.example.invalid",
      hostKind: "name",
    });
    const url = new URL("http://[2606:4700:4700::1111]:8080/");
    expect(checkUrlDestination(url, EMPTY_ALLOWLIST)).toMatchObject({
      ok: true,
      host: "2606:4700:4700::1111",
    });
  });

  it.each([
    ["http://127.0.0.1:3000/mcp", "127.0.0.1", "loopback"],
    ["http://127.1/", "127.0.0.1", "loopback"],
    ["http://0x7f000001/", "127.0.0.1", "loopback"],
    ["http://2130706433/", "127.0.0.1", "loopback"],
    ["http://0/", "0.0.0.0", "unspecified"],
    ["http://[::1]/", "::1", "loopback"],
    ["http://[::ffff:127.0.0.1]/", "::ffff:7f00:1", "loopback"],
    ["http://169.254.169.254/latest/meta-data", "169.254.169.254", "metadata"],
    ["https://10.0.0.1/", "10.0.0.1", "private"],
    ["https://[fd00:ec2::254]/", "fd00:ec2::254", "metadata"],
    ["https://[fe80::1]/", "fe80::1", "link-local"],
  ])("refuses %s", (url, host, category) => {
    const result = checkUrlDestination(url, EMPTY_ALLOWLIST);
    expect(result).toMatchObject({
      ok: false,
      code: "egress.destination_not_allowed",
      reason: "address_not_allowed",
      host,
      category,
    });
  });

  it.each([
    "http://localhost:3000/",
    "http://LOCALHOST./",
    "http://tenant.localhost/",
    "http://localhost.localdomain/",
    "http://ip6-localhost/",
    "http://metadata.google.internal/computeMetadata/v1/",
  ])("refuses the reserved name in %s", (url) => {
    expect(checkUrlDestination(url, EMPTY_ALLOWLIST)).toMatchObject({
      ok: false,
      code: "egress.destination_not_allowed",
      reason: "reserved_name",
    });
  });

  it("allows literal addresses the allowlist covers", () => {
    const list = allowlist("127.0.0.0/8, ::1");
    expect(checkUrlDestination("http://127.0.0.1:3000/", list).ok).toBe(true);
    expect(checkUrlDestination("http://[::1]:3000/", list).ok).toBe(true);
    expect(checkUrlDestination("http://[::ffff:127.0.0.5]/", list).ok).toBe(true);
    expect(checkUrlDestination("http://10.0.0.1/", list).ok).toBe(false);
  });

  it("allows a reserved name when named or when all its addresses are listed", () => {
    expect(checkUrlDestination("http://localhost:3000/", allowlist("localhost")).ok).toBe(true);
    expect(checkUrlDestination("http://Localhost.:3000/", allowlist("localhost")).ok).toBe(true);
    expect(checkUrlDestination("http://localhost/", allowlist("127.0.0.1, ::1")).ok).toBe(true);
    expect(checkUrlDestination("http://localhost/", allowlist("127.0.0.1")).ok).toBe(false);
    expect(checkUrlDestination("http://app.localhost/", allowlist("localhost")).ok).toBe(false);
  });

  it.each([
    ["not a url", "unparseable"],
    ["/relative/path", "unparseable"],
    ["ftp://example.com/", "unsupported_protocol"],
    ["file:///etc/passwd", "unsupported_protocol"],
    ["javascript:alert(1)", "unsupported_protocol"],
    ["ws://example.com/", "unsupported_protocol"],
    ["https://user:secret@example.com/", "credentials_in_url"],
    ["https://token@example.com/", "credentials_in_url"],
  ])("refuses %s as %s", (url, reason) => {
    const result = checkUrlDestination(url, EMPTY_ALLOWLIST);
    expect(result).toMatchObject({ ok: false, code: "egress.invalid_url", reason });
    if (!result.ok) expect(result.message).not.toContain("secret");
  });

  it("never echoes the path or query in its message", () => {
    const result = checkUrlDestination(
      "http://127.0.0.1/callback?code=topsecret&token=abc",
      EMPTY_ALLOWLIST,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain("127.0.0.1");
      expect(result.message).not.toContain("topsecret");
    }
  });
});
