import { z } from "zod";

/**
 * An absolute http(s) URL without user info. One string schema (not a union with ""), so a
 * bad URL reports its real problem. `allowEmpty` lets "" through for optional fields.
 */
export function httpUrlSchema(opts: { allowEmpty?: boolean; credentialsHint: string }) {
  return z
    .string()
    .trim()
    .max(2048, "must be at most 2048 characters")
    .superRefine((value, ctx) => {
      if (value === "" && opts.allowEmpty) return;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: "custom", message: "must be an absolute http(s) URL" });
        return;
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        ctx.addIssue({ code: "custom", message: "must use http or https" });
      }
      // Credentials in a URL end up in logs and referrers; auth has its own fields.
      if (url.username || url.password) {
        ctx.addIssue({
          code: "custom",
          message: `must not contain a user name or password (${opts.credentialsHint})`,
        });
      }
    });
}
