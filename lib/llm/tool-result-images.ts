import "server-only";
// Images in tool results for OpenAI chat completions. That API takes only text in a `tool`
// message (the AI SDK's openai-compatible provider would send an image as base64 inside JSON
// text), but takes images in a `user` message. So for a model that accepts image input, each
// image of a tool result moves to one user message right after the turn's tool messages,
// labelled with the call it came from; the tool message keeps the text, which already says
// "[image …, attached]". Other results pass through untouched.
import type { LanguageModelMiddleware } from "ai";

type CallParams = Parameters<NonNullable<LanguageModelMiddleware["transformParams"]>>[0]["params"];
type Prompt = CallParams["prompt"];
type Message = Prompt[number];
type ToolMessage = Extract<Message, { role: "tool" }>;
type UserPart = Extract<Message, { role: "user" }>["content"][number];

interface Moved {
  rest: ToolMessage["content"][number];
  images: UserPart[];
}

function moveImages(part: ToolMessage["content"][number]): Moved {
  if (part.type !== "tool-result" || part.output.type !== "content")
    return { rest: part, images: [] };
  const texts: string[] = [];
  const images: UserPart[] = [];
  for (const item of part.output.value) {
    if (item.type === "text") texts.push(item.text);
    else if (
      item.type === "image-data" ||
      (item.type === "file-data" && item.mediaType.startsWith("image/"))
    ) {
      images.push({ type: "file", data: item.data, mediaType: item.mediaType });
    } else {
      return { rest: part, images: [] }; // something this move does not understand: leave it all
    }
  }
  if (images.length === 0) return { rest: part, images: [] };
  const rest: typeof part = {
    ...part,
    output: { type: "text", value: texts.join("\n") },
  };
  const label = `Image${images.length === 1 ? "" : "s"} returned by the ${part.toolName} call ${part.toolCallId}:`;
  return { rest, images: [{ type: "text", text: label }, ...images] };
}

/** The prompt with tool-result images moved into user messages (see above). */
export function moveToolResultImages(prompt: Prompt): Prompt {
  const out: Prompt = [];
  let pending: UserPart[] = [];
  const flush = () => {
    if (pending.length > 0) out.push({ role: "user", content: pending });
    pending = [];
  };
  for (const message of prompt) {
    if (message.role !== "tool") {
      flush();
      out.push(message);
      continue;
    }
    const moved = message.content.map(moveImages);
    pending.push(...moved.flatMap((m) => m.images));
    out.push({ ...message, content: moved.map((m) => m.rest) });
  }
  flush();
  return out;
}

export const toolResultImagesAsUserMessages: LanguageModelMiddleware = {
  specificationVersion: "v3",
  transformParams: async ({ params }) => ({
    ...params,
    prompt: moveToolResultImages(params.prompt),
  }),
};
