#!/usr/bin/env node
// A minimal MCP server over stdio (newline-delimited JSON-RPC 2.0), with no dependencies so
// it runs in a fresh workspace offline. Tools: add_note, list_notes; notes live in NOTES.md.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const NOTES_FILE = "NOTES.md";
const VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

const tools = [
  {
    name: "add_note",
    description: "Appends a note to NOTES.md in the workspace.",
    inputSchema: {
      type: "object",
      properties: { text: { type: "string", description: "The note" } },
      required: ["text"],
    },
  },
  {
    name: "list_notes",
    description: "Returns the notes saved in NOTES.md.",
    inputSchema: { type: "object", properties: {} },
    annotations: { readOnlyHint: true },
  },
];

function readNotes() {
  if (!existsSync(NOTES_FILE)) return [];
  return readFileSync(NOTES_FILE, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("- "))
    .map((line) => line.slice(2));
}

function callTool(name, args) {
  if (name === "add_note") {
    if (typeof args.text !== "string" || args.text.trim() === "") {
      return {
        content: [{ type: "text", text: "text must be a non-empty string" }],
        isError: true,
      };
    }
    appendFileSync(NOTES_FILE, `- ${args.text.replace(/\s+/g, " ").trim()}\n`);
    return { content: [{ type: "text", text: `Saved. ${readNotes().length} note(s) in total.` }] };
  }
  if (name === "list_notes") {
    const notes = readNotes();
    return { content: [{ type: "text", text: notes.length ? notes.join("\n") : "No notes yet." }] };
  }
  return undefined;
}

function handle(message) {
  const { method, params = {} } = message;
  switch (method) {
    case "initialize":
      return {
        protocolVersion: VERSIONS.includes(params.protocolVersion)
          ? params.protocolVersion
          : VERSIONS[0],
        capabilities: { tools: {} },
        serverInfo: { name: "notes", version: "1.0.0" },
      };
    case "ping":
      return {};
    case "tools/list":
      return { tools };
    case "tools/call": {
      const result = callTool(params.name, params.arguments ?? {});
      if (result) return result;
      throw Object.assign(new Error(`Unknown tool: ${params.name}`), { code: -32602 });
    }
    default:
      throw Object.assign(new Error(`Method not found: ${method}`), { code: -32601 });
  }
}

function send(message) {
  process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
}

createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() === "") return;
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    send({ id: null, error: { code: -32700, message: "Parse error" } });
    return;
  }
  // Notifications (no id) need no answer; this server never sends requests of its own.
  if (message.id === undefined || typeof message.method !== "string") return;
  try {
    send({ id: message.id, result: handle(message) });
  } catch (err) {
    send({ id: message.id, error: { code: err.code ?? -32603, message: err.message } });
  }
});
