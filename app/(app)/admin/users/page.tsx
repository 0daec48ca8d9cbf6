import type { Metadata } from "next";
import { UsersAdmin } from "@/components/admin/users-admin";
import { requirePageCaller } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const caller = await requirePageCaller();
  return <UsersAdmin currentUserId={caller.id} />;
}
