import { json, route } from "@/lib/api/route";
import { appSettingsBody } from "@/lib/schemas/settings";
import { getAppSettings, putAppSettings } from "@/lib/settings/app-settings";

export const GET = route({
  access: "admin",
  async handler({ db }) {
    return json(await getAppSettings(db));
  },
});

export const PUT = route({
  access: "admin",
  body: appSettingsBody,
  async handler({ db, caller, body }) {
    return json(await putAppSettings(db, caller, body));
  },
});
