// Workspace templates: named starting points copied into a new workspace directory. Each
// template is a folder beside this file, named in manifest.json with a one-line description.
// Pure node:fs, no server-only imports, so the app and the agent can both use it.
import fs from "node:fs/promises";
import path from "node:path";

export interface TemplateInfo {
  name: string;
  description: string;
}

export interface TemplateFile {
  path: string;
  content: string;
}

/** Files larger than this are listed by read_template but their content is left out. */
const READ_MAX_FILE_BYTES = 64 * 1024;

/**
 * Where the templates live. Resolved from the working directory (the project root under
 * `next start`, `tsx` and Vitest) rather than import.meta.url, which bundlers rewrite;
 * TOOLGATE_TEMPLATES_DIR overrides it for deployments that move the files.
 */
export function templatesDir(): string {
  return (
    process.env.TOOLGATE_TEMPLATES_DIR ?? path.join(process.cwd(), "lib", "workspace", "templates")
  );
}

export class TemplateNotFoundError extends Error {
  override name = "TemplateNotFoundError";
  constructor(readonly template: string) {
    super(`There is no workspace template named ${JSON.stringify(template)}.`);
  }
}

export async function listTemplates(root = templatesDir()): Promise<TemplateInfo[]> {
  const raw = JSON.parse(await fs.readFile(path.join(root, "manifest.json"), "utf8")) as {
    templates?: unknown;
  };
  if (!Array.isArray(raw.templates)) throw new Error("templates manifest has no templates list");
  return raw.templates.map((entry: unknown) => {
    const { name, description } = (entry ?? {}) as Record<string, unknown>;
    if (typeof name !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(name)) {
      throw new Error(`templates manifest has an invalid name: ${JSON.stringify(name)}`);
    }
    if (typeof description !== "string") throw new Error(`template ${name} has no description`);
    return { name, description };
  });
}

async function templatePath(name: string, root: string): Promise<TemplateInfo & { dir: string }> {
  // Only names from the manifest are accepted, so a name can never walk out of the folder.
  const info = (await listTemplates(root)).find((t) => t.name === name);
  if (!info) throw new TemplateNotFoundError(name);
  return { ...info, dir: path.join(root, info.name) };
}

/** Relative paths of the template's regular files; symlinks are never part of a template. */
async function walk(dir: string, base = ""): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(path.join(dir, base), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const rel = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await walk(dir, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** The template's files with their text, for showing a template before creating from it. */
export async function readTemplate(
  name: string,
  root = templatesDir(),
): Promise<TemplateInfo & { files: Array<TemplateFile | { path: string; size: number }> }> {
  const { dir, ...info } = await templatePath(name, root);
  const files: Array<TemplateFile | { path: string; size: number }> = [];
  for (const rel of await walk(dir)) {
    const stat = await fs.stat(path.join(dir, rel));
    if (stat.size > READ_MAX_FILE_BYTES) files.push({ path: rel, size: stat.size });
    else files.push({ path: rel, content: await fs.readFile(path.join(dir, rel), "utf8") });
  }
  return { ...info, files };
}

/**
 * Copies a template into destDir, which must not exist yet or be empty. Returns the copied
 * files' relative paths.
 */
export async function copyTemplate(
  name: string,
  destDir: string,
  root = templatesDir(),
): Promise<string[]> {
  const { dir } = await templatePath(name, root);
  await fs.mkdir(destDir, { recursive: true });
  if ((await fs.readdir(destDir)).length > 0) {
    throw new Error(`${destDir} is not empty; a template is only copied into an empty directory`);
  }
  const files = await walk(dir);
  for (const rel of files) {
    const target = path.join(destDir, rel);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.copyFile(path.join(dir, rel), target, fs.constants.COPYFILE_EXCL);
    const mode = (await fs.stat(path.join(dir, rel))).mode & 0o777;
    await fs.chmod(target, mode);
  }
  return files;
}
