import { Errors } from "@/lib/errors";
import { json, route } from "@/lib/api/route";
import { clientAddress } from "@/lib/auth/client-address";
import { verifyCredentials } from "@/lib/auth/credentials";
import { apiTokenJson, createApiToken, listTokens } from "@/lib/auth/tokens";
import { createTokenBody } from "@/lib/schemas/users";

export const GET = route({
  access: "user",
  async handler({ db, caller }) {
    return json((await listTokens(db, caller.id)).map(apiTokenJson));
  },
});

export const POST = route({
  access: "optional",
  body: createTokenBody,
  async handler({ req, db, caller, body }) {
    let userId: string;
    if (body.email !== undefined && body.password !== undefined) {
      const result = await verifyCredentials(db, body.email, body.password, {
        via: "api",
        source: clientAddress(req.headers),
      });
      if (!result.ok) {
        if (result.reason === "rate_limited") throw Errors.rateLimited();
        throw result.reason === "disabled" ? Errors.accountDisabled() : Errors.invalidCredentials();
      }
      userId = result.user.id;
    } else {
      if (!caller) throw Errors.authRequired();
      if (body.name === undefined) {
        throw Errors.validation("name", "is required");
      }
      userId = caller.id;
    }
    const { row, token } = await createApiToken(db, userId, body.name ?? "API token");
    return json({ ...apiTokenJson(row), token }, 201);
  },
});
