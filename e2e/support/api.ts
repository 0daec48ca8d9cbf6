// Helpers the specs share for setting things up through the API and scripting the fake model.
import { expect, type APIRequestContext } from "@playwright/test";
import { APP_URL, FAKE_MODEL_CONTROL } from "./constants";

/** Cookie-authenticated writes made with page.request need the Origin a browser would send. */
export const SAME_ORIGIN = { Origin: APP_URL };

/** POSTs as the request context's user and expects 201 (creating a server may discover OAuth). */
export async function apiPost<T>(
  request: APIRequestContext,
  path: string,
  data: unknown,
  timeout = 90_000,
): Promise<T> {
  const res = await request.post(path, { data, headers: SAME_ORIGIN, timeout });
  expect(res.status(), `${path}: ${await res.text()}`).toBe(201);
  return (await res.json()) as T;
}

/** Scripts the fake model for conversations whose first user message contains `match`. */
export async function scriptModel(match: string, steps: unknown[]): Promise<void> {
  const res = await fetch(`${FAKE_MODEL_CONTROL}/scripts`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ match, steps }),
  });
  expect(res.status, await res.text()).toBe(201);
}

/** Lets the fake model finish the steps held at `gate` (`holdUntilReleased`). */
export async function releaseModel(gate: string): Promise<void> {
  const res = await fetch(`${FAKE_MODEL_CONTROL}/release`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ gate }),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** What the fake model was asked in those conversations, oldest first. */
export async function modelRequests(match: string): Promise<{ toolNames: string[] }[]> {
  const res = await fetch(`${FAKE_MODEL_CONTROL}/requests?match=${encodeURIComponent(match)}`);
  return ((await res.json()) as { requests: { toolNames: string[] }[] }).requests;
}
