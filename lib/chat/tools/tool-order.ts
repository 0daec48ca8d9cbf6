import type { ToolSet } from "ai";

// One stable order of a turn's tools whatever their sources, so the prompt prefix stays
// cacheable between turns. Sorting a thousand names costs milliseconds; the same names come
// back turn after turn, so their order is remembered by the names as they were assembled.
const MAX_REMEMBERED = 64;
const orders = new Map<string, string[]>();

export function sortedToolSet(tools: ToolSet): ToolSet {
  const names = Object.keys(tools);
  const signature = names.join("\n");
  let order = orders.get(signature);
  if (order === undefined) {
    order = [...names].sort();
    if (orders.size >= MAX_REMEMBERED) orders.delete(orders.keys().next().value!);
    orders.set(signature, order);
  }
  const sorted: ToolSet = {};
  for (const name of order) sorted[name] = tools[name]!;
  return sorted;
}

// The exposed names of the turn's admin-server tools depend only on the servers' slugs and
// listings: remembered by the listings (the pool hands out the same array until a listing
// changes) and the configs' versions, so a warm turn does not sort and sanitize them again.
const listingIds = new WeakMap<object, number>();
let nextListingId = 0;
const names = new Map<string, Map<string, string>>();

export function exposedNamesOf(
  servers: readonly { row: { id: string; slug: string; version: number }; tools: object }[],
  assign: () => Map<string, string>,
): Map<string, string> {
  const signature = servers
    .map((s) => {
      let id = listingIds.get(s.tools);
      if (id === undefined) {
        id = nextListingId += 1;
        listingIds.set(s.tools, id);
      }
      return `${s.row.id}:${s.row.version}:${s.row.slug}:${id}`;
    })
    .join("\n");
  let assigned = names.get(signature);
  if (assigned === undefined) {
    assigned = assign();
    if (names.size >= MAX_REMEMBERED) names.delete(names.keys().next().value!);
    names.set(signature, assigned);
  }
  return assigned;
}
