import type { ReactNode } from "react";
import { ShieldAlertIcon } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePageCaller } from "@/lib/auth/page";

// The API checks the role again on every call; this only spares members a broken page.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const caller = await requirePageCaller();
  if (caller.role !== "admin") {
    return (
      <div className="mx-auto max-w-xl py-12">
        <EmptyState
          titleAs="h1"
          icon={<ShieldAlertIcon />}
          title="Admins only"
          description="You need the admin role to open this page. Ask an administrator if you need access."
        />
      </div>
    );
  }
  return children;
}
