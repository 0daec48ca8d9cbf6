import type { QueryClient } from "@tanstack/react-query";
import type {
  ChangePasswordInput,
  CreateUserInput,
  ResetPasswordInput,
  UpdateUserInput,
} from "@/lib/schemas/users";
import { apiFetch } from "./api";
import type { ApiToken, CreatedApiToken, Me, User } from "./types";

// Query keys live here so every screen invalidates the same entries.
export const queryKeys = {
  me: ["users", "me"] as const,
  users: ["users", "list"] as const,
  tokens: ["tokens"] as const,
};

export const meQuery = () => ({
  queryKey: queryKeys.me,
  queryFn: ({ signal }: { signal: AbortSignal }) => apiFetch<Me>("/api/users/me", { signal }),
});

export const usersQuery = () => ({
  queryKey: queryKeys.users,
  queryFn: ({ signal }: { signal: AbortSignal }) => apiFetch<User[]>("/api/users", { signal }),
});

export const tokensQuery = () => ({
  queryKey: queryKeys.tokens,
  queryFn: ({ signal }: { signal: AbortSignal }) => apiFetch<ApiToken[]>("/api/tokens", { signal }),
});

export const createUserMutation = (qc: QueryClient) => ({
  mutationFn: (input: CreateUserInput) => apiFetch<User>("/api/users", { body: input }),
  onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.users }),
});

export const updateUserMutation = (qc: QueryClient) => ({
  mutationFn: ({ id, ...patch }: UpdateUserInput & { id: string }) =>
    apiFetch<User>(`/api/users/${id}`, { method: "PATCH", body: patch }),
  onSuccess: () => qc.invalidateQueries({ queryKey: ["users"] }),
});

export const changePasswordMutation = () => ({
  mutationFn: (input: ChangePasswordInput) =>
    apiFetch<void>("/api/users/me/password", { body: input }),
});

export const resetPasswordMutation = () => ({
  mutationFn: ({ id, ...input }: ResetPasswordInput & { id: string }) =>
    apiFetch<void>(`/api/users/${id}/password`, { body: input }),
});

export const createTokenMutation = (qc: QueryClient) => ({
  mutationFn: (name: string) => apiFetch<CreatedApiToken>("/api/tokens", { body: { name } }),
  onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.tokens }),
});

export const revokeTokenMutation = (qc: QueryClient) => ({
  mutationFn: (id: string) => apiFetch<void>(`/api/tokens/${id}`, { method: "DELETE" }),
  onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.tokens }),
});
