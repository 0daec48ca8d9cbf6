// The workspace routes' response shapes, for the browser; defined in lib/workspace/wire.ts.
export type * from "@/lib/workspace/wire";
