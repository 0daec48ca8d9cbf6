// Confines every path a client names to the workspace directory. Lexical checks catch `..`
// and absolute paths; realpath on the parent and the target catches symlinks that lead out.
// Writes never go through a symlink (and open with O_NOFOLLOW, so a swap after the check
// fails instead of escaping).
import { constants } from "node:fs";
import fs from "node:fs/promises";
import type { Stats } from "node:fs";
import path from "node:path";
import { AgentError } from "./http";

export function pathOutside(field: string, detail: string): AgentError {
  return new AgentError(400, "workspace.path_outside", `${field} ${detail}.`, [{ field, detail }]);
}

export function notFound(rel: string): AgentError {
  return new AgentError(404, "workspace.not_found", `${rel} does not exist in the workspace.`);
}

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

export interface ResolvedPath {
  /** Real absolute path. */
  abs: string;
  /** Path relative to the workspace root, as shown to clients. */
  rel: string;
}

export class WorkspaceRoot {
  private constructor(readonly root: string) {}

  static async open(dir: string): Promise<WorkspaceRoot> {
    const root = await fs.realpath(dir);
    const stat = await fs.stat(root);
    if (!stat.isDirectory()) throw new Error(`${dir} is not a directory`);
    return new WorkspaceRoot(root);
  }

  contains(real: string): boolean {
    if (real === this.root) return true;
    const prefix = this.root.endsWith(path.sep) ? this.root : this.root + path.sep;
    return real.startsWith(prefix);
  }

  relative(abs: string): string {
    return path.relative(this.root, abs) || ".";
  }

  /** The lexical absolute path of a client path; refuses absolute paths and `..` escapes. */
  lexical(rel: string, field = "path"): string {
    if (rel.includes("\0")) throw pathOutside(field, "must not contain NUL bytes");
    if (path.isAbsolute(rel)) throw pathOutside(field, "must be relative to the workspace");
    const abs = path.resolve(this.root, rel);
    if (!this.contains(abs)) throw pathOutside(field, "leads outside the workspace");
    return abs;
  }

  /**
   * Refuses a path when any existing directory on it is a symlink, even one staying inside:
   * a plan-mode write to the plan file must land exactly there, not wherever a link planted in
   * an earlier turn points.
   */
  async refuseSymlinkedParents(rel: string, field = "path"): Promise<void> {
    const lexical = this.lexical(rel, field);
    let current = this.root;
    for (const part of path.relative(this.root, path.dirname(lexical)).split(path.sep)) {
      if (part === "" || part === ".") continue;
      current = path.join(current, part);
      let stat: Stats;
      try {
        stat = await fs.lstat(current);
      } catch (err) {
        if (errnoCode(err) === "ENOENT") return;
        throw err;
      }
      if (stat.isSymbolicLink()) throw pathOutside(field, "goes through a symbolic link; refused");
    }
  }

  /** An existing path, symlinks followed, as long as the target stays inside. */
  async resolveExisting(rel: string, field = "path"): Promise<ResolvedPath & { stat: Stats }> {
    const lexical = this.lexical(rel, field);
    let real: string;
    try {
      real = await fs.realpath(lexical);
    } catch (err) {
      const code = errnoCode(err);
      if (code !== "ENOENT" && code !== "ENOTDIR" && code !== "ELOOP") throw err;
      await this.explainMissing(lexical, field);
      throw notFound(this.relative(lexical));
    }
    if (!this.contains(real))
      throw pathOutside(field, "resolves through a symlink outside the workspace");
    return { abs: real, rel: this.relative(lexical), stat: await fs.stat(real) };
  }

  /** An existing directory inside the workspace (used for list and cwd). */
  async resolveDirectory(rel: string, field = "path"): Promise<ResolvedPath> {
    const resolved = await this.resolveExisting(rel, field);
    if (!resolved.stat.isDirectory()) {
      throw new AgentError(
        400,
        "workspace.not_a_directory",
        `${resolved.rel} is not a directory.`,
        [{ field, detail: "is not a directory" }],
      );
    }
    return resolved;
  }

  /**
   * Where a write may go: the parent's real path must be inside, the final component must not
   * be a symlink or a directory. With createDirs the missing parents are created first.
   */
  async resolveForWrite(
    rel: string,
    options: { createDirs: boolean; field?: string },
  ): Promise<ResolvedPath & { exists: boolean }> {
    const field = options.field ?? "path";
    const lexical = this.lexical(rel, field);
    if (lexical === this.root) throw isDirectory(".");
    const shown = this.relative(lexical);
    const parent = path.dirname(lexical);
    let realParent: string;
    try {
      realParent = await fs.realpath(parent);
    } catch (err) {
      if (errnoCode(err) !== "ENOENT") throw err;
      await this.explainMissing(parent, field);
      if (!options.createDirs) {
        throw new AgentError(
          404,
          "workspace.parent_missing",
          `The directory of ${shown} does not exist; pass create_dirs: true to create it.`,
        );
      }
      await fs.mkdir(parent, { recursive: true });
      realParent = await fs.realpath(parent);
    }
    if (!this.contains(realParent)) {
      throw pathOutside(field, "resolves through a symlink outside the workspace");
    }
    const target = path.join(realParent, path.basename(lexical));
    let stat: Stats | undefined;
    try {
      stat = await fs.lstat(target);
    } catch (err) {
      if (errnoCode(err) !== "ENOENT") throw err;
    }
    if (stat?.isSymbolicLink()) {
      throw pathOutside(field, "is a symbolic link; writing through symlinks is refused");
    }
    if (stat?.isDirectory()) throw isDirectory(shown);
    return { abs: target, rel: shown, exists: stat !== undefined };
  }

  /**
   * A path that does not resolve: say "outside" when it is a dangling symlink pointing out or
   * when its nearest existing ancestor is outside, so a missing file never reveals more.
   */
  private async explainMissing(lexical: string, field: string): Promise<void> {
    try {
      const stat = await fs.lstat(lexical);
      if (stat.isSymbolicLink()) {
        const target = await fs.readlink(lexical);
        const dir = await this.nearestReal(path.dirname(lexical));
        if (!this.contains(path.resolve(dir, target))) {
          throw pathOutside(field, "is a symlink pointing outside the workspace");
        }
      }
    } catch (err) {
      if (err instanceof AgentError) throw err;
    }
    const ancestor = await this.nearestReal(path.dirname(lexical));
    if (!this.contains(ancestor)) {
      throw pathOutside(field, "resolves through a symlink outside the workspace");
    }
  }

  private async nearestReal(abs: string): Promise<string> {
    let current = abs;
    for (;;) {
      try {
        return await fs.realpath(current);
      } catch {
        const up = path.dirname(current);
        if (up === current) return current;
        current = up;
      }
    }
  }
}

export function isDirectory(rel: string): AgentError {
  return new AgentError(400, "workspace.is_directory", `${rel} is a directory.`);
}

/** Flags for writing a file that must never follow a symlink planted after the check. */
export const WRITE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
export const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;
