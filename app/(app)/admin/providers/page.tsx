import type { Metadata } from "next";
import { ProvidersAdmin } from "@/components/admin/providers/providers-admin";
import { requirePageCaller } from "@/lib/auth/page";
import { providerQueryKeys } from "@/lib/client/provider-queries";
import { getDb } from "@/lib/server/database";
import { orClientFetch, providersData } from "@/lib/server/page-data";
import { Prefetched } from "../../prefetched";

export const metadata: Metadata = { title: "Model providers" };

export default async function ModelProvidersPage() {
  const caller = await requirePageCaller();
  // The stored providers only: testing or listing a provider's models waits for the admin.
  const providers = await orClientFetch(providersData(await getDb(), caller));
  return (
    <Prefetched seeds={[{ key: providerQueryKeys.list, data: providers }]}>
      <ProvidersAdmin />
    </Prefetched>
  );
}
