// Runs once when a server instance starts: migrate and check keys before taking traffic,
// and refuse to start when that fails (e.g. stored secrets need a key that is not configured).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First, so nothing logged from here on can carry a failed query's parameters.
  const { installLogRedaction } = await import("./lib/server/log-redaction");
  installLogRedaction();
  const { startServer } = await import("./lib/server/startup");
  await startServer();
}
