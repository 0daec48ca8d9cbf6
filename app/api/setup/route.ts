import { json, route } from "@/lib/api/route";
import { completeSetup, userJson } from "@/lib/auth/users";
import { setupBody } from "@/lib/schemas/users";

export const POST = route({
  access: "public",
  body: setupBody,
  async handler({ db, body }) {
    const { user, token } = await completeSetup(db, body);
    return json({ user: userJson(user), token }, 201);
  },
});
