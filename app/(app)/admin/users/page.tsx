import type { Metadata } from "next";
import { UsersAdmin } from "@/components/admin/users-admin";
import { requirePageCaller } from "@/lib/auth/page";
import { queryKeys } from "@/lib/client/queries";
import { getDb } from "@/lib/server/database";
import { orClientFetch, usersData } from "@/lib/server/page-data";
import { Prefetched } from "../../prefetched";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const caller = await requirePageCaller();
  const users = await orClientFetch(usersData(await getDb(), caller));
  return (
    <Prefetched seeds={[{ key: queryKeys.users, data: users }]}>
      <UsersAdmin currentUserId={caller.id} />
    </Prefetched>
  );
}
