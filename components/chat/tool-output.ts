// A tool result, whatever its shape (toolgate's display result, MCP `CallToolResult`, AI SDK
// tool output, plain value), as blocks the tool call can show: text, images, JSON for the rest.
export type OutputBlock =
  | { kind: "text"; text: string }
  | { kind: "image"; src: string; alt: string }
  | { kind: "json"; text: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

// Only inline data becomes an <img>: a URL chosen by a tool would let it track who reads the chat.
const IMAGE_MEDIA_TYPE = /^image\/[a-z0-9.+-]+$/i;
const BASE64 = /^[a-z0-9+/=\s]+$/i;

function imageBlock(data: unknown, mediaType: unknown, alt: string): OutputBlock | null {
  if (typeof data !== "string" || typeof mediaType !== "string") return null;
  if (!IMAGE_MEDIA_TYPE.test(mediaType) || !BASE64.test(data)) return null;
  return { kind: "image", src: `data:${mediaType};base64,${data.replace(/\s/g, "")}`, alt };
}

export const toJson = (value: unknown) => {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
};

function itemBlocks(item: unknown, index: number): OutputBlock[] {
  if (typeof item === "string") return [{ kind: "text", text: item }];
  if (!isRecord(item)) return [{ kind: "json", text: toJson(item) }];
  const alt = `Image ${index + 1} returned by the tool`;
  switch (item.type) {
    case "text":
      if (typeof item.text === "string") return [{ kind: "text", text: item.text }];
      break;
    case "image": {
      // MCP: {type: "image", data, mimeType}
      const img = imageBlock(item.data, item.mimeType ?? item.mediaType, alt);
      if (img) return [img];
      break;
    }
    case "media":
    case "image-data":
    case "file-data": {
      // AI SDK tool output content
      const img = imageBlock(item.data, item.mediaType, alt);
      if (img) return [img];
      if (typeof item.mediaType === "string")
        return [{ kind: "text", text: `[${item.mediaType} data]` }];
      break;
    }
    case "resource": {
      const res = isRecord(item.resource) ? item.resource : {};
      const uri = typeof res.uri === "string" ? res.uri : "resource";
      if (typeof res.text === "string") return [{ kind: "text", text: `${uri}\n${res.text}` }];
      const img = imageBlock(res.blob, res.mimeType, alt);
      if (img) return [img];
      return [{ kind: "text", text: `[binary resource ${uri}]` }];
    }
    case "resource_link": {
      const uri = typeof item.uri === "string" ? item.uri : "";
      const name = typeof item.name === "string" ? item.name : uri;
      return [{ kind: "text", text: name === uri ? `Link: ${uri}` : `Link: ${name} (${uri})` }];
    }
  }
  return [{ kind: "json", text: toJson(item) }];
}

const listBlocks = (items: unknown[]) => items.flatMap((item, i) => itemBlocks(item, i));

export function describeToolOutput(output: unknown): OutputBlock[] {
  if (output === undefined || output === null) return [];
  if (typeof output === "string") return [{ kind: "text", text: output }];
  if (Array.isArray(output)) return listBlocks(output);
  if (!isRecord(output)) return [{ kind: "json", text: toJson(output) }];
  // toolgate's display result: {is_error, text, images?: [{mimeType, bytes, data?}], structured?}
  if (typeof output.text === "string" && !("type" in output)) {
    const blocks: OutputBlock[] = output.text ? [{ kind: "text", text: output.text }] : [];
    const images = Array.isArray(output.images) ? output.images : [];
    images.forEach((img, i) => {
      const meta = isRecord(img) ? img : {};
      const block = imageBlock(meta.data, meta.mimeType, `Image ${i + 1} returned by the tool`);
      // Large images are stored without their data: say so instead of showing nothing.
      blocks.push(
        block ?? { kind: "text", text: `[image ${String(meta.mimeType ?? "")} not shown]` },
      );
    });
    if (blocks.length === 0 && output.structured !== undefined)
      blocks.push({ kind: "json", text: toJson(output.structured) });
    return blocks;
  }
  // AI SDK ToolResultOutput
  if (output.type === "content" && Array.isArray(output.value)) return listBlocks(output.value);
  if ((output.type === "text" || output.type === "error-text") && typeof output.value === "string")
    return [{ kind: "text", text: output.value }];
  if (output.type === "json" || output.type === "error-json")
    return [{ kind: "json", text: toJson(output.value) }];
  // MCP CallToolResult
  if (Array.isArray(output.content)) {
    const blocks = listBlocks(output.content);
    // Servers mirror structured content as text; show it only when there is nothing else.
    if (blocks.length === 0 && output.structuredContent !== undefined)
      return [{ kind: "json", text: toJson(output.structuredContent) }];
    return blocks;
  }
  return [{ kind: "json", text: toJson(output) }];
}

/** A failed call can arrive as a result (`is_error`, MCP's `isError`), not as a tool error. */
export const isErrorOutput = (output: unknown) =>
  isRecord(output) && (output.is_error === true || output.isError === true);
