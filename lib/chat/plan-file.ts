// Where a chat's plan lives inside its workspace, and what a plan may be. Pure: shared by the
// workspace file tools (which confine plan-mode writes to this file) and the plan tools.

/** The directory of plan files, relative to the workspace root. */
export const PLAN_DIR = ".toolgate/plans";

/** Plans are Markdown and at most this many bytes (UTF-8). */
export const PLAN_MAX_BYTES = 32 * 1024;

/** The chat's plan file, relative to the workspace root: `.toolgate/plans/<chatId>.md`. */
export function planFilePath(chatId: string): string {
  if (!/^[0-9a-fA-F-]{1,64}$/.test(chatId)) throw new Error(`not a chat id: ${chatId}`);
  return `${PLAN_DIR}/${chatId.toLowerCase()}.md`;
}

/**
 * A path as a model wrote it, normalised to one relative to the workspace root: `./x`, `x/`,
 * repeated slashes and, when `workspaceDir` is given, an absolute path inside it. Undefined
 * for anything that leaves the root lexically (`..`, another absolute path).
 */
export function normalizeWorkspacePath(input: string, workspaceDir?: string): string | undefined {
  let p = input.trim().replace(/\\/g, "/");
  if (p.startsWith("/")) {
    const root = workspaceDir?.replace(/\/+$/, "");
    if (!root || (p !== root && !p.startsWith(`${root}/`))) return undefined;
    p = p.slice(root.length);
  }
  const parts: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.length === 0 ? "." : parts.join("/");
}

/** Why `content` cannot be a plan, or undefined when it can. */
export function planContentProblem(content: string): string | undefined {
  const bytes = new TextEncoder().encode(content).length;
  if (bytes > PLAN_MAX_BYTES) {
    return `The plan is ${bytes} bytes; a plan may be at most ${PLAN_MAX_BYTES} bytes (32 KiB). Shorten it.`;
  }
  if (content.includes("\0")) return "The plan must be Markdown text, not binary data.";
  return undefined;
}
