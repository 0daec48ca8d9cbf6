import type { Metadata } from "next";
import { AppSettingsAdmin } from "@/components/admin/settings/app-settings-admin";

export const metadata: Metadata = { title: "App settings" };

export default function AppSettingsPage() {
  return <AppSettingsAdmin />;
}
