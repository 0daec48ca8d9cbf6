import { idParams, json, noContent, route } from "@/lib/api/route";
import { getProvider, removeProvider, updateProvider } from "@/lib/model-providers/service";
import { modelProviderJson } from "@/lib/model-providers/serialize";
import { updateModelProviderBody } from "@/lib/schemas/model-providers";

export const GET = route({
  access: "admin",
  params: idParams,
  async handler({ db, params }) {
    return json(modelProviderJson(await getProvider(db, params.id)));
  },
});

export const PATCH = route({
  access: "admin",
  params: idParams,
  body: updateModelProviderBody,
  async handler({ db, caller, params, body }) {
    return json(modelProviderJson(await updateProvider(db, caller, params.id, body)));
  },
});

export const DELETE = route({
  access: "admin",
  params: idParams,
  async handler({ db, caller, params }) {
    await removeProvider(db, caller, params.id);
    return noContent();
  },
});
