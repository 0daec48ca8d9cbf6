import type { Metadata } from "next";
import { ProvidersAdmin } from "@/components/admin/providers/providers-admin";

export const metadata: Metadata = { title: "Model providers" };

export default function ModelProvidersPage() {
  return <ProvidersAdmin />;
}
