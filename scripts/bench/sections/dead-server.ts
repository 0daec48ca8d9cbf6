// A dead server that black-holes (accepts TCP, never answers), selected beside a live one,
// with identity headers on (they carry the user and the chat): its connect timeout should be
// paid once per minute per instance, whatever the chat or the user, and leave no socket open.
import { startBlackHole, type BlackHole } from "@/e2e/fixtures/black-hole";
import type { BenchContext } from "../context";
import { interleaved, ROUNDS, timeMs } from "../measure";
import { ms, ratio, type SectionReport } from "../report";
import type { BenchSection } from "../section";
import { newChat, toolgateTurn } from "./turn";

/** Open sockets once the client has had `withinMs` to close them. */
async function socketsLeft(hole: BlackHole, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  while (hole.openSockets() > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return hole.openSockets();
}

export const deadServer: BenchSection = {
  id: "dead",
  title: "A dead server (accepts TCP, never answers) beside a live one (ms)",
  inProcess: true,
  async run(ctx: BenchContext, report: SectionReport) {
    const hole = await startBlackHole();
    ctx.own(() => hole.close());
    const deadId = await ctx.addConfig({
      display_name: "Dead",
      slug: "dead",
      url: `${hole.origin}/mcp`,
      enabled: true,
      forward_identity_headers: true,
    });
    const live = [ctx.serverIds[0]!];
    const withDead = [ctx.serverIds[0]!, deadId];

    const first = await timeMs(async () =>
      toolgateTurn(ctx, ctx.admin, await newChat(ctx.admin, withDead)),
    );
    report.figure({ label: "first turn (pays the connect timeout)", value: ms(first) });
    const left = await socketsLeft(hole, 2_000);
    report.figure({
      label: "sockets left open at the dead server after the timeout",
      value: String(left),
      goal: { text: "0", met: left === 0 },
    });

    // Later turns: each in a new chat, alternately by another user with the same (no)
    // credentials; interleaved with turns without the dead server.
    const users = [ctx.admin, ctx.member];
    const deadChats: { user: (typeof users)[number]; chat: string }[] = [];
    const liveChats: string[] = [];
    for (let i = 0; i < ROUNDS + 2; i++) {
      const user = users[i % 2]!;
      deadChats.push({ user, chat: await newChat(user, withDead) });
      liveChats.push(await newChat(ctx.admin, live));
    }
    const medians = await interleaved(ROUNDS, {
      live: () => toolgateTurn(ctx, ctx.admin, liveChats.pop()!),
      dead: () => {
        const next = deadChats.pop()!;
        return toolgateTurn(ctx, next.user, next.chat);
      },
    });
    report.figure({ label: "a turn without the dead server", value: ms(medians.live) });
    const r = medians.dead / medians.live;
    report.figure({
      label: "later turns, new chats, two users (negative cache)",
      value: `${ms(medians.dead)} ${ratio(r)}`,
      goal: { text: "<= 1.2x a turn without it", met: r <= 1.2 },
    });
    const dials = hole.requests();
    report.figure({
      label: `handshakes sent to the dead server in ${ROUNDS + 3} turns`,
      value: String(dials),
      goal: { text: "1 (once per minute per instance)", met: dials === 1 },
    });
  },
};
