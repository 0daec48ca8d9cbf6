import { Errors } from "@/lib/errors";
import { idParams, json, route } from "@/lib/api/route";
import { changeUser, findUserById, userJson } from "@/lib/auth/users";
import { updateUserBody } from "@/lib/schemas/users";
import { stopWorkspacesOf } from "@/lib/workspace/service";

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
    const user = await changeUser(db, caller, params.id, body);
    // A disabled member's workspaces stop at once, with every process they run: whatever the
    // member left running must not outlive their access.
    if (user.disabled) await stopWorkspacesOf(db, caller.id, user.id);
    return json(userJson(user));
  },
});
