import { json, route } from "@/lib/api/route";

export const GET = route({
  access: "user",
  async handler({ caller }) {
    return json({
      id: caller.id,
      email: caller.email,
      name: caller.name,
      role: caller.role,
      login_type: caller.loginType,
    });
  },
});
