import type { Metadata } from "next";
import { ToolAuditAdmin } from "@/components/admin/audit/tool-audit-admin";

export const metadata: Metadata = { title: "Audit" };

export default function AuditPage() {
  return <ToolAuditAdmin />;
}
