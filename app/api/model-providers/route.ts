import { json, route } from "@/lib/api/route";
import { createProvider, listProviders } from "@/lib/model-providers/service";
import { modelProviderJson } from "@/lib/model-providers/serialize";
import { createModelProviderBody } from "@/lib/schemas/model-providers";

export const GET = route({
  access: "admin",
  async handler({ db }) {
    return json(await listProviders(db));
  },
});

export const POST = route({
  access: "admin",
  body: createModelProviderBody,
  async handler({ db, caller, body }) {
    return json(modelProviderJson(await createProvider(db, caller, body)), 201);
  },
});
