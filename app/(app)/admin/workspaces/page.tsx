import type { Metadata } from "next";
import { WorkspacesAdmin } from "@/components/admin/workspaces/workspaces-admin";

export const metadata: Metadata = { title: "Workspaces" };

export default function WorkspacesPage() {
  return <WorkspacesAdmin />;
}
