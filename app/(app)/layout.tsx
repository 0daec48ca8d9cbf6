import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageCaller } from "@/lib/auth/page";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const caller = await requirePageCaller();
  return (
    <AppShell user={{ name: caller.name, email: caller.email, role: caller.role }}>
      {children}
    </AppShell>
  );
}
