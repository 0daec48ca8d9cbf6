import { route } from "@/lib/api/route";
import { exportToolCalls } from "@/lib/chat/tool-audit-api";
import { exportToolAuditQuery } from "@/lib/schemas/approvals";

/** The filtered audit as a download, streamed from the database (JSONL by default, or CSV). */
export const GET = route({
  access: "admin",
  query: exportToolAuditQuery,
  async handler({ db, query }) {
    const { format, ...filter } = query;
    const stamp = new Date().toISOString().slice(0, 10);
    return new Response(exportToolCalls(db, filter, format), {
      headers: {
        "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
        "Content-Disposition": `attachment; filename="tool-calls-${stamp}.${format}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
});
