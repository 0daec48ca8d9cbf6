// A chat's messages form a tree: each message follows its parent, and messages sharing a parent
// are alternative branches (an edited question, a regenerated answer). The chat shows and
// continues one path, from a root to its leaf (docs/chat-branches.md). Pure: no I/O.

export interface TreeNode {
  id: string;
  parentId: string | null;
}

/**
 * The path from the root to `leafId`, oldest first. `rows` are the chat's messages oldest
 * first; an unknown or null leaf falls back to the newest message.
 */
export function activePath<T extends TreeNode>(rows: readonly T[], leafId: string | null): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  let node = (leafId !== null ? byId.get(leafId) : undefined) ?? rows.at(-1);
  const path: T[] = [];
  const seen = new Set<string>();
  while (node && !seen.has(node.id)) {
    seen.add(node.id);
    path.push(node);
    node = node.parentId !== null ? byId.get(node.parentId) : undefined;
  }
  return path.reverse();
}

/** Each message's alternatives, itself included, oldest first (keyed by message id). */
export function siblingIds(rows: readonly TreeNode[]): Map<string, string[]> {
  const groups = new Map<string | null, string[]>();
  for (const r of rows) {
    const group = groups.get(r.parentId) ?? [];
    group.push(r.id);
    groups.set(r.parentId, group);
  }
  return new Map(rows.map((r) => [r.id, groups.get(r.parentId)!]));
}

/**
 * The leaf reached from `id` by following the newest reply at each step: switching to a branch
 * shows it as it was last continued.
 */
export function newestLeafFrom(rows: readonly TreeNode[], id: string): string {
  const newestChild = new Map<string, string>();
  // Oldest first: a later row overwrites, so the map holds the newest reply.
  for (const r of rows) if (r.parentId !== null) newestChild.set(r.parentId, r.id);
  let leaf = id;
  const seen = new Set<string>();
  while (newestChild.has(leaf) && !seen.has(leaf)) {
    seen.add(leaf);
    leaf = newestChild.get(leaf)!;
  }
  return leaf;
}
