// Shared by playwright.config.ts and the specs: ports, URLs and the seeded accounts.
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const IDP_PORT = Number(process.env.E2E_IDP_PORT ?? 4011);
export const APP_URL = `http://localhost:${APP_PORT}`;
export const IDP_URL = `http://127.0.0.1:${IDP_PORT}`;
export const OIDC_CLIENT_ID = "toolgate-e2e";
export const OIDC_CLIENT_SECRET = "toolgate-e2e-secret-value";

export const ADMIN = {
  name: "Ada Admin",
  email: "admin@example.com",
  password: "admin-password-1",
};
export const ADMIN_STATE = "playwright/.auth/admin.json";
