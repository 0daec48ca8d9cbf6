// node:fs plus globSync for `**/<file name>` patterns (see register.mjs). Any other pattern
// throws, so a suite that starts relying on more of glob fails loudly instead of finding nothing.
import fs from "node:fs";
import path from "node:path";

export * from "node:fs";
export default fs;

export function globSync(pattern, options = {}) {
  const match = /^\*\*\/([^*?[\]{}/]+)$/.exec(String(pattern));
  if (!match) throw new Error(`globSync shim: unsupported pattern ${pattern}`);
  const cwd = options.cwd ?? process.cwd();
  const found = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(cwd, rel), { withFileTypes: true })) {
      const child = rel ? path.join(rel, entry.name) : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.name === match[1]) found.push(child);
    }
  };
  walk("");
  return found;
}
