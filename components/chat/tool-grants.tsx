"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ShieldCheckIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/client/api";
import { approvalQueryKeys, chatGrantsQuery, revokeGrant } from "@/lib/client/approval-queries";
import type { McpServerConfig } from "@/lib/client/types";
import { timeLeft } from "./approval-logic";

/**
 * Tools the person allowed in this chat for a while: each with its time left and a revoke
 * button. Shown only while at least one grant is in force.
 */
export function ToolGrants({
  chatId,
  servers,
}: {
  chatId: string;
  servers: readonly McpServerConfig[];
}) {
  const qc = useQueryClient();
  const grants = useQuery({ ...chatGrantsQuery(chatId), refetchInterval: 60_000 });
  const revoke = useMutation({
    mutationFn: (grantId: string) => revokeGrant(chatId, grantId),
    onSuccess: () => void qc.invalidateQueries({ queryKey: approvalQueryKeys.grants(chatId) }),
    onError: (err) => toast.error(errorMessage(err)),
  });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const active = (grants.data ?? []).filter((g) => Date.parse(g.expires_at) > now);
  if (active.length === 0) return null;
  return (
    <section
      aria-label="Tools allowed in this chat"
      className="mb-2 flex flex-col gap-1 rounded-md border bg-muted/40 px-3 py-2 text-xs"
    >
      {active.map((g) => {
        const server = servers.find((s) => s.id === g.server_id);
        return (
          <div key={g.id} className="flex items-center gap-2" data-testid="tool-grant">
            <ShieldCheckIcon aria-hidden="true" className="size-3.5 text-emerald-600" />
            <span className="min-w-0 flex-1 truncate">
              <code>{g.tool_name}</code>
              {server ? ` on ${server.display_name}` : ""} runs without asking ·{" "}
              {timeLeft(g.expires_at, now)}
            </span>
            <Button
              type="button"
              size="sm"
              variant="ghost"
              className="h-6 px-2 text-xs"
              disabled={revoke.isPending}
              aria-label={`Revoke the permission for ${g.tool_name}`}
              onClick={() => revoke.mutate(g.id)}
            >
              Revoke
            </Button>
          </div>
        );
      })}
    </section>
  );
}
