import type { Metadata } from "next";
import { AppSettingsAdmin } from "@/components/admin/settings/app-settings-admin";
import { requirePageCaller } from "@/lib/auth/page";
import { settingsQueryKeys, workspaceMcpSettingsKey } from "@/lib/client/settings-queries";
import { getDb } from "@/lib/server/database";
import { appSettingsData, orClientFetch, workspaceMcpSettingsData } from "@/lib/server/page-data";
import { Prefetched } from "../../prefetched";

export const metadata: Metadata = { title: "App settings" };

export default async function AppSettingsPage() {
  const caller = await requirePageCaller();
  const db = await getDb();
  const [app, workspaceMcp] = await Promise.all([
    orClientFetch(appSettingsData(db, caller)),
    orClientFetch(workspaceMcpSettingsData(db, caller)),
  ]);
  return (
    <Prefetched
      seeds={[
        { key: settingsQueryKeys.app, data: app },
        { key: workspaceMcpSettingsKey, data: workspaceMcp },
      ]}
    >
      <AppSettingsAdmin />
    </Prefetched>
  );
}
