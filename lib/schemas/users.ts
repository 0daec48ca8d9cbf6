import { z } from "zod";
import type { UserRole } from "@/db/schema";

export const emailSchema = z
  .string()
  .trim()
  .max(254, "must be at most 254 characters")
  .pipe(z.email("must be a valid email address"));

export const passwordSchema = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(256, "must be at most 256 characters");

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(100, "must be at most 100 characters")
  // Names are shown in tables, menus and audit views: no line breaks or other control codes.
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "must not contain control characters");

// A literal list (not db/schema's constant) keeps the database layer out of browser bundles.
export const roleSchema = z.enum(["admin", "member"] as const satisfies readonly UserRole[]);

export const setupBody = z.strictObject({
  email: emailSchema,
  name: displayNameSchema,
  password: passwordSchema,
});
export type SetupInput = z.infer<typeof setupBody>;

export const createUserBody = z.strictObject({
  email: emailSchema,
  name: displayNameSchema,
  password: passwordSchema,
  role: roleSchema.default("member"),
});
export type CreateUserInput = z.input<typeof createUserBody>;

export const updateUserBody = z
  .strictObject({
    name: displayNameSchema.optional(),
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((b) => b.name !== undefined || b.role !== undefined || b.disabled !== undefined, {
    message: "give name, role or disabled",
    path: ["role"],
  });
export type UpdateUserInput = z.infer<typeof updateUserBody>;

export const changePasswordBody = z.strictObject({
  current_password: z.string().min(1, "is required").max(256, "must be at most 256 characters"),
  new_password: passwordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordBody>;

export const resetPasswordBody = z.strictObject({ password: passwordSchema });
export type ResetPasswordInput = z.infer<typeof resetPasswordBody>;

export const tokenNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(100, "must be at most 100 characters");

/** `{email, password, name?}` signs in and creates a token; `{name}` needs a session. */
export const createTokenBody = z
  .strictObject({
    email: z.string().min(1, "is required").max(254).optional(),
    password: z.string().min(1, "is required").max(256).optional(),
    name: tokenNameSchema.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.email !== undefined && b.password === undefined) {
      ctx.addIssue({ code: "custom", path: ["password"], message: "is required with email" });
    }
    if (b.password !== undefined && b.email === undefined) {
      ctx.addIssue({ code: "custom", path: ["email"], message: "is required with password" });
    }
  });
export type CreateTokenInput = z.infer<typeof createTokenBody>;
