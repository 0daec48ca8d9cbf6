import { json, route } from "@/lib/api/route";
import { listModelOptions } from "@/lib/llm/registry";

export const GET = route({
  access: "user",
  async handler({ db }) {
    return json(await listModelOptions(db));
  },
});
