import type { Metadata } from "next";
import { ConnectionsCard } from "@/components/connections/connections-card";
import { ApiTokensCard } from "@/components/settings/api-tokens-card";
import { PasswordCard } from "@/components/settings/password-card";
import { ProfileCard } from "@/components/settings/profile-card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageCaller } from "@/lib/auth/page";
import { mcpQueryKeys } from "@/lib/client/mcp-queries";
import { queryKeys } from "@/lib/client/queries";
import { getDb } from "@/lib/server/database";
import { mcpServersData, orClientFetch, tokensData } from "@/lib/server/page-data";
import { Prefetched } from "../prefetched";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const caller = await requirePageCaller();
  const db = await getDb();
  const [servers, tokens] = await Promise.all([
    orClientFetch(mcpServersData(db, caller)),
    orClientFetch(tokensData(db, caller)),
  ]);
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6">
      <PageHeader
        title="Settings"
        description="Your account, your connections to MCP servers and your API tokens."
      />
      <ProfileCard
        name={caller.name}
        email={caller.email}
        role={caller.role}
        loginType={caller.loginType}
      />
      {/* OIDC accounts have no password to change (an admin can set one). */}
      {caller.loginType === "password" ? <PasswordCard /> : null}
      <Prefetched
        seeds={[
          { key: mcpQueryKeys.list, data: servers },
          { key: queryKeys.tokens, data: tokens },
        ]}
      >
        <ConnectionsCard />
        <ApiTokensCard />
      </Prefetched>
    </div>
  );
}
