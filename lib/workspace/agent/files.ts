// File operations of the agent: read (line window, capped), write, exact-match edit, list.
import fs from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { AgentError } from "./http";
import { isDirectory, pathOutside, READ_FLAGS, WRITE_FLAGS, type WorkspaceRoot } from "./paths";
import type { editBody, listBody, readBody, writeBody } from "./schemas";

export const READ_CAP_BYTES = 256 * 1024;
export const EDIT_MAX_FILE_BYTES = 8 * 1024 * 1024;
export const LIST_MAX_ENTRIES = 2000;

function binaryFile(rel: string): AgentError {
  return new AgentError(400, "workspace.binary_file", `${rel} looks like a binary file.`);
}

function notAFile(rel: string): AgentError {
  return new AgentError(400, "workspace.not_a_file", `${rel} is not a regular file.`);
}

export async function readWorkspaceFile(root: WorkspaceRoot, body: z.output<typeof readBody>) {
  const file = await root.resolveExisting(body.path);
  if (file.stat.isDirectory()) throw isDirectory(file.rel);
  if (!file.stat.isFile()) throw notAFile(file.rel);
  const offset = body.offset ?? 1;
  const limit = body.limit ?? Number.POSITIVE_INFINITY;

  const handle = await fs.open(file.abs, READ_FLAGS);
  const lines: string[] = [];
  let bytes = 0;
  let lineNo = 0;
  let capped = false as boolean;
  let hasMore = false as boolean;
  let pending = "";
  let first = true;
  try {
    const stream = handle.createReadStream({ encoding: "utf8", autoClose: false });
    // Splits on "\n" only, so "\r" stays in the text and edits can match it exactly.
    const take = (line: string): boolean => {
      lineNo += 1;
      if (lineNo < offset) return true;
      if (lines.length >= limit) {
        hasMore = true;
        return false;
      }
      const shown = body.line_numbers ? `${String(lineNo).padStart(6)}\t${line}` : line;
      const size = Buffer.byteLength(shown) + 1;
      if (bytes + size > READ_CAP_BYTES) {
        capped = true;
        hasMore = true;
        if (lines.length === 0) lines.push(shown.slice(0, READ_CAP_BYTES / 4));
        return false;
      }
      bytes += size;
      lines.push(shown);
      return true;
    };
    outer: for await (const chunk of stream) {
      const text = chunk as string;
      if (first && text.slice(0, 8192).includes("\0")) throw binaryFile(file.rel);
      first = false;
      pending += text;
      let index = pending.indexOf("\n");
      while (index !== -1) {
        if (!take(pending.slice(0, index))) break outer;
        pending = pending.slice(index + 1);
        index = pending.indexOf("\n");
      }
    }
    if (!hasMore && pending !== "") take(pending);
    stream.destroy();
  } finally {
    await handle.close();
  }

  const startLine = Math.min(offset, lineNo + 1);
  const endLine = startLine + lines.length - 1;
  let content = lines.join("\n");
  if (capped) {
    content += `\n[toolgate: output truncated at ${READ_CAP_BYTES} bytes; read on with offset=${endLine + 1}]`;
  }
  return {
    path: file.rel,
    content,
    start_line: startLine,
    end_line: endLine,
    has_more: hasMore,
    ...(hasMore && { next_offset: endLine + 1 }),
    truncated: capped,
    size: file.stat.size,
  };
}

export async function writeWorkspaceFile(root: WorkspaceRoot, body: z.output<typeof writeBody>) {
  if (body.no_symlinks) await root.refuseSymlinkedParents(body.path);
  const target = await root.resolveForWrite(body.path, { createDirs: body.create_dirs ?? false });
  // Checked again after the directories were created: the target must be the lexical path.
  if (body.no_symlinks && target.abs !== root.lexical(body.path)) {
    throw pathOutside("path", "goes through a symbolic link; refused");
  }
  const data = Buffer.from(body.content, "utf8");
  const handle = await fs.open(target.abs, WRITE_FLAGS, 0o644);
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
  return { path: target.rel, bytes_written: data.length, created: !target.exists };
}

