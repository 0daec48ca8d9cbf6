import { Errors } from "@/lib/api/errors";
import { idParams, json, route } from "@/lib/api/route";
import { changeUser, findUserById, userJson } from "@/lib/auth/users";
import { updateUserBody } from "@/lib/schemas/users";

export const GET = route({
  access: "admin",
  params: idParams,
  async handler({ db, params }) {
    const user = await findUserById(db, params.id);
    if (!user) throw Errors.notFound("user", "user");
    return json(userJson(user));
  },
});

export const PATCH = route({
  access: "admin",
  params: idParams,
  body: updateUserBody,
  async handler({ db, caller, params, body }) {
    return json(userJson(await changeUser(db, caller, params.id, body)));
  },
});
