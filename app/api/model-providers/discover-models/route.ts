import { json, route } from "@/lib/api/route";
import { assertDestinationAllowed } from "@/lib/mcp-config/validation";
import { listRemoteModels } from "@/lib/model-providers/remote";
import { DEFAULT_BASE_URLS, discoverModelsBody } from "@/lib/schemas/model-providers";

/**
 * The models a provider that is not saved yet lists, from the values in the admin's form. The
 * key in the body is used for this request only: nothing is stored or audited.
 */
export const POST = route({
  access: "admin",
  body: discoverModelsBody,
  async handler({ body }) {
    assertDestinationAllowed("base_url", body.base_url);
    const baseUrl = body.base_url || DEFAULT_BASE_URLS[body.kind]!;
    const models = await listRemoteModels({
      kind: body.kind,
      baseUrl,
      apiKey: body.api_key || null,
    });
    return json({ models });
  },
});
