import { idParams, noContent, route } from "@/lib/api/route";
import { resetPassword } from "@/lib/auth/users";
import { resetPasswordBody } from "@/lib/schemas/users";

export const POST = route({
  access: "admin",
  params: idParams,
  body: resetPasswordBody,
  async handler({ db, caller, params, body }) {
    await resetPassword(db, caller, params.id, body);
    return noContent();
  },
});
