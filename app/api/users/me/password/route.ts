import { noContent, route } from "@/lib/api/route";
import { clientAddress } from "@/lib/auth/client-address";
import { changeOwnPassword } from "@/lib/auth/users";
import { changePasswordBody } from "@/lib/schemas/users";

export const POST = route({
  access: "user",
  body: changePasswordBody,
  async handler({ req, db, caller, body }) {
    await changeOwnPassword(db, caller, body, clientAddress(req.headers));
    return noContent();
  },
});
