/**
 * Resource links and embedded resources of a tool result (MCP 2025-11-25 `resource_link` and
 * `resource` content), as the chat shows them: a card per link, a viewer per embedded text, a
 * size note (and, when small, a download) per embedded binary. The model gets the text the
 * adapter writes (lib/mcp/tool-adapter.ts); these are the person's view, stored with the call
 * so a reloaded chat shows what the live one did. Pure, never throws on malformed parts.
 */

/** Embedded text kept for the viewer, over all resources of one result. */
export const MAX_DISPLAY_RESOURCE_TEXT_CHARS = 100_000;
/** Embedded binaries at most this large (decoded) keep their data for a download. */
export const MAX_DISPLAY_BLOB_BYTES = 64 * 1024;
/** Cards shown per result; the model still reads every one. */
export const MAX_DISPLAY_RESOURCES = 50;
const MAX_FIELD_CHARS = 1_000;

export type DisplayResource =
  | {
      kind: "link";
      uri: string;
      name: string;
      title?: string;
      description?: string;
      mimeType?: string;
      size?: number;
    }
  | { kind: "text"; uri: string; mimeType?: string; text: string; truncated?: boolean }
  | { kind: "blob"; uri: string; mimeType?: string; bytes?: number; data?: string };

type JsonObject = Record<string, unknown>;

function field(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  return trimmed.length > MAX_FIELD_CHARS ? `${trimmed.slice(0, MAX_FIELD_CHARS - 1)}…` : trimmed;
}

/** Collects the display resources of one result within the caps above. */
export class ResourceCollector {
  readonly resources: DisplayResource[] = [];
  private textBudget = MAX_DISPLAY_RESOURCE_TEXT_CHARS;

  private add(resource: DisplayResource): void {
    if (this.resources.length < MAX_DISPLAY_RESOURCES) this.resources.push(resource);
  }

  /** A `resource_link` part; returns the model's text for it. */
  link(part: JsonObject): string {
    const uri = field(part.uri) ?? "(no uri)";
    const name = field(part.name) ?? "";
    const title = field(part.title);
    const description = field(part.description);
    const mimeType = field(part.mimeType);
    const size =
      typeof part.size === "number" && Number.isFinite(part.size) ? part.size : undefined;
    this.add({
      kind: "link",
      uri,
      name: name === "" ? uri : name,
      ...(title !== undefined && { title }),
      ...(description !== undefined && { description }),
      ...(mimeType !== undefined && { mimeType }),
      ...(size !== undefined && { size }),
    });
    const label = [title ?? (name === "" ? undefined : name), mimeType]
      .filter((s) => s !== undefined)
      .join(", ");
    return `Resource link ${uri}${label === "" ? "" : ` (${label})`}${description === undefined ? "" : `: ${description}`}`;
  }

  /** An embedded text resource. */
  text(resource: JsonObject, text: string): void {
    const uri = field(resource.uri) ?? "(no uri)";
    const mimeType = field(resource.mimeType);
    const kept = text.slice(0, Math.max(0, this.textBudget));
    this.textBudget -= kept.length;
    this.add({
      kind: "text",
      uri,
      ...(mimeType !== undefined && { mimeType }),
      text: kept,
      ...(kept.length < text.length && { truncated: true }),
    });
  }

  /** An embedded binary resource that is not an image (images are shown as images). */
  blob(resource: JsonObject, bytes: number | undefined): void {
    const uri = field(resource.uri) ?? "(no uri)";
    const mimeType = field(resource.mimeType);
    const small = bytes !== undefined && bytes <= MAX_DISPLAY_BLOB_BYTES;
    this.add({
      kind: "blob",
      uri,
      ...(mimeType !== undefined && { mimeType }),
      ...(bytes !== undefined && { bytes }),
      ...(small &&
        typeof resource.blob === "string" && { data: resource.blob.replace(/\s+/g, "") }),
    });
  }
}
