import type { ReactNode } from "react";
import { ShieldCheckIcon } from "lucide-react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-svh flex-col items-center justify-center gap-6 bg-muted/40 p-6">
      <div className="flex items-center gap-2 text-lg font-semibold">
        <ShieldCheckIcon className="size-6" aria-hidden="true" />
        toolgate
      </div>
      <div className="w-full max-w-sm">{children}</div>
    </main>
  );
}
