import { json, route } from "@/lib/api/route";
import { createUser, listUsers, userJson } from "@/lib/auth/users";
import { createUserBody } from "@/lib/schemas/users";

export const GET = route({
  access: "admin",
  async handler({ db }) {
    return json((await listUsers(db)).map(userJson));
  },
});

export const POST = route({
  access: "admin",
  body: createUserBody,
  async handler({ db, caller, body }) {
    return json(userJson(await createUser(db, caller, body)), 201);
  },
});
