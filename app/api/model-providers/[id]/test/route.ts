import { idParams, json, route } from "@/lib/api/route";
import { ApiError } from "@/lib/errors";
import { resolveModel } from "@/lib/llm/registry";
import { testProviderModel } from "@/lib/model-providers/remote";
import { effectiveDefaultModel } from "@/lib/model-providers/serialize";
import { getProvider } from "@/lib/model-providers/service";
import { testModelProviderBody } from "@/lib/schemas/model-providers";

/**
 * One tiny chat request to the provider through the same client chats use. 200 either way:
 * `ok` says whether the provider answered, `error` why not.
 */
export const POST = route({
  access: "admin",
  params: idParams,
  body: testModelProviderBody,
  async handler({ db, params, body }) {
    const row = await getProvider(db, params.id);
    const model = body.model ?? effectiveDefaultModel(row);
    if (!model || !row.models.includes(model)) {
      throw new ApiError(400, "validation.invalid", "model must be one of the provider's models.", [
        { field: "model", detail: "must be one of the provider's models" },
      ]);
    }
    const resolved = await resolveModel(db, `${row.id}:${model}`);
    return json(await testProviderModel(resolved.model, model, row.baseUrl));
  },
});