function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at === -1) return count;
    count += 1;
    from = at + needle.length;
  }
}

export async function editWorkspaceFile(root: WorkspaceRoot, body: z.output<typeof editBody>) {
  const target = await root.resolveForWrite(body.path, { createDirs: false });
  if (!target.exists) {
    throw new AgentError(
      404,
      "workspace.not_found",
      `${target.rel} does not exist in the workspace.`,
    );
  }
  const handle = await fs.open(target.abs, READ_FLAGS);
  let original: string;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw notAFile(target.rel);
    if (stat.size > EDIT_MAX_FILE_BYTES) {
      throw new AgentError(
        400,
        "workspace.file_too_large",
        `${target.rel} is larger than ${EDIT_MAX_FILE_BYTES} bytes; rewrite it with write instead.`,
      );
    }
    original = await handle.readFile({ encoding: "utf8" });
  } finally {
    await handle.close();
  }
  if (original.slice(0, 8192).includes("\0")) throw binaryFile(target.rel);

  // All edits apply in memory first: one failing edit leaves the file untouched.
  let content = original;
  const replacements: number[] = [];
  body.edits.forEach((edit, i) => {
    const field = `edits[${i}].old_text`;
    const count = countOccurrences(content, edit.old_text);
    if (count === 0) {
      throw new AgentError(
        400,
        "workspace.edit_not_found",
        `${field} was not found in ${target.rel} (after applying the earlier edits); copy the text exactly, including whitespace.`,
        [{ field, detail: "not found" }],
      );
    }
    if (count > 1 && edit.replace_all !== true) {
      throw new AgentError(
        400,
        "workspace.edit_ambiguous",
        `${field} matches ${count} places in ${target.rel}; add surrounding text to make it unique or set replace_all.`,
        [{ field, detail: `matches ${count} places` }],
      );
    }
    if (edit.replace_all === true) {
      content = content.split(edit.old_text).join(edit.new_text);
    } else {
      const at = content.indexOf(edit.old_text);
      content = content.slice(0, at) + edit.new_text + content.slice(at + edit.old_text.length);
    }
    replacements.push(count);
  });

  const data = Buffer.from(content, "utf8");
  const out = await fs.open(target.abs, WRITE_FLAGS, 0o644);
  try {
    await out.writeFile(data);
  } finally {
    await out.close();
  }
  return { path: target.rel, replacements, bytes_written: data.length };
}

type EntryType = "file" | "directory" | "symlink" | "other";

export async function listWorkspaceDir(root: WorkspaceRoot, body: z.output<typeof listBody>) {
  const dir = await root.resolveDirectory(body.path ?? ".");
  const maxDepth = body.depth ?? 1;
  const entries: Array<{ path: string; type: EntryType; size?: number }> = [];
  let truncated = false;

  // Symlinks are listed, never followed: a link to outside must not widen the listing.
  const walk = async (abs: string, relBase: string, depth: number): Promise<void> => {
    const children = await fs.readdir(abs, { withFileTypes: true });
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      if (entries.length >= LIST_MAX_ENTRIES) {
        truncated = true;
        return;
      }
      const rel = relBase === "." ? child.name : path.posix.join(relBase, child.name);
      const childAbs = path.join(abs, child.name);
      if (child.isSymbolicLink()) {
        entries.push({ path: rel, type: "symlink" });
      } else if (child.isDirectory()) {
        entries.push({ path: rel, type: "directory" });
        if (depth < maxDepth) await walk(childAbs, rel, depth + 1);
      } else if (child.isFile()) {
        const stat = await fs.lstat(childAbs).catch(() => undefined);
        entries.push({ path: rel, type: "file", ...(stat && { size: stat.size }) });
      } else {
        entries.push({ path: rel, type: "other" });
      }
    }
  };
  await walk(dir.abs, dir.rel, 1);
  return { path: dir.rel, entries, truncated };
}
