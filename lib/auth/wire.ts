// Response shapes of the user, session and API token routes (docs/api.md), produced by
// lib/auth/users.ts and lib/auth/tokens.ts. Types only: the browser imports them too.

export type UserRole = "admin" | "member";

export interface Me {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  login_type: "password" | "oidc";
}

export interface User extends Me {
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

export interface CreatedApiToken extends ApiToken {
  token: string;
}
