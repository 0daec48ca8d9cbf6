import { json, route } from "@/lib/api/route";
import { listTemplates } from "@/lib/workspace/templates";

export const GET = route({
  access: "user",
  async handler() {
    return json(await listTemplates());
  },
});
