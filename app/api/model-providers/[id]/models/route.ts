import { idParams, json, route } from "@/lib/api/route";
import { listRemoteModels, targetOf } from "@/lib/model-providers/remote";
import { openProviderApiKey } from "@/lib/model-providers/secrets";
import { getProvider } from "@/lib/model-providers/service";

/** The models the saved provider's API lists now (with its stored key), for the picker. */
export const GET = route({
  access: "admin",
  params: idParams,
  async handler({ db, params }) {
    const row = await getProvider(db, params.id);
    const models = await listRemoteModels(targetOf(row, openProviderApiKey(row)));
    return json({ models, configured: row.models });
  },
});
