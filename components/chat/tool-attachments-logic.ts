// What a tool result shows beside its row, whatever the viewer: links and embedded resources
// (stored as `resources` in toolgate's display result, lib/mcp/tool-resources.ts), read back
// defensively since a stored part may come from an older or newer version.
import type { DisplayResource } from "@/lib/mcp/tool-resources";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined;

function resourceOf(item: unknown): DisplayResource | null {
  if (!isRecord(item)) return null;
  const uri = str(item.uri);
  if (uri === undefined) return null;
  const mimeType = str(item.mimeType);
  const mime = mimeType !== undefined ? { mimeType } : {};
  switch (item.kind) {
    case "link": {
      const title = str(item.title);
      const description = str(item.description);
      const size = num(item.size);
      return {
        kind: "link",
        uri,
        name: str(item.name) ?? uri,
        ...(title !== undefined && { title }),
        ...(description !== undefined && { description }),
        ...mime,
        ...(size !== undefined && { size }),
      };
    }
    case "text": {
      const text = str(item.text);
      if (text === undefined) return null;
      return {
        kind: "text",
        uri,
        ...mime,
        text,
        ...(item.truncated === true && { truncated: true }),
      };
    }
    case "blob": {
      const bytes = num(item.bytes);
      const data = str(item.data);
      return {
        kind: "blob",
        uri,
        ...mime,
        ...(bytes !== undefined && { bytes }),
        ...(data !== undefined && { data }),
      };
    }
    default:
      return null;
  }
}

/** The links and embedded resources of a tool output (toolgate's display result only). */
export function resourcesOf(output: unknown): DisplayResource[] {
  if (!isRecord(output) || !Array.isArray(output.resources)) return [];
  return output.resources.map(resourceOf).filter((r): r is DisplayResource => r !== null);
}

/**
 * The address a link may open: only http(s), so a tool cannot make a click run `javascript:`
 * or open a local file. Other schemes (`file:`, `test:`, custom ones) are shown as text.
 */
export function openableUrl(uri: string): string | null {
  try {
    const url = new URL(uri);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A short name for a resource: the last segment of its URI's path, else the URI. */
export function resourceName(uri: string): string {
  // Without the scheme and authority: "test://" has no name of its own.
  const path = (uri.split(/[?#]/, 1)[0] ?? uri).replace(/^[a-z][a-z0-9+.-]*:(\/\/[^/]*)?/i, "");
  const last = path
    .split("/")
    .filter((s) => s !== "")
    .at(-1);
  if (last === undefined) return uri;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** A file name safe to offer for a download of an embedded binary. */
export function downloadName(uri: string): string {
  const cleaned = resourceName(uri)
    .replace(/[^A-Za-z0-9._ -]+/g, "_")
    .replace(/^[.\s]+/, "")
    .slice(0, 100);
  return cleaned === "" ? "resource" : cleaned;
}
