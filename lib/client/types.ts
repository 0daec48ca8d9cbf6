// The API's response shapes, for the browser. Each is defined beside the server code that
// produces it (lib/<area>/wire.ts); this file only gathers them, so components keep one import.
// Server code imports the wire files directly, never lib/client.
export type * from "@/lib/auth/wire";
export type * from "@/lib/chat/wire";
export type * from "@/lib/mcp-config/wire";
export type * from "@/lib/model-providers/wire";
